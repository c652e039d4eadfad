import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInvitation } from '../../src/domain/auth/create-invitation';
import { cookieHeader, signUpStaff, totpNow, updateJar } from '../support/staff';
import { type TestHotline, startTestHotline } from '../support/test-runtime';

let t: TestHotline;
beforeAll(async () => {
  t = await startTestHotline();
});
afterAll(async () => {
  await t.close();
});

const password = 'a long enough passphrase';

async function inviteAndAccept(username: string, role: 'admin' | 'volunteer' = 'admin') {
  const invitation = await createInvitation(t.runtime, { actor: null, role });
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/invitations/accept',
    payload: { token: invitation.token, username, displayName: username, password },
  });
  return { invitation, response };
}

async function login(username: string, pass = password, remoteAddress = '127.0.0.1') {
  const jar: Record<string, string> = {};
  const response = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: pass }, remoteAddress });
  updateJar(jar, response);
  // Each test's requests come from their own addresses, so the per-address rate limit stays out of the way.
  const send = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: Record<string, unknown>, from = remoteAddress) =>
    t.app
      .inject({ method, url, remoteAddress: from, headers: { cookie: cookieHeader(jar), 'x-csrf-token': jar.hotline_csrf ?? '' }, ...(payload ? { payload } : {}) })
      .then((r) => {
        updateJar(jar, r);
        return r;
      });
  return { response, jar, send };
}

