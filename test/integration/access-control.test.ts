import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Roles, type Role } from '../../src/domain/auth/policy';
import { type StaffSession, cookieHeader, signUpStaff } from '../support/staff';
import { type TestHotline, startTestHotline } from '../support/test-runtime';

// Telephony is configured so that its routes register: a route that exists only in production
// must be covered here too.
const TELEPHONY_ENV = {
  HOTLINE_PUBLIC_URL: 'http://127.0.0.1:8080',
  HOTLINE_TWILIO_ACCOUNT_SID: `AC${'a'.repeat(32)}`,
  HOTLINE_TWILIO_AUTH_TOKEN: 'test-auth-token-0123456789abcdef',
  HOTLINE_TWILIO_API_KEY_SID: `SK${'b'.repeat(32)}`,
  HOTLINE_TWILIO_API_KEY_SECRET: 'api-key-secret-0123456789',
  HOTLINE_SIP_SECRET: 'sip-secret-0123456789abcdefghijklmn',
};

/** API routes anyone may call: signing in, accepting an invitation, the public registry, the docs. */
const PUBLIC_API = new Set([
  'POST /api/auth/login',
  'POST /api/invitations/accept',
  'GET /api/public/counters',
  'GET /api/public/counters/stream',
  'GET /api/public/daily',
  'GET /api/public/provinces',
  'GET /api/public/statements',
  'GET /api/public/pow',
  'POST /api/public/statements',
  'POST /api/public/receipts/lookup',
  'GET /api/docs',
  'GET /api/docs/json',
  'GET /api/docs/yaml',
  'GET /api/docs/static/*',
  'GET /api/docs/static/index.html',
  'GET /api/docs/static/swagger-initializer.js',
]);

/** Provider webhooks: no session, but a Twilio signature or Kamailio's shared secret. */
const SIGNED_WEBHOOKS: Record<string, { provider: 'twilio' | 'sip'; url: string }> = {
  'POST /telephony/twilio/voice': { provider: 'twilio', url: '/telephony/twilio/voice' },
  'POST /telephony/twilio/dial-result': { provider: 'twilio', url: '/telephony/twilio/dial-result?volunteer=v1' },
  'POST /telephony/twilio/client-status': { provider: 'twilio', url: '/telephony/twilio/client-status?volunteer=v1' },
  'POST /telephony/twilio/call-status': { provider: 'twilio', url: '/telephony/twilio/call-status' },
  'POST /telephony/twilio/choice': { provider: 'twilio', url: '/telephony/twilio/choice' },
  'POST /telephony/twilio/campaigns/:campaignId/answer': { provider: 'twilio', url: '/telephony/twilio/campaigns/c1/answer' },
  'POST /telephony/twilio/campaigns/:campaignId/choice': { provider: 'twilio', url: '/telephony/twilio/campaigns/c1/choice' },
  'GET /telephony/sip/credentials': { provider: 'sip', url: '/telephony/sip/credentials?user=v1' },
  'GET /telephony/sip/route': { provider: 'sip', url: '/telephony/sip/route?call=c1' },
  'GET /telephony/sip/outbound': { provider: 'sip', url: '/telephony/sip/outbound?call=c1&volunteer=v1&target=%2B8613800138000' },
  'POST /telephony/sip/events': { provider: 'sip', url: '/telephony/sip/events?call=c1&kind=ringing' },
  'POST /telephony/twilio/wait': { provider: 'twilio', url: '/telephony/twilio/wait' },
  'POST /telephony/twilio/outbound': { provider: 'twilio', url: '/telephony/twilio/outbound' },
  'POST /telephony/twilio/outbound-result': { provider: 'twilio', url: '/telephony/twilio/outbound-result?volunteer=v1' },
  'POST /telephony/twilio/number-status': { provider: 'twilio', url: '/telephony/twilio/number-status?volunteer=v1' },
};

/**
 * Files fetched by a provider that cannot sign its requests (Twilio's <Play>): public, and holding
 * nothing personal (a campaign's recorded message).
 */
const PROVIDER_FILES = new Set(['GET /telephony/messages/:file']);

