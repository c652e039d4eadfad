import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StaffSession, signUpStaff } from '../support/staff';
import { type TestHotline, startTestHotline } from '../support/test-runtime';

const PASSWORD = 'correct horse battery staple';

describe('an admin manages staff accounts, and each change is in the audit log', () => {
  let t: TestHotline;
  let admin: StaffSession;
  let auditor: StaffSession;
  beforeAll(async () => {
    t = await startTestHotline();
    admin = await signUpStaff(t, 'admin');
    auditor = await signUpStaff(t, 'auditor');
  });
  afterAll(async () => {
    await t.close();
  });

  const logIn = (username: string, password = PASSWORD) => t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  async function auditFor(userId: string): Promise<{ action: string; actorId: string | null; at: number; details: Record<string, unknown> }[]> {
    const response = await auditor.request('GET', `/api/audit?entityId=${userId}`);
    expect(response.statusCode).toBe(200);
    type Entry = { action: string; actorId: string | null; at: number; details: Record<string, unknown>; entityId: string | null };
    return (response.json<{ entries: Entry[] }>().entries).filter((entry) => entry.entityId === userId);
  }

  it('invites with a role, lists the open invitation without its link, and withdraws it so the link stops working', async () => {
    const created = await admin.request('POST', '/api/invitations', { role: 'coordinator' });
    expect(created.statusCode).toBe(201);
    const { id, link } = created.json<{ id: string; link: string }>();
    expect(link).toMatch(/\/console\/#\/invite\/[A-Za-z0-9_-]{20,}$/);
    const open = (await admin.request('GET', '/api/invitations')).json<{ invitations: { id: string; role: string; createdBy: string }[] }>();
    expect(open.invitations.find((invitation) => invitation.id === id)).toMatchObject({ role: 'coordinator', createdBy: admin.userId });
    expect(JSON.stringify(open)).not.toContain(link.split('/').pop() ?? 'x');
    expect((await admin.request('DELETE', `/api/invitations/${id}`)).statusCode).toBe(204);
    const accept = await t.app.inject({
      method: 'POST',
      url: '/api/invitations/accept',
      payload: { token: link.split('/').pop(), username: 'too.late', displayName: 'Too late', password: PASSWORD },
    });
    expect(accept.statusCode).toBe(404);
    expect((await admin.request('DELETE', `/api/invitations/${id}`)).statusCode).toBe(404);
    const entries = await auditFor(id);
    expect(entries.map((entry) => entry.action)).toEqual(expect.arrayContaining(['user.invited', 'user.invitation-withdrawn']));
  });

  it('disables an account (its sessions end, it cannot sign in) and re-enables it (it signs in again)', async () => {
    const volunteer = await signUpStaff(t, 'volunteer');
    expect((await admin.request('POST', `/api/users/${volunteer.userId}/disable`)).statusCode).toBe(204);
    expect((await volunteer.request('GET', '/api/auth/me')).statusCode).toBe(401);
    expect((await logIn(volunteer.username)).statusCode).toBe(401);
    const listed = (await admin.request('GET', '/api/users')).json<{ users: { id: string; status: string }[] }>();
    expect(listed.users.find((user) => user.id === volunteer.userId)?.status).toBe('disabled');

    expect((await admin.request('POST', `/api/users/${volunteer.userId}/enable`)).statusCode).toBe(204);
    expect((await admin.request('POST', `/api/users/${volunteer.userId}/enable`)).statusCode).toBe(409);
    const back = await logIn(volunteer.username);
    expect(back.statusCode).toBe(200);
    expect(back.json()).toEqual({ next: 'verify', methods: ['totp', 'recovery-code'] });
    const actions = (await auditFor(volunteer.userId)).filter((entry) => entry.actorId === admin.userId).map((entry) => entry.action);
    expect(actions).toEqual(expect.arrayContaining(['user.disabled', 'user.enabled']));
  });

  it('changes a role: the account is signed out and has the new role from its next sign-in', async () => {
    const volunteer = await signUpStaff(t, 'volunteer');
    expect((await volunteer.request('GET', '/api/users')).statusCode).toBe(403);
    expect((await admin.request('PUT', `/api/users/${volunteer.userId}/role`, { role: 'coordinator' })).statusCode).toBe(204);
    expect((await volunteer.request('GET', '/api/auth/me')).statusCode).toBe(401);
    const listed = (await admin.request('GET', '/api/users')).json<{ users: { id: string; role: string }[] }>();
    expect(listed.users.find((user) => user.id === volunteer.userId)?.role).toBe('coordinator');
    expect((await admin.request('PUT', `/api/users/${volunteer.userId}/role`, { role: 'coordinator' })).statusCode).toBe(409);
    expect((await admin.request('PUT', `/api/users/${volunteer.userId}/role`, { role: 'owner' })).statusCode).toBe(400);
    const [entry] = (await auditFor(volunteer.userId)).filter((e) => e.action === 'user.role-changed');
    expect(entry).toMatchObject({ actorId: admin.userId, details: { from: 'volunteer', to: 'coordinator' } });
  });

  it('resets a second factor: sessions end, old codes stop working, and the next sign-in sets up a new one', async () => {
    const volunteer = await signUpStaff(t, 'volunteer');
    expect((await admin.request('POST', `/api/users/${volunteer.userId}/reset-second-factor`)).statusCode).toBe(204);
    expect((await volunteer.request('GET', '/api/auth/me')).statusCode).toBe(401);
    const login = await logIn(volunteer.username);
    expect(login.json()).toEqual({ next: 'enroll', methods: ['totp'] });
    const listed = (await admin.request('GET', '/api/users')).json<{ users: { id: string; hasSecondFactor: boolean }[] }>();
    expect(listed.users.find((user) => user.id === volunteer.userId)?.hasSecondFactor).toBe(false);
    expect((await t.runtime.store.users.unusedRecoveryCodes(volunteer.userId)).length).toBe(0);
    expect((await auditFor(volunteer.userId)).map((entry) => entry.action)).toContain('user.second-factor-reset');
  });

  it('refuses an admin acting on their own account, and unknown accounts', async () => {
    expect((await admin.request('POST', `/api/users/${admin.userId}/disable`)).statusCode).toBe(409);
    expect((await admin.request('PUT', `/api/users/${admin.userId}/role`, { role: 'volunteer' })).statusCode).toBe(409);
    expect((await admin.request('POST', `/api/users/${admin.userId}/reset-second-factor`)).statusCode).toBe(409);
    expect((await admin.request('POST', '/api/users/no-such-account/enable')).statusCode).toBe(404);
    expect((await admin.request('GET', '/api/auth/me')).statusCode).toBe(200);
  });

  it('a staff member changes their own password: the current one is required, other sessions end, this one stays', async () => {
    const volunteer = await signUpStaff(t, 'volunteer');
    const wrong = await volunteer.request('POST', '/api/auth/password', { current: 'not my password', next: 'a brand new passphrase' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json()).toMatchObject({ error: { code: 'WRONG_PASSWORD' } });
    const short = await volunteer.request('POST', '/api/auth/password', { current: PASSWORD, next: 'short' });
    expect(short.statusCode).toBe(400);
    // Another session of the same person (a second device).
    const other = await logIn(volunteer.username);
    expect(other.statusCode).toBe(200);
    const sessionsBefore = await t.runtime.store.sessions.listOpen(volunteer.userId, t.clock());
    expect(sessionsBefore.length).toBe(2);
    const changed = await volunteer.request('POST', '/api/auth/password', { current: PASSWORD, next: 'a brand new passphrase' });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toEqual({ revoked: 1 });
    expect((await volunteer.request('GET', '/api/auth/me')).statusCode).toBe(200);
    expect((await t.runtime.store.sessions.listOpen(volunteer.userId, t.clock())).length).toBe(1);
    expect((await logIn(volunteer.username)).statusCode).toBe(401);
    expect((await logIn(volunteer.username, 'a brand new passphrase')).statusCode).toBe(200);
    expect((await auditFor(volunteer.userId)).map((entry) => entry.action)).toEqual(expect.arrayContaining(['auth.password-change-refused', 'auth.password-changed']));
  });
});
