import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cookieHeader, signUpStaff, totpNow, updateJar, type StaffSession } from '../support/staff';
import { type TestHotline, startTestHotline } from '../support/test-runtime';

let t: TestHotline;
let admin: StaffSession;
beforeAll(async () => {
  t = await startTestHotline();
  admin = await signUpStaff(t, 'admin');
});
afterAll(async () => {
  await t.close();
});

/** Signs in with password and TOTP from a browser with its own cookie jar (a device cookie or none). */
async function signIn(who: StaffSession, jar: Record<string, string>, remoteAddress: string) {
  const send = async (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) => {
    const response = await t.app.inject({
      method,
      url,
      remoteAddress,
      headers: { cookie: cookieHeader(jar), 'x-csrf-token': jar.hotline_csrf ?? '', 'user-agent': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/140.0' },
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });
    updateJar(jar, response);
    return response;
  };
  const login = await send('POST', '/api/auth/login', { username: who.username, password: 'correct horse battery staple' });
  t.clock.advance(30_000);
  const second = await send('POST', '/api/auth/second-factor', { code: await totpNow(t, who.totpSecret) });
  return { login, second, send };
}

async function auditActions(): Promise<{ action: string; details: Record<string, unknown> }[]> {
  const page = (await admin.request('GET', '/api/audit?limit=200')).json() as { entries: { action: string; details: Record<string, unknown> }[] };
  return page.entries;
}

describe('passkeys required for a role', () => {
  it('an admin requires passkeys for coordinators; a coordinator with only TOTP must add one before anything else', async () => {
    const coordinator = await signUpStaff(t, 'coordinator');
    const set = await admin.request('PUT', '/api/settings/sign-in', { passkeyRoles: ['coordinator'] });
    expect(set.json()).toEqual({ passkeyRoles: ['coordinator'] });
    expect((await coordinator.request('PUT', '/api/settings/sign-in', { passkeyRoles: [] })).statusCode).toBe(403);
    expect((await auditActions()).find((e) => e.action === 'settings.passkey-roles')?.details).toMatchObject({ before: [], after: ['coordinator'] });

    const { login, second, send } = await signIn(coordinator, {}, '10.77.0.1');
    expect(login.json()).toEqual({ next: 'verify', methods: ['totp', 'recovery-code'] });
    expect(second.statusCode).toBe(200);
    expect(second.json()).toEqual({ next: 'enroll-passkey' });
    // The session may only add a passkey: every staff route says so.
    const me = await send('GET', '/api/auth/me');
    expect(me.statusCode).toBe(403);
    expect((me.json() as { error: { code: string } }).error.code).toBe('PASSKEY_REQUIRED');
    const options = await send('POST', '/api/auth/passkeys/options');
    expect(options.statusCode).toBe(200);
    expect(options.json()).toMatchObject({ rp: { id: 'localhost', name: 'Hotline' }, user: { name: coordinator.username }, challenge: expect.any(String) });
    // A made-up credential is refused and nothing is stored.
    const forged = await send('POST', '/api/auth/passkeys', {
      name: 'forged',
      response: { id: 'AAAA', rawId: 'AAAA', type: 'public-key', response: { clientDataJSON: 'e30', attestationObject: 'AAAA' }, clientExtensionResults: {} },
    });
    expect(forged.statusCode).toBe(401);
    expect((forged.json() as { error: { code: string } }).error.code).toBe('PASSKEY_INVALID');
    const listed = (await admin.request('GET', '/api/users')).json() as { users: { id: string; passkeys: number }[] };
    expect(listed.users.find((u) => u.id === coordinator.userId)?.passkeys).toBe(0);

    // Volunteers are not concerned: TOTP still signs them in fully.
    const volunteer = await signUpStaff(t, 'volunteer');
    const signedIn = await signIn(volunteer, {}, '10.77.0.2');
    expect(signedIn.second.json()).toEqual({ next: 'done' });
    expect((await signedIn.send('GET', '/api/auth/me')).statusCode).toBe(200);
    await admin.request('PUT', '/api/settings/sign-in', { passkeyRoles: [] });
  });
});

describe('a sign-in from a new device', () => {
  it('is in the audit log and shown on the owner’s other device until they say it was them', async () => {
    const volunteer = await signUpStaff(t, 'volunteer');
    // signUpStaff's sign-in was the account's first device: audited, no warning.
    expect((await volunteer.request('GET', '/api/auth/me')).json()).toMatchObject({ newDevices: [] });

    const laptop: Record<string, string> = {};
    const { send } = await signIn(volunteer, laptop, '10.77.1.1');
    expect(laptop.hotline_device).toMatch(/^[\w-]{20,}$/);
    const newDevice = (await auditActions()).filter((e) => e.action === 'auth.new-device');
    expect(newDevice.at(0)?.details).toEqual({ device: 'Chrome on Windows' });

    // The first device is told; the new one is not told about itself.
    const shown = (await volunteer.request('GET', '/api/auth/me')).json() as { newDevices: { device: string; at: number }[] };
    expect(shown.newDevices).toEqual([{ device: 'Chrome on Windows', at: expect.any(Number) }]);
    expect(((await send('GET', '/api/auth/me')).json() as { newDevices: unknown[] }).newDevices).toEqual([]);

    // Signing in again from the laptop is not new.
    const before = (await auditActions()).filter((e) => e.action === 'auth.new-device').length;
    await signIn(volunteer, laptop, '10.77.1.1');
    expect((await auditActions()).filter((e) => e.action === 'auth.new-device').length).toBe(before);

    expect((await volunteer.request('POST', '/api/auth/devices/acknowledge')).statusCode).toBe(204);
    expect(((await volunteer.request('GET', '/api/auth/me')).json() as { newDevices: unknown[] }).newDevices).toEqual([]);
  });
});
