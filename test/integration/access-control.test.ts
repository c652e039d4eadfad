import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StaffSession, signUpStaff } from '../support/staff';
import { type TestHotline, startTestHotline } from '../support/test-runtime';

let t: TestHotline;
let staff: Record<'volunteer' | 'coordinator' | 'admin' | 'auditor', StaffSession>;

beforeAll(async () => {
  t = await startTestHotline();
  staff = {
    volunteer: await signUpStaff(t, 'volunteer', { realName: '李四', phone: '+8613912345678' }),
    coordinator: await signUpStaff(t, 'coordinator'),
    admin: await signUpStaff(t, 'admin'),
    auditor: await signUpStaff(t, 'auditor'),
  };
});
afterAll(async () => {
  await t.close();
});

describe('every staff API without a session', () => {
  it('answers 401 with no data, for every route that requires a session', async () => {
    const staffRoutes = t.app.routeList.filter((route) => route.auth !== undefined && route.method !== 'HEAD');
    expect(staffRoutes.length).toBeGreaterThanOrEqual(10);
    for (const route of staffRoutes) {
      const url = route.url.replace(/:(\w+)/g, 'some-$1');
      const response = await t.app.inject({ method: route.method as 'GET', url, payload: route.method === 'GET' ? undefined : {} });
      expect({ route: `${route.method} ${route.url}`, status: response.statusCode }).toEqual({ route: `${route.method} ${route.url}`, status: 401 });
      const body = response.json() as Record<string, unknown>;
      expect(Object.keys(body)).toEqual(['error']);
    }
  });
});

type Check = { method: 'GET' | 'POST'; url: string; body?: unknown; allowed: Array<keyof typeof staff> };

const checks: Check[] = [
  { method: 'GET', url: '/api/users', allowed: ['coordinator', 'admin'] },
  { method: 'POST', url: '/api/invitations', body: { role: 'volunteer' }, allowed: ['admin'] },
  { method: 'GET', url: '/api/audit', allowed: ['admin', 'auditor'] },
  { method: 'POST', url: '/api/audit/verify', allowed: ['admin', 'auditor'] },
  { method: 'GET', url: '/api/auth/me', allowed: ['volunteer', 'coordinator', 'admin', 'auditor'] },
  { method: 'GET', url: '/api/sessions', allowed: ['volunteer', 'coordinator', 'admin', 'auditor'] },
];

describe('each role through the API', () => {
  for (const check of checks) {
    for (const role of ['volunteer', 'coordinator', 'admin', 'auditor'] as const) {
      const allowed = check.allowed.includes(role);
      it(`${role} ${allowed ? 'may' : 'is refused'}: ${check.method} ${check.url}`, async () => {
        const response = await staff[role].request(check.method, check.url, check.body);
        if (allowed) {
          expect(response.statusCode).toBeLessThan(300);
        } else {
          expect(response.statusCode).toBe(403);
          expect(response.json()).toEqual({ error: { code: 'FORBIDDEN', message: expect.any(String) as string } });
        }
      });
    }
  }

  it('shows staff contact details to admins only', async () => {
    const asAdmin = (await staff.admin.request('GET', '/api/users')).json() as { users: { id: string; realName?: string; phone?: string }[] };
    const asCoordinator = (await staff.coordinator.request('GET', '/api/users')).json() as { users: { id: string; realName?: string }[] };
    expect(asAdmin.users.find((u) => u.id === staff.volunteer.userId)).toMatchObject({ realName: '李四', phone: '+8613912345678' });
    const seen = asCoordinator.users.find((u) => u.id === staff.volunteer.userId);
    expect(seen).toBeDefined();
    expect(seen).not.toHaveProperty('realName');
    expect(JSON.stringify(asCoordinator)).not.toContain('李四');
  });

  it('a volunteer cannot revoke an admin session, an admin can disable a volunteer', async () => {
    const adminMe = (await staff.admin.request('GET', '/api/auth/me')).json() as { session: { id: string } };
    expect((await staff.volunteer.request('DELETE', `/api/sessions/${adminMe.session.id}`)).statusCode).toBe(403);
    expect((await staff.admin.request('GET', '/api/auth/me')).statusCode).toBe(200);
    const disabled = await signUpStaff(t, 'volunteer');
    expect((await staff.admin.request('POST', `/api/users/${disabled.userId}/disable`)).statusCode).toBe(204);
    expect((await disabled.request('GET', '/api/auth/me')).statusCode).toBe(401);
  });
});
