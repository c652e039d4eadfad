import { generate } from 'otplib';
import type { LightMyRequestResponse } from 'fastify';
import type { Role } from '../../src/domain/auth/policy';
import { createInvitation } from '../../src/domain/auth/create-invitation';
import type { TestHotline } from './test-runtime';

/** A signed-in staff member for HTTP tests: send requests with their cookies and CSRF header. */
export interface StaffSession {
  userId: string;
  username: string;
  role: Role;
  totpSecret: string;
  recoveryCodes: string[];
  cookies: Record<string, string>;
  csrf: string;
  request(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body?: unknown): Promise<LightMyRequestResponse>;
}

/** Collects Set-Cookie headers into a cookie jar. */
export function updateJar(jar: Record<string, string>, response: LightMyRequestResponse): void {
  for (const cookie of response.cookies as { name: string; value: string }[]) {
    if (cookie.value === '') delete jar[cookie.name];
    else jar[cookie.name] = cookie.value;
  }
}

/** Serializes a jar into a Cookie header. */
export function cookieHeader(jar: Record<string, string>): string {
  return Object.entries(jar)
    .map(([name, value]) => `${name}=${value}`)
    .join('; ');
}

/** What signing up needs: the app, its runtime and the clock it runs on (a test's fake clock or the real one). */
export type StaffHost = Pick<TestHotline, 'app' | 'runtime'> & { clock: () => number };

/** The current TOTP code for a secret at the test clock's time. */
export function totpNow(t: StaffHost, secret: string): Promise<string> {
  return generate({ secret, epoch: Math.floor(t.clock() / 1000) });
}

let counter = 0;

/**
 * Creates a staff member the way a person does: an invitation, accepting it, signing in with a
 * password, enrolling TOTP. Returns a session that sends authenticated requests.
 */
export async function signUpStaff(t: StaffHost, role: Role, extra: { realName?: string; phone?: string } = {}): Promise<StaffSession> {
  counter += 1;
  const username = `${role}${counter}`;
  // Each sign-up comes from an address of its own, so the per-address sign-in rate limit (20 a
  // minute) never trips in a file that creates many accounts.
  const remoteAddress = `10.254.${Math.floor(counter / 250) % 250}.${(counter % 250) + 1}`;
  const password = 'correct horse battery staple';
  const invitation = await createInvitation(t.runtime, { actor: null, role });
  const accepted = await t.app.inject({
    method: 'POST',
    url: '/api/invitations/accept',
    remoteAddress,
    payload: { token: invitation.token, username, displayName: `${role} ${counter}`, password, ...extra },
  });
  if (accepted.statusCode !== 201) throw new Error(`accept failed: ${accepted.body}`);
  const userId = (accepted.json() as { userId: string }).userId;
  const jar: Record<string, string> = {};
  const login = await t.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress, payload: { username, password } });
  if (login.statusCode !== 200) throw new Error(`login failed: ${login.body}`);
  updateJar(jar, login);
  const csrfOf = () => jar.hotline_csrf ?? '';
  const enrollment = await t.app.inject({ method: 'POST', url: '/api/auth/enrollment', remoteAddress, headers: { cookie: cookieHeader(jar), 'x-csrf-token': csrfOf() } });
  const { secret } = enrollment.json() as { secret: string };
  const confirm = await t.app.inject({
    method: 'POST',
    url: '/api/auth/enrollment/confirm',
    remoteAddress,
    headers: { cookie: cookieHeader(jar), 'x-csrf-token': csrfOf() },
    payload: { code: await totpNow(t, secret) },
  });
  if (confirm.statusCode !== 200) throw new Error(`enrol failed: ${confirm.body}`);
  updateJar(jar, confirm);
  const session: StaffSession = {
    userId,
    username,
    role,
    totpSecret: secret,
    recoveryCodes: (confirm.json() as { recoveryCodes: string[] }).recoveryCodes,
    cookies: jar,
    get csrf() {
      return csrfOf();
    },
    request: (method, url, body) =>
      t.app.inject({
        method,
        url,
        headers: { cookie: cookieHeader(jar), 'x-csrf-token': csrfOf() },
        ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
      }),
  };
  return session;
}