let t: TestHotline;
let staff: Record<Role, StaffSession>;
/** Records the refusal checks point at: they belong to someone else than the refused caller. */
let other: { userId: string; sessionId: string; callId: string; statementId: string; shiftId: string };

const key = (route: { method: string; url: string }) => `${route.method} ${route.url}`;
const apiRoutes = () => t.app.routeList.filter((route) => route.method !== 'HEAD' && /^\/(api|telephony)(\/|$)/.test(route.url));

/** A body that holds nothing but an error code and message. */
function expectNoData(response: LightMyRequestResponse, code: string, route: string): void {
  const body = response.json() as Record<string, unknown>;
  expect({ route, body }).toEqual({ route, body: { error: { code, message: expect.any(String) as string } } });
}

beforeAll(async () => {
  t = await startTestHotline({ env: TELEPHONY_ENV });
  staff = {
    volunteer: await signUpStaff(t, 'volunteer', { realName: '李四', phone: '+8613912345678' }),
    coordinator: await signUpStaff(t, 'coordinator'),
    admin: await signUpStaff(t, 'admin'),
    auditor: await signUpStaff(t, 'auditor'),
  };
  const bystander = await signUpStaff(t, 'volunteer');
  const bystanderSession = (await bystander.request('GET', '/api/auth/me')).json() as { session: { id: string } };
  const call = await staff.volunteer.request('POST', '/api/calls', { clientId: 'call-access-1', direction: 'outbound', outcome: 'listened', startedAt: t.clock() });
  const statement = await staff.volunteer.request('POST', '/api/statements', {
    statements: [{ nameKind: 'pseudonym', name: '自由', cohorts: [{ count: 1, organizations: ['party'] }], region: 'unknown', channel: 'hotline', provenance: { kind: 'volunteer', consent: 'personal' } }],
  });
  const shift = await staff.volunteer.request('POST', '/api/operations/shifts', { weekday: 1, startMinute: 600, durationMinutes: 60, timeZone: 'Asia/Shanghai' });
  other = {
    userId: bystander.userId,
    sessionId: bystanderSession.session.id,
    callId: (call.json() as { callId: string }).callId,
    statementId: (statement.json() as { statements: { id: string }[] }).statements[0]!.id,
    shiftId: (shift.json() as { id: string }).id,
  };
});
afterAll(async () => {
  await t.close();
});

describe('every API route', () => {
  it('is public by name, a signed provider webhook, or requires a session', () => {
    const unclassified = apiRoutes()
      .filter((route) => route.auth === undefined && !PUBLIC_API.has(key(route)) && !(key(route) in SIGNED_WEBHOOKS) && !PROVIDER_FILES.has(key(route)))
      .map(key);
    expect(unclassified).toEqual([]);
    // Telephony's staff routes registered too (they exist only when a provider is configured).
    expect(apiRoutes().filter((route) => route.auth !== undefined).map(key)).toEqual(expect.arrayContaining(['GET /telephony/twilio/token', 'GET /telephony/sip/account']));
    for (const name of Object.keys(SIGNED_WEBHOOKS)) expect(apiRoutes().map(key)).toContain(name);
  });

  it('answers 401 with nothing but an error to a request without a session, or with only a password', async () => {
    const halfOpen = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: staff.volunteer.username, password: 'correct horse battery staple' }, remoteAddress: '10.9.0.1' });
    const halfOpenCookie = cookieHeader(Object.fromEntries((halfOpen.cookies as { name: string; value: string }[]).map((c) => [c.name, c.value])));
    const sessionRoutes = apiRoutes().filter((route) => route.auth !== undefined);
    expect(sessionRoutes.length).toBeGreaterThanOrEqual(Object.keys(rules).length);
    for (const route of sessionRoutes) {
      const url = route.url.replace(/:(\w+)/g, 'some-$1');
      const payload = route.method === 'GET' || route.method === 'DELETE' ? undefined : {};
      const anonymous = await t.app.inject({ method: route.method as 'GET', url, ...(payload ? { payload } : {}) });
      expect({ route: key(route), status: anonymous.statusCode }).toEqual({ route: key(route), status: 401 });
      expectNoData(anonymous, 'UNAUTHENTICATED', key(route));
      if (route.auth === 'staff') {
        const passwordOnly = await t.app.inject({ method: route.method as 'GET', url, headers: { cookie: halfOpenCookie }, ...(payload ? { payload } : {}) });
        expect({ route: key(route), status: passwordOnly.statusCode }).toEqual({ route: key(route), status: 401 });
        expectNoData(passwordOnly, 'SECOND_FACTOR_REQUIRED', key(route));
      }
    }
  });

  it('refuses a provider webhook that is not signed, or signed wrongly, with 403 and nothing else', async () => {
    for (const [name, { provider, url }] of Object.entries(SIGNED_WEBHOOKS)) {
      const method = name.split(' ')[0] as 'GET' | 'POST';
      const form = method === 'POST' ? { headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'CallSid=CA00000000000000000000000000000001' } : {};
      const unsigned = await t.app.inject({ method, url, ...form });
      expect({ name, status: unsigned.statusCode }).toEqual({ name, status: 403 });
      expectNoData(unsigned, 'TELEPHONY_SIGNATURE_INVALID', name);
      const wrongHeader = provider === 'twilio' ? { 'x-twilio-signature': 'bm90IGEgc2lnbmF0dXJl' } : { 'x-hotline-sip-secret': 'not-the-shared-secret-000000000000' };
      const wrong = await t.app.inject({ method, url, ...form, headers: { ...form.headers, ...wrongHeader } });
      expect({ name, status: wrong.statusCode }).toEqual({ name, status: 403 });
      expectNoData(wrong, 'TELEPHONY_SIGNATURE_INVALID', name);
    }
  });
});

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
/**
 * Who may use each staff route. `any`: every role may call it (it acts only on the caller's own
 * things, or reads nothing personal). `hidden`: a refused caller is told the record does not exist
 * (404), so that the answer does not confirm it. Every staff route must be listed.
 */