describe('a new admin signs in', () => {
  it('sets a password, enrols TOTP, receives recovery codes, and a wrong code is refused', async () => {
    const { response: accepted } = await inviteAndAccept('newadmin');
    expect(accepted.statusCode).toBe(201);

    const first = await login('newadmin');
    expect(first.response.statusCode).toBe(200);
    expect(first.response.json()).toEqual({ next: 'enroll', methods: ['totp'] });
    const sessionCookie = (first.response.cookies as { name: string; httpOnly?: boolean; sameSite?: string }[]).find((c) => c.name === 'hotline_session');
    expect(sessionCookie?.httpOnly).toBe(true);
    expect(sessionCookie?.sameSite).toBe('Strict');

    // The half-open session cannot reach staff APIs before the second factor.
    expect((await first.send('GET', '/api/auth/me')).statusCode).toBe(401);

    const enrollment = await first.send('POST', '/api/auth/enrollment');
    expect(enrollment.statusCode).toBe(200);
    const { secret, otpauthUri } = enrollment.json() as { secret: string; otpauthUri: string };
    expect(otpauthUri).toMatch(/^otpauth:\/\/totp\/Hotline:newadmin\?secret=/);

    const wrong = await first.send('POST', '/api/auth/enrollment/confirm', { code: '000000' === (await totpNow(t, secret)) ? '111111' : '000000' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toMatchObject({ error: { code: 'INVALID_SECOND_FACTOR' } });

    const confirmed = await first.send('POST', '/api/auth/enrollment/confirm', { code: await totpNow(t, secret) });
    expect(confirmed.statusCode).toBe(200);
    const { recoveryCodes } = confirmed.json() as { recoveryCodes: string[] };
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    const me = await first.send('GET', '/api/auth/me');
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ user: { username: 'newadmin', role: 'admin' } });

    // Next sign-in: password, then a code; a wrong code is refused; a used code cannot be replayed.
    t.clock.advance(30_000);
    const second = await login('newadmin');
    expect(second.response.json()).toEqual({ next: 'verify', methods: ['totp', 'recovery-code'] });
    expect((await second.send('POST', '/api/auth/second-factor', { code: '123456' === (await totpNow(t, secret)) ? '654321' : '123456' })).statusCode).toBe(401);
    const code = await totpNow(t, secret);
    expect((await second.send('POST', '/api/auth/second-factor', { code })).statusCode).toBe(200);
    expect((await second.send('GET', '/api/auth/me')).statusCode).toBe(200);
    const replay = await login('newadmin');
    expect((await replay.send('POST', '/api/auth/second-factor', { code })).statusCode).toBe(401);

    // A recovery code works once.
    const third = await login('newadmin');
    const recovered = await third.send('POST', '/api/auth/second-factor', { recoveryCode: recoveryCodes[0]!.toUpperCase() });
    expect(recovered.statusCode).toBe(200);
    expect(recovered.json()).toEqual({ next: 'done', recoveryCodesLeft: 9 });
    const fourth = await login('newadmin');
    expect((await fourth.send('POST', '/api/auth/second-factor', { recoveryCode: recoveryCodes[0]! })).statusCode).toBe(401);
  });

  it('refuses a wrong password and an unknown user with the same answer', async () => {
    await inviteAndAccept('carol', 'volunteer');
    const wrong = await login('carol', 'not the password at all');
    const unknown = await login('nobody-here', 'not the password at all');
    expect(wrong.response.statusCode).toBe(401);
    expect(unknown.response.statusCode).toBe(401);
    expect(wrong.response.json()).toEqual(unknown.response.json());
  });

  /**
   * Until when a client is paused on an account (null: none is). Clients are stored under a keyed
   * hash that changes daily, never their address; each test below pauses one client at most.
   */
  const pausedUntil = async (username: string) => {
    const user = await t.runtime.store.users.findByUsername(username);
    const rows = await t.runtime.store.kysely.selectFrom('sign_in_throttles').select('locked_until').where('user_id', '=', user?.id ?? '').execute();
    const locks = rows.map((row) => row.locked_until).filter((until): until is number => until !== null && until > t.clock());
    return locks.length === 0 ? null : Math.max(...locks.map(Number));
  };

  it('pauses a client after repeated wrong passwords, answering exactly as for an unknown username, and never keeps the owner out', async () => {
    await inviteAndAccept('dave', 'volunteer');
    for (let i = 0; i < 5; i += 1) expect((await login('dave', 'wrong password here', '10.0.1.1')).response.statusCode).toBe(401);
    // Paused: even the right password from that client gets the answer an unknown username gets, with no hint of a pause.
    const paused = await login('dave', password, '10.0.1.1');
    const unknown = await login('nobody-at-all', password, '10.0.1.3');
    expect(paused.response.statusCode).toBe(401);
    expect(paused.response.json()).toEqual(unknown.response.json());
    expect(paused.response.json()).toMatchObject({ error: { code: 'INVALID_CREDENTIALS' } });
    expect(paused.response.headers['retry-after']).toBeUndefined();
    expect(paused.response.cookies).toEqual([]);
    expect(await pausedUntil('dave')).toBe(t.clock() + 60_000);
    // The owner, from their own address, signs in at once.
    expect((await login('dave', password, '10.0.1.2')).response.statusCode).toBe(200);
    t.clock.advance(61_000);
    expect((await login('dave', password, '10.0.1.1')).response.statusCode).toBe(200);
  });

  it('checks only five of fifteen wrong passwords sent at once from one client, and pauses that client', async () => {
    await inviteAndAccept('frank', 'volunteer');
    const attempts = await Promise.all(Array.from({ length: 15 }, (_, i) => login('frank', `wrong password number ${i}`, '10.0.2.1')));
    const unknown = await login('nobody-else', 'wrong password number 0', '10.0.2.100');
    for (const attempt of attempts) {
      expect(attempt.response.statusCode).toBe(401);
      expect(attempt.response.json()).toEqual(unknown.response.json());
    }
    const row = await t.runtime.store.users.findByUsername('frank');
    const failures = (await t.runtime.store.audit.page(0, 10_000)).filter((r) => r.action === 'auth.login-failed' && r.entity_id === row?.id);
    expect(failures).toHaveLength(5);
    expect(await pausedUntil('frank')).toBe(t.clock() + 60_000);
    expect((await login('frank', password, '10.0.2.1')).response.statusCode).toBe(401);
    t.clock.advance(61_000);
    // The right password after the pause signs in; the count still remembers the failures until the second factor is right.
    expect((await login('frank', password, '10.0.2.1')).response.statusCode).toBe(200);
  });

  it('lets the owner in at once after 200 wrong passwords from 20 client addresses', async () => {
    const member = await signUpStaff(t, 'volunteer');
    for (let client = 0; client < 20; client++) {
      const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => login(member.username, `guess ${client}-${i}`, `10.0.9.${client + 1}`)));
      expect(answers.every((answer) => answer.response.statusCode === 401)).toBe(true);
    }
    const guessed = (await t.runtime.store.audit.page(0, 100_000)).filter((r) => r.action === 'auth.login-failed' && r.entity_id === member.userId);
    // Each client had its five attempts checked, then was paused: 100 guesses checked in all, 100 refused unchecked.
    expect(guessed).toHaveLength(100);
    t.clock.advance(30_000); // the next TOTP step (the one of the sign-up was used)
    const owner = await login(member.username, 'correct horse battery staple', '192.0.2.44');
    expect(owner.response.json()).toEqual({ next: 'verify', methods: ['totp', 'recovery-code'] });
    const signedIn = await owner.send('POST', '/api/auth/second-factor', { code: await totpNow(t, member.totpSecret) });
    expect(signedIn.statusCode).toBe(200);
    expect((await owner.send('GET', '/api/auth/me')).statusCode).toBe(200);
  });

  it('pauses a client after wrong TOTP codes sent at once, and after wrong recovery codes', async () => {
    for (const kind of ['code', 'recoveryCode'] as const) {
      const member = await signUpStaff(t, 'volunteer');
      t.clock.advance(30_000);
      const address = kind === 'code' ? '10.0.3.1' : '10.0.3.2';
      const session = await login(member.username, 'correct horse battery staple', address);
      expect(session.response.json()).toEqual({ next: 'verify', methods: ['totp', 'recovery-code'] });
      const right = await totpNow(t, member.totpSecret);
      const wrong = (i: number) => (kind === 'code' ? { code: String((Number(right) + 1 + i) % 1_000_000).padStart(6, '0') } : { recoveryCode: `abcd-efgh-${String(i).padStart(4, '0')}` });
      const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => session.send('POST', '/api/auth/second-factor', wrong(i))));
      const statuses = answers.map((a) => a.statusCode).sort();
      expect(statuses.filter((s) => s === 401)).toHaveLength(5);
      expect(statuses.filter((s) => s === 429)).toHaveLength(7);
      // Paused: the right code from this client is refused too, and says when to try again.
      const locked = await session.send('POST', '/api/auth/second-factor', kind === 'code' ? { code: right } : { recoveryCode: member.recoveryCodes[0]! });
      expect(locked.statusCode).toBe(429);
      expect(locked.json()).toMatchObject({ error: { code: 'ACCOUNT_LOCKED', details: { retryAfterSeconds: 60 } } });
      t.clock.advance(61_000);
      const retry = await login(member.username, 'correct horse battery staple', address);
      const signedIn = await retry.send('POST', '/api/auth/second-factor', kind === 'code' ? { code: await totpNow(t, member.totpSecret) } : { recoveryCode: member.recoveryCodes[0]! });
      expect(signedIn.statusCode).toBe(200);
      expect(await pausedUntil(member.username)).toBeNull();
    }
  });

  it('signs in only once when the same TOTP code is sent twice at once', async () => {
    const member = await signUpStaff(t, 'volunteer');
    t.clock.advance(30_000);
    const first = await login(member.username, 'correct horse battery staple', '10.0.4.1');
    const code = await totpNow(t, member.totpSecret);
    const answers = await Promise.all([first.send('POST', '/api/auth/second-factor', { code }, '10.0.4.2'), first.send('POST', '/api/auth/second-factor', { code }, '10.0.4.3')]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 401]);
  });

  it('uses an invitation only once', async () => {
    const { invitation, response } = await inviteAndAccept('erin', 'volunteer');
    expect(response.statusCode).toBe(201);
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/invitations/accept',
      payload: { token: invitation.token, username: 'erin2', displayName: 'Erin', password },
    });
    expect(again.statusCode).toBe(404);
    expect(again.json()).toMatchObject({ error: { code: 'INVITATION_INVALID' } });
  });
});

