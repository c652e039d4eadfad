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

async function login(username: string, pass = password) {
  const jar: Record<string, string> = {};
  const response = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: pass } });
  updateJar(jar, response);
  const send = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: Record<string, unknown>) =>
    t.app
      .inject({ method, url, headers: { cookie: cookieHeader(jar), 'x-csrf-token': jar.hotline_csrf ?? '' }, ...(payload ? { payload } : {}) })
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
    expect(first.response.json()).toEqual({ next: 'enroll' });
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
    expect(second.response.json()).toEqual({ next: 'verify' });
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
    expect(recovered.json()).toEqual({ recoveryCodesLeft: 9 });
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

  it('locks an account after repeated failures and says when to retry', async () => {
    await inviteAndAccept('dave', 'volunteer');
    for (let i = 0; i < 5; i += 1) expect((await login('dave', 'wrong password here')).response.statusCode).toBe(401);
    const locked = await login('dave');
    expect(locked.response.statusCode).toBe(429);
    expect(locked.response.json()).toMatchObject({ error: { code: 'ACCOUNT_LOCKED', details: { retryAfterSeconds: 60 } } });
    expect(locked.response.headers['retry-after']).toBe('60');
    t.clock.advance(61_000);
    expect((await login('dave')).response.statusCode).toBe(200);
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
});