interface Rule {
  allowed: readonly Role[] | 'any';
  url?: () => string;
  body?: () => unknown;
  csv?: string;
  hidden?: boolean;
  /** Refused roles told the record does not exist (404), when only some are. */
  hiddenFor?: readonly Role[];
  websocket?: boolean;
}
const everyone = 'any' as const;
const writers = ['volunteer', 'coordinator', 'admin'] as const;
const managers = ['coordinator', 'admin'] as const;
const rules: Record<string, Rule> = {
  'GET /api/auth/me': { allowed: everyone },
  'POST /api/auth/logout': { allowed: everyone },
  'POST /api/auth/logout-all': { allowed: everyone },
  'GET /api/sessions': { allowed: everyone },
  'GET /api/auth/passkeys': { allowed: everyone },
  'DELETE /api/auth/passkeys/:id': { allowed: everyone },
  'POST /api/auth/devices/acknowledge': { allowed: everyone },
  'GET /api/settings/sign-in': { allowed: everyone },
  'PUT /api/settings/sign-in': { allowed: ['admin'], body: () => ({ passkeyRoles: [] }) },
  'GET /api/erasures': { allowed: ['admin'] },
  'GET /api/users': { allowed: managers },
  'POST /api/users/:id/disable': { allowed: ['admin'], url: () => `/api/users/${other.userId}/disable` },
  'POST /api/users/:id/revoke-sessions': { allowed: ['admin'], url: () => `/api/users/${other.userId}/revoke-sessions` },
  'POST /api/users/:id/enable': { allowed: ['admin'], url: () => `/api/users/${other.userId}/enable` },
  'PUT /api/users/:id/role': { allowed: ['admin'], url: () => `/api/users/${other.userId}/role`, body: () => ({ role: 'volunteer' }) },
  'POST /api/users/:id/reset-second-factor': { allowed: ['admin'], url: () => `/api/users/${other.userId}/reset-second-factor` },
  'GET /api/invitations': { allowed: ['admin'] },
  'DELETE /api/invitations/:id': { allowed: ['admin'], url: () => '/api/invitations/invitation-1' },
  'POST /api/auth/password': { allowed: everyone, body: () => ({ current: 'wrong password here', next: 'a new long password' }) },
  'POST /api/invitations': { allowed: ['admin'], body: () => ({ role: 'admin' }) },
  'DELETE /api/sessions/:id': { allowed: ['admin'], url: () => `/api/sessions/${other.sessionId}` },
  'GET /api/audit': { allowed: ['admin', 'auditor'] },
  'POST /api/audit/verify': { allowed: ['admin', 'auditor'] },
  'POST /api/statements': {
    allowed: writers,
    body: () => ({ statements: [{ nameKind: 'pseudonym', name: '明天', cohorts: [{ count: 1, organizations: ['league'] }], region: 'unknown', channel: 'hotline', provenance: { kind: 'volunteer', consent: 'personal' } }] }),
  },
  'GET /api/statements/moderation': { allowed: managers },
  'GET /api/statements': { allowed: managers },
  'GET /api/regions/provinces': { allowed: everyone },
  'GET /api/followups': { allowed: ['admin'] },
  'POST /api/followups/:id/done': { allowed: ['admin'], url: () => '/api/followups/f1/done' },
  'POST /api/followups/:id/reopen': { allowed: ['admin'], url: () => '/api/followups/f1/reopen' },
  'PUT /api/followups/:id/due': { allowed: ['admin'], url: () => '/api/followups/f1/due', body: () => ({ dueAt: null }) },
  'POST /api/statements/:id/erase': { allowed: ['admin'], url: () => `/api/statements/${other.statementId}/erase`, body: () => ({ keepCounted: true }) },
  'POST /api/statements/:id/correction': { allowed: managers, url: () => `/api/statements/${other.statementId}/correction`, body: () => ({ reason: 'test', region: 'unknown' }) },
  'GET /api/statements/:id': { allowed: ['volunteer', 'coordinator', 'admin'], url: () => `/api/statements/${other.statementId}`, hidden: true },
  'POST /api/statements/:id/publish': { allowed: managers, url: () => `/api/statements/${other.statementId}/publish` },
  'POST /api/statements/:id/reject': { allowed: managers, url: () => `/api/statements/${other.statementId}/reject`, body: () => ({ reason: 'test' }) },
  'POST /api/statements/:id/duplicate': { allowed: managers, url: () => `/api/statements/${other.statementId}/duplicate`, body: () => ({ ofId: other.statementId }) },
  'POST /api/calls': { allowed: writers, body: () => ({ clientId: 'call-refused-1', direction: 'outbound', outcome: 'listened', startedAt: t.clock() }) },
  'GET /api/calls/mine': { allowed: everyone },
  'GET /api/calls': { allowed: managers },
  'GET /api/calls/export.csv': { allowed: managers },
  'GET /api/console/settings': { allowed: everyone },
  'POST /api/calls/live': { allowed: writers, body: () => ({ clientId: 'live-refused-1', direction: 'outbound' }) },
  'POST /api/calls/live/:clientId/answer': { allowed: writers, url: () => '/api/calls/live/live-refused-1/answer' },
  'POST /api/calls/live/:clientId/end': { allowed: writers, url: () => '/api/calls/live/live-refused-1/end' },
  'GET /api/calls/:id': { allowed: writers, url: () => `/api/calls/${other.callId}`, hidden: true },
  'PATCH /api/calls/:id': { allowed: ['volunteer', 'admin'], url: () => `/api/calls/${other.callId}`, body: () => ({ notes: 'changed' }), hiddenFor: ['auditor'] },
  'POST /api/calls/number-info': { allowed: writers, body: () => ({ phone: '+8613800138000' }) },
  'POST /api/calls/:id/receipts-read': { allowed: everyone },
  'GET /api/call-scripts': { allowed: writers },
  'GET /api/call-scripts/:key/versions': { allowed: managers, url: () => '/api/call-scripts/opening/versions' },
  'POST /api/call-scripts/:key/versions/:version/restore': { allowed: managers, url: () => '/api/call-scripts/opening/versions/1/restore' },
  'PUT /api/call-scripts/:key': { allowed: managers, url: () => '/api/call-scripts/opening', body: () => ({ titleZh: '开场', titleEn: 'Opening', bodyZh: '你好', bodyEn: 'Hello' }) },
  'POST /api/operations/lists/preview': { allowed: managers, url: () => '/api/operations/lists/preview?name=x', csv: 'number,organization,category\n+8673188888888,Office,government\n' },
  'POST /api/operations/lists/import': { allowed: managers, url: () => '/api/operations/lists/import?name=x', csv: 'number,organization,category\n+8673188888888,Office,government\n' },
  'GET /api/operations/lists': { allowed: managers },
  'GET /api/operations/lists/reports/:id/refused.csv': { allowed: managers, url: () => '/api/operations/lists/reports/report-1/refused.csv' },
  'POST /api/operations/do-not-call/search': { allowed: managers, body: () => ({ number: '+8613800000009' }) },
  'GET /api/operations/do-not-call': { allowed: managers },
  'POST /api/operations/do-not-call': { allowed: managers, body: () => ({ number: '+8613800000009' }) },
  'DELETE /api/operations/do-not-call/:id': { allowed: managers, url: () => '/api/operations/do-not-call/dnc-1' },
  'GET /api/operations/campaigns': { allowed: writers },
  'POST /api/operations/campaigns': { allowed: managers, body: () => ({ name: 'x', listIds: ['list-1'] }) },
  'POST /api/operations/campaigns/:id/status': { allowed: managers, url: () => '/api/operations/campaigns/c1/status', body: () => ({ status: 'paused' }) },
  'POST /api/operations/campaigns/:id/claim': { allowed: writers, url: () => '/api/operations/campaigns/c1/claim', body: () => ({ size: 1 }) },
  'GET /api/operations/campaigns/:id/progress': { allowed: writers, url: () => '/api/operations/campaigns/c1/progress' },
  'POST /api/operations/claim-next': { allowed: writers, body: () => ({ size: 1 }) },
  'GET /api/operations/my-tasks': { allowed: writers },
  'POST /api/operations/tasks/release': { allowed: writers, body: () => ({ taskIds: ['t1'] }) },
  'POST /api/operations/tasks/:id/dial': { allowed: writers, url: () => '/api/operations/tasks/t1/dial' },
  'POST /api/operations/tasks/:id/attempts': { allowed: writers, url: () => '/api/operations/tasks/t1/attempts', body: () => ({ outcome: 'no_answer' }) },
  'GET /api/operations/shifts': { allowed: writers },
  'POST /api/operations/shifts': { allowed: writers, body: () => ({ weekday: 2, startMinute: 600, durationMinutes: 60, timeZone: 'Asia/Shanghai' }) },
  'DELETE /api/operations/shifts/:id': { allowed: writers, url: () => `/api/operations/shifts/${other.shiftId}` },
  'PUT /api/operations/shifts/minimums': { allowed: managers, body: () => ({ hoursOfWeekUtc: [0], minimum: 1 }) },
  'POST /api/operations/presence': { allowed: writers, body: () => ({ presence: 'offline' }) },
  'GET /api/operations/presence/me': { allowed: writers },
  'PUT /api/operations/presence/languages': { allowed: writers, body: () => ({ languages: ['zh'] }) },
  'GET /api/operations/board': { allowed: managers },
  'GET /api/operations/queue/metrics': { allowed: managers, url: () => '/api/operations/queue/metrics?from=0&to=1' },
  'POST /api/operations/queue/simulate': { allowed: managers, body: () => ({ event: 'arrive', callId: 'refused-1' }) },
  'GET /api/operations/offers/:callId': { allowed: writers, url: () => '/api/operations/offers/call-1' },
  'POST /api/operations/offers/:callId/decline': { allowed: writers, url: () => '/api/operations/offers/call-1/decline' },
  'POST /api/operations/offers/:callId/accept': { allowed: writers, url: () => '/api/operations/offers/call-1/accept', body: () => ({ clientId: 'client-call-1' }) },
  'GET /api/operations/live': { allowed: managers, websocket: true },
  'GET /api/operations/my-channel': { allowed: everyone },
  'GET /api/reports/dashboard': { allowed: managers, url: () => '/api/reports/dashboard?from=2026-11-25&to=2026-11-25' },
  'GET /api/reports/mine': { allowed: writers },
  'GET /api/stories': { allowed: managers },
  'POST /api/stories': { allowed: managers, body: () => ({ callIds: [other.callId] }) },
  'GET /api/stories/:id': { allowed: managers, url: () => '/api/stories/s1' },
  'PUT /api/stories/:id': { allowed: managers, url: () => '/api/stories/s1', body: () => ({ content: { 'zh-Hans': { title: 'x', body: 'x' }, 'zh-Hant': { title: 'x', body: 'x' }, en: { title: 'x', body: 'x' } } }) },
  'POST /api/stories/:id/approve': { allowed: managers, url: () => '/api/stories/s1/approve' },
  'POST /api/stories/:id/publish': { allowed: managers, url: () => '/api/stories/s1/publish', body: () => ({ keep: [] }) },
  'POST /api/stories/:id/withdraw': { allowed: managers, url: () => '/api/stories/s1/withdraw' },
  'GET /telephony/twilio/token': { allowed: writers },
  'POST /telephony/twilio/dials': { allowed: writers, body: () => ({ target: 'task-t1' }) },
  'GET /telephony/sip/account': { allowed: writers },
  'POST /telephony/sip/transfers': { allowed: writers, body: () => ({ callId: 'call-1@host' }) },
};

