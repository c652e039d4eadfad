import { AppError } from '../../shared/app-error';
import type { UserRow } from '../../db/repositories/user.repository';
import type { SessionRow } from '../../db/repositories/session.repository';
import { appendAudit } from '../audit/append-audit';
import { type Deps, inTransaction } from '../deps';
import { type Actor, authorize, isRoleName } from './policy';
import { hashToken, newId, newToken } from './secrets';

/** How long sessions live. */
export interface SessionPolicy {
  /** Signed out after this long without a request. */
  idleMs: number;
  /** Signed out this long after sign-in, however active. */
  absoluteMs: number;
}

/**
 * How far a session has come: 'mfa' (password given, second factor not yet), 'passkey' (password and
 * TOTP given, but the account's role must sign in with a passkey and it has none yet: it may only
 * enrol one), 'full'.
 */
export type SessionStage = 'mfa' | 'passkey' | 'full';

/** A half-open session (password given, second factor not yet) lasts this long. */
export const MFA_STAGE_TTL_MS = 10 * 60_000;
// Writing last_seen_at on every request would turn each read into a write.
const TOUCH_INTERVAL_MS = 60_000;

/** A session found by its token, with its account. */
export interface AuthenticatedSession {
  session: SessionRow;
  user: UserRow;
  actor: Actor;
}

/** Opens a session and returns its token (shown once, stored only as a hash). */
export async function startSession(deps: Deps, userId: string, stage: SessionStage, policy: SessionPolicy): Promise<{ token: string; sessionId: string }> {
  const token = newToken();
  const now = deps.clock();
  const sessionId = newId();
  await deps.store.sessions.insert({
    id: sessionId,
    token_hash: hashToken(token),
    user_id: userId,
    stage,
    created_at: now,
    last_seen_at: now,
    expires_at: now + (stage === 'full' ? policy.absoluteMs : MFA_STAGE_TTL_MS),
    revoked_at: null,
  });
  return { token, sessionId };
}

/**
 * Finds the session a request's token belongs to, refusing revoked, expired and idle ones, and
 * accounts that were disabled. A session revoked a moment ago is refused on its next request.
 */
export async function authenticateSession(
  deps: Deps,
  token: string | undefined,
  policy: SessionPolicy,
  options: { stages: readonly SessionStage[] } = { stages: ['full'] },
): Promise<AuthenticatedSession> {
  if (!token) throw new AppError('UNAUTHENTICATED', 'Sign in first');
  const session = await deps.store.sessions.findByTokenHash(hashToken(token));
  const now = deps.clock();
  if (!session || session.revoked_at !== null) throw new AppError('UNAUTHENTICATED', 'Sign in first');
  if (session.expires_at <= now || now - session.last_seen_at > policy.idleMs) {
    throw new AppError('SESSION_EXPIRED', 'Your session has expired; sign in again');
  }
  if (!(options.stages as readonly string[]).includes(session.stage)) {
    if (session.stage === 'mfa') throw new AppError('SECOND_FACTOR_REQUIRED', 'Second factor required');
    if (session.stage === 'passkey') throw new AppError('PASSKEY_REQUIRED', 'Your role signs in with a passkey: add one to finish signing in');
    throw new AppError('UNAUTHENTICATED', 'Sign in first');
  }
  const user = await deps.store.users.findById(session.user_id);
  if (!user || user.status !== 'active' || !isRoleName(user.role)) throw new AppError('UNAUTHENTICATED', 'Sign in first');
  if (now - session.last_seen_at > TOUCH_INTERVAL_MS) await deps.store.sessions.update(session.id, { last_seen_at: now });
  return { session, user, actor: { id: user.id, role: user.role, username: user.username } };
}

/** Ends one session. Anyone may end their own; admins may end anyone's. */
export async function revokeSession(deps: Deps, options: { actor: Actor; sessionId: string }): Promise<void> {
  await deps.store.transaction(async (tx) => {
    const session = await tx.sessions.findById(options.sessionId);
    if (!session) throw new AppError('NOT_FOUND', 'No such session');
    if (session.user_id !== options.actor.id) authorize(options.actor, 'session.revoke-any', undefined, deps.clock());
    await tx.sessions.revoke(session.id, deps.clock());
    await appendAudit(inTransaction(deps, tx), {
      actorId: options.actor.id,
      action: 'auth.session-revoked',
      entityType: 'session',
      entityId: session.id,
      details: { userId: session.user_id },
    });
  });
}

/** Ends every session of a user ("log out everywhere"); an admin may do it for anyone. */
export async function revokeAllSessions(deps: Deps, options: { actor: Actor; userId: string }): Promise<number> {
  if (options.userId !== options.actor.id) authorize(options.actor, 'session.revoke-any', undefined, deps.clock());
  return deps.store.transaction(async (tx) => {
    const count = await tx.sessions.revokeAllOf(options.userId, deps.clock());
    await appendAudit(inTransaction(deps, tx), {
      actorId: options.actor.id,
      action: 'auth.sessions-revoked-all',
      entityType: 'user',
      entityId: options.userId,
      details: { count },
    });
    return count;
  });
}

/** Open sessions of a user, for the "where am I signed in" list. */
export async function listSessions(deps: Deps, options: { actor: Actor; userId: string }): Promise<SessionRow[]> {
  if (options.userId !== options.actor.id) authorize(options.actor, 'session.revoke-any', undefined, deps.clock());
  return deps.store.sessions.listOpen(options.userId, deps.clock());
}