describe('sessions', () => {
  it('a revoked session stops working at once, and logout everywhere ends every session', async () => {
    const admin = await signUpStaff(t, 'admin');
    const volunteer = await signUpStaff(t, 'volunteer');
    expect((await volunteer.request('GET', '/api/auth/me')).statusCode).toBe(200);
    const me = (await volunteer.request('GET', '/api/auth/me')).json() as { session: { id: string } };
    const revoked = await admin.request('DELETE', `/api/sessions/${me.session.id}`);
    expect(revoked.statusCode).toBe(204);
    const after = await volunteer.request('GET', '/api/auth/me');
    expect(after.statusCode).toBe(401);
    expect(after.json()).toEqual({ error: { code: 'UNAUTHENTICATED', message: 'Sign in first' } });

    const again = await signUpStaff(t, 'coordinator');
    expect((await again.request('POST', '/api/auth/logout-all')).statusCode).toBe(200);
    expect((await again.request('GET', '/api/auth/me')).statusCode).toBe(401);
  });

  it('logout ends this session only and clears its cookies', async () => {
    const member = await signUpStaff(t, 'volunteer');
    t.clock.advance(30_000);
    const other = await login(member.username, 'correct horse battery staple', '10.0.5.1');
    const elsewhere = await other.send('POST', '/api/auth/second-factor', { code: await totpNow(t, member.totpSecret) });
    expect(elsewhere.statusCode).toBe(200);
    const out = await member.request('POST', '/api/auth/logout');
    expect(out.statusCode).toBe(204);
    const cleared = (out.cookies as { name: string; value: string }[]).map((c) => [c.name, c.value]);
    expect(cleared).toEqual(expect.arrayContaining([['hotline_session', ''], ['hotline_csrf', '']]));
    expect((await member.request('GET', '/api/auth/me')).statusCode).toBe(401);
    expect((await other.send('GET', '/api/auth/me')).statusCode).toBe(200);
    const audit = (await t.runtime.store.audit.recent(5)).map((r) => r.action);
    expect(audit).toContain('auth.session-revoked');
  });

  it('an admin revokes every session of another account at once; others may not', async () => {
    const admin = await signUpStaff(t, 'admin');
    const member = await signUpStaff(t, 'volunteer');
    const coordinator = await signUpStaff(t, 'coordinator');
    t.clock.advance(30_000);
    const second = await login(member.username, 'correct horse battery staple', '10.0.6.1');
    expect((await second.send('POST', '/api/auth/second-factor', { code: await totpNow(t, member.totpSecret) })).statusCode).toBe(200);
    const refused = await coordinator.request('POST', `/api/users/${member.userId}/revoke-sessions`);
    expect(refused.statusCode).toBe(403);
    expect((await member.request('GET', '/api/auth/me')).statusCode).toBe(200);
    const revoked = await admin.request('POST', `/api/users/${member.userId}/revoke-sessions`);
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json()).toEqual({ revoked: 2 });
    expect((await member.request('GET', '/api/auth/me')).statusCode).toBe(401);
    expect((await second.send('GET', '/api/auth/me')).statusCode).toBe(401);
    expect((await admin.request('GET', '/api/auth/me')).statusCode).toBe(200);
    const [row] = await t.runtime.store.audit.recent(1);
    expect(row).toMatchObject({ action: 'auth.sessions-revoked-all', actor_id: admin.userId, entity_id: member.userId });
  });

  it('expires after the idle timeout and after the absolute timeout', async () => {
    const idle = await signUpStaff(t, 'volunteer');
    t.clock.advance(29 * 60_000);
    expect((await idle.request('GET', '/api/auth/me')).statusCode).toBe(200);
    t.clock.advance(31 * 60_000);
    const expired = await idle.request('GET', '/api/auth/me');
    expect(expired.statusCode).toBe(401);
    expect(expired.json()).toMatchObject({ error: { code: 'SESSION_EXPIRED' } });

    const busy = await signUpStaff(t, 'volunteer');
    for (let hour = 0; hour < 12; hour += 1) {
      t.clock.advance(20 * 60_000);
      expect((await busy.request('GET', '/api/auth/me')).statusCode).toBe(200);
      t.clock.advance(20 * 60_000);
      await busy.request('GET', '/api/auth/me');
      t.clock.advance(20 * 60_000);
      await busy.request('GET', '/api/auth/me');
    }
    expect((await busy.request('GET', '/api/auth/me')).statusCode).toBe(401);
  });

  it('refuses a cookie-authenticated write without the CSRF header', async () => {
    const admin = await signUpStaff(t, 'admin');
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/invitations',
      headers: { cookie: cookieHeader(admin.cookies) },
      payload: { role: 'volunteer' },
    });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ error: { code: 'CSRF_REJECTED' } });
    expect((await admin.request('POST', '/api/invitations', { role: 'volunteer' })).statusCode).toBe(201);
  });

  it('refuses a wrong CSRF header: made up, or the token of another session', async () => {
    const admin = await signUpStaff(t, 'admin');
    const other = await signUpStaff(t, 'admin');
    const before = (await t.runtime.store.audit.recent(1))[0]?.seq;
    for (const header of ['x'.repeat(admin.csrf.length), admin.csrf.slice(0, -1), `${admin.csrf}x`, other.csrf]) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/invitations',
        headers: { cookie: cookieHeader(admin.cookies), 'x-csrf-token': header },
        payload: { role: 'admin' },
      });
      expect(response.statusCode).toBe(403);
      expect(response.json()).toEqual({ error: { code: 'CSRF_REJECTED', message: 'Missing or wrong X-CSRF-Token header' } });
    }
    // Nothing was written: no invitation, no audit row.
    expect((await t.runtime.store.audit.recent(1))[0]?.seq).toBe(before);
  });
});