describe('every staff route, for each role that must be refused', () => {
  it('lists every staff route in the table of who may use it', () => {
    const staffRoutes = apiRoutes().filter((route) => route.auth === 'staff').map(key);
    expect(staffRoutes.filter((route) => !(route in rules))).toEqual([]);
    expect(Object.keys(rules).filter((route) => !staffRoutes.includes(route))).toEqual([]);
  });

  for (const [name, rule] of Object.entries(rules)) {
    if (rule.allowed === 'any') continue;
    const refused = Roles.filter((role) => !(rule.allowed as readonly Role[]).includes(role));
    it(`${name} refuses ${refused.join(', ')} with no data`, async () => {
      const [method, pattern] = name.split(' ') as [Method, string];
      const url = rule.url?.() ?? pattern;
      for (const role of refused) {
        const who = staff[role];
        if (rule.websocket) {
          const ws = await t.app.injectWS(url, { headers: { cookie: cookieHeader(who.cookies), origin: new URL(t.config.publicUrl).origin } });
          const closed = await new Promise<number>((resolve) => ws.once('close', resolve));
          expect({ role, closed }).toEqual({ role, closed: 4403 });
          continue;
        }
        const response = rule.csv
          ? await t.app.inject({ method, url, headers: { cookie: cookieHeader(who.cookies), 'x-csrf-token': who.csrf, 'content-type': 'text/csv' }, payload: rule.csv })
          : await who.request(method, url, rule.body?.());
        const isHidden = rule.hidden === true || rule.hiddenFor?.includes(role) === true;
        expect({ role, status: response.statusCode }).toEqual({ role, status: isHidden ? 404 : 403 });
        expectNoData(response, isHidden ? 'NOT_FOUND' : 'FORBIDDEN', `${role} ${name}`);
      }
    });
  }
});

