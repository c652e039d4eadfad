import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config/config';
import type { Deps } from '../domain/deps';
import type { Actor } from '../domain/auth/policy';
import { type AuthenticatedSession, type SessionPolicy, authenticateSession } from '../domain/auth/sessions';
import { AppError } from '../shared/app-error';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * 'staff': a full session is required; 'mfa': a half-open session (second factor pending);
     * 'enrol': any session that may add a passkey (half-open, waiting for a required passkey, or full).
     */
    auth?: 'staff' | 'mfa' | 'enrol';
  }
  interface FastifyRequest {
    session?: AuthenticatedSession;
    sessionToken?: string;
  }
}

/** Names of the session and CSRF cookies; `__Host-` pins them to this host when served over HTTPS. */
export function cookieNames(config: Pick<Config, 'cookieSecure'>): { session: string; csrf: string; device: string } {
  return config.cookieSecure
    ? { session: '__Host-hotline_session', csrf: '__Host-hotline_csrf', device: '__Host-hotline_device' }
    : { session: 'hotline_session', csrf: 'hotline_csrf', device: 'hotline_device' };
}

const DEVICE_COOKIE_SECONDS = 400 * 86_400;

/** Sets the long-lived device cookie that lets a sign-in from a new device be noticed. */
export function setDeviceCookie(reply: FastifyReply, config: Config, deviceToken: string): void {
  const names = cookieNames(config);
  void reply.setCookie(names.device, deviceToken, { path: '/', sameSite: 'strict', secure: config.cookieSecure, httpOnly: true, maxAge: DEVICE_COOKIE_SECONDS });
}

/** The CSRF token for a session token: derivable only by whoever holds the HttpOnly session cookie. */
export function csrfTokenFor(sessionToken: string): string {
  return createHash('sha256').update(`csrf\u0000${sessionToken}`).digest('base64url');
}

/** Session lifetimes from configuration. */
export function sessionPolicy(config: Config): SessionPolicy {
  return { idleMs: config.HOTLINE_SESSION_IDLE_MINUTES * 60_000, absoluteMs: config.HOTLINE_SESSION_ABSOLUTE_HOURS * 3_600_000 };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const STAGES_OF = { staff: ['full'], mfa: ['mfa'], enrol: ['mfa', 'passkey', 'full'] } as const;

/**
 * Authenticates routes marked `config.auth`: the session cookie must name an open session of the
 * right stage, and a write must carry the CSRF header that matches it. Anything else is a 401 or 403
 * with no data.
 */
export function installSessionAuth(app: FastifyInstance, deps: Deps, config: Config): void {
  const names = cookieNames(config);
  const policy = sessionPolicy(config);
  app.addHook('onRequest', async (request: FastifyRequest) => {
    const mode = request.routeOptions.config.auth;
    if (!mode) return;
    const token = request.cookies[names.session];
    const session = await authenticateSession(deps, token, policy, { stages: STAGES_OF[mode] });
    if (!SAFE_METHODS.has(request.method)) {
      const header = request.headers['x-csrf-token'];
      const expected = Buffer.from(csrfTokenFor(token as string));
      const given = Buffer.from(typeof header === 'string' ? header : '');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw new AppError('CSRF_REJECTED', 'Missing or wrong X-CSRF-Token header');
      }
    }
    request.session = session;
    request.sessionToken = token;
  });
}

/** Sets the session cookie (HttpOnly) and the CSRF cookie (readable by the page's own script). */
export function setSessionCookies(reply: FastifyReply, config: Config, token: string): void {
  const names = cookieNames(config);
  const base = { path: '/', sameSite: 'strict' as const, secure: config.cookieSecure };
  void reply.setCookie(names.session, token, { ...base, httpOnly: true });
  void reply.setCookie(names.csrf, csrfTokenFor(token), { ...base, httpOnly: false });
}

/** Clears both cookies. */
export function clearSessionCookies(reply: FastifyReply, config: Config): void {
  const names = cookieNames(config);
  const base = { path: '/', sameSite: 'strict' as const, secure: config.cookieSecure };
  void reply.clearCookie(names.session, base);
  void reply.clearCookie(names.csrf, base);
}

/** The signed-in actor of a staff route (the hook guarantees it). */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.session) throw new AppError('UNAUTHENTICATED', 'Sign in first');
  return request.session.actor;
}
