import type { LoginInput } from '../../shared/schemas/auth';
import { AppError } from '../../shared/app-error';
import type { UserRow } from '../../db/repositories/user.repository';
import { appendAudit } from '../audit/append-audit';
import { type Deps, inTransaction } from '../deps';
import { type SessionPolicy, startSession } from './sessions';
import { timingDummyHash, verifyPassword } from './secrets';

/** Failures allowed before the account is locked for a while. */
export const FREE_ATTEMPTS = 5;
const MAX_LOCK_MS = 60 * 60_000;

/** Lock time after `failures` consecutive failures: 1 min after the 5th, doubling to an hour. */
export function lockDurationMs(failures: number): number {
  if (failures < FREE_ATTEMPTS) return 0;
  return Math.min(MAX_LOCK_MS, 60_000 * 2 ** (failures - FREE_ATTEMPTS));
}

/** Refuses an account while it is locked, saying when to try again. */
export function assertNotLocked(user: UserRow, now: number): void {
  if (user.locked_until !== null && user.locked_until > now) {
    const retryAfterSeconds = Math.ceil((user.locked_until - now) / 1000);
    throw new AppError('ACCOUNT_LOCKED', `Too many failed attempts; try again in ${retryAfterSeconds} seconds`, { details: { retryAfterSeconds } });
  }
}

/** Counts a failed password or second-factor attempt and locks the account when there were too many. */
export async function recordFailedAttempt(deps: Deps, user: UserRow, reason: string): Promise<void> {
  const now = deps.clock();
  const failures = user.failed_login_count + 1;
  const lockMs = lockDurationMs(failures);
  await deps.store.transaction(async (tx) => {
    await tx.users.update(user.id, { failed_login_count: failures, locked_until: lockMs > 0 ? now + lockMs : user.locked_until, updated_at: now });
    await appendAudit(inTransaction(deps, tx), {
      actorId: null,
      action: 'auth.login-failed',
      entityType: 'user',
      entityId: user.id,
      details: { reason, failures, locked: lockMs > 0 },
    });
  });
}

/**
 * First step of signing in: checks the password and opens a half-open session that only allows the
 * second factor. Wrong passwords count toward a growing lock; unknown usernames take as long as
 * known ones and give the same answer.
 */
export async function logIn(deps: Deps, input: LoginInput, policy: SessionPolicy): Promise<{ token: string; next: 'enroll' | 'verify' }> {
  const user = await deps.store.users.findByUsername(input.username);
  if (!user || user.status !== 'active') {
    await verifyPassword(await timingDummyHash(), input.password);
    throw new AppError('INVALID_CREDENTIALS', 'Wrong username or password');
  }
  assertNotLocked(user, deps.clock());
  if (!(await verifyPassword(user.password_hash, input.password))) {
    await recordFailedAttempt(deps, user, 'password');
    throw new AppError('INVALID_CREDENTIALS', 'Wrong username or password');
  }
  const { token } = await startSession(deps, user.id, 'mfa', policy);
  return { token, next: user.totp_enrolled_at === null ? 'enroll' : 'verify' };
}