describe('each role through the API', () => {
  it('shows staff contact details to admins only', async () => {
    const asAdmin = (await staff.admin.request('GET', '/api/users')).json() as { users: { id: string; realName?: string; phone?: string }[] };
    const asCoordinator = (await staff.coordinator.request('GET', '/api/users')).json() as { users: { id: string; realName?: string }[] };
    expect(asAdmin.users.find((u) => u.id === staff.volunteer.userId)).toMatchObject({ realName: '李四', phone: '+8613912345678' });
    const seen = asCoordinator.users.find((u) => u.id === staff.volunteer.userId);
    expect(seen).toBeDefined();
    expect(seen).not.toHaveProperty('realName');
    expect(JSON.stringify(asCoordinator)).not.toContain('李四');
  });

  it('the roles allowed on the foundation routes get through', async () => {
    for (const [role, method, url, body] of [
      ['coordinator', 'GET', '/api/users', undefined],
      ['admin', 'POST', '/api/invitations', { role: 'volunteer' }],
      ['auditor', 'GET', '/api/audit', undefined],
      ['admin', 'POST', '/api/audit/verify', undefined],
      ['volunteer', 'GET', '/api/auth/me', undefined],
      ['auditor', 'GET', '/api/sessions', undefined],
    ] as const) {
      const response = await staff[role].request(method, url, body);
      expect({ role, url, succeeded: response.statusCode < 300 }).toEqual({ role, url, succeeded: true });
    }
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
