import type { LoginInput } from '../../shared/schemas/auth';
import { AppError } from '../../shared/app-error';
import type { UserRow } from '../../db/repositories/user.repository';
import { appendAudit } from '../audit/append-audit';
import type { Deps } from '../deps';
import { mustUsePasskey } from './passkeys';
import { type SessionPolicy, startSession } from './sessions';
import { timingDummyHash, verifyPassword } from './secrets';

/** Failures one client may make on one account before that client is paused on it for a while. */
export const FREE_ATTEMPTS = 5;
const MAX_LOCK_MS = 60 * 60_000;

/** Lock time after `failures` consecutive failures: 1 min after the 5th, doubling to an hour. */
export function lockDurationMs(failures: number): number {
  if (failures < FREE_ATTEMPTS) return 0;
  return Math.min(MAX_LOCK_MS, 60_000 * 2 ** (failures - FREE_ATTEMPTS));
}

/**
 * Refuses a client while it is paused on an account, saying when to try again (used once the
 * password was right). Other clients, the account's owner among them, are not affected.
 */
export async function assertNotLocked(deps: Deps, user: UserRow, clientKey: string): Promise<void> {
  const now = deps.clock();
  const until = await deps.store.users.clientPausedUntil(user.id, clientKey);
  if (until !== null && until > now) throw lockedError(until, now);
}

function lockedError(lockedUntil: number, now: number): AppError {
  const retryAfterSeconds = Math.ceil((lockedUntil - now) / 1000);
  return new AppError('ACCOUNT_LOCKED', `Too many failed attempts; try again in ${retryAfterSeconds} seconds`, { details: { retryAfterSeconds } });
}

/** A sign-in attempt that was counted before being checked. */
export interface CountedAttempt {
  userId: string;
  clientKey: string;
  /** This attempt's number since the last successful sign-in. */
  attempts: number;
  /** The lock this attempt set (null if none) and the one in place before it. */
  lock: { set: number | null; previous: number | null };
}

/**
 * Counts an attempt of one client (the daily keyed hash of its address) on one account before its
 * password or code is checked, so that parallel guesses cannot all slip in under the same count:
 * the attempt that reaches the limit pauses that client on that account in the same transaction,
 * and every later one from it is refused (undefined) without being checked. Other clients are not
 * paused: a stranger's guesses never keep the owner out.
 */
export async function countAttempt(deps: Deps, userId: string, clientKey: string): Promise<CountedAttempt | undefined> {
  const now = deps.clock();
  return deps.store.transaction(async (tx) => {
    const counted = await tx.users.countThrottledAttempt(userId, clientKey, now);
    if (!counted) return undefined;
    const lockMs = lockDurationMs(counted.attempts);
    const set = lockMs > 0 ? now + lockMs : null;
    if (set !== null) await tx.users.pauseClient(userId, clientKey, set);
    return { userId, clientKey, attempts: counted.attempts, lock: { set, previous: counted.lockedUntil } };
  });
}

/** Records a counted attempt that failed (the count already includes it). */
export async function recordFailedAttempt(deps: Deps, attempt: CountedAttempt, reason: string): Promise<void> {
  await appendAudit(deps, {
    actorId: null,
    action: 'auth.login-failed',
    entityType: 'user',
    entityId: attempt.userId,
    details: { reason, failures: attempt.attempts, locked: attempt.lock.set !== null },
  });
}

/**
 * Counts a second-factor attempt, refusing it with ACCOUNT_LOCKED while the account is locked (the
 * password was right, so saying so reveals nothing).
 */
export async function countSecondFactorAttempt(deps: Deps, user: UserRow, clientKey: string): Promise<CountedAttempt> {
  const attempt = await countAttempt(deps, user.id, clientKey);
  if (!attempt) {
    const until = await deps.store.users.clientPausedUntil(user.id, clientKey);
    throw lockedError(until ?? deps.clock() + 60_000, deps.clock());
  }
  return attempt;
}

const WRONG_CREDENTIALS = 'Wrong username or password (after repeated failures, sign-in pauses for a while)';

/**
 * First step of signing in: checks the password and opens a half-open session that only allows the
 * second factor. Wrong passwords from one client pause that client on the account, growing from a
 * minute after the fifth to an hour. An unknown username, a disabled account, a paused client and a
 * wrong password all get the same answer after the same argon2 work, so the answer never tells
 * which usernames exist.
 */
export async function logIn(deps: Deps, input: LoginInput, policy: SessionPolicy, clientKey: string): Promise<{ token: string } & SignInNext> {
  const user = await deps.store.users.findByUsername(input.username);
  const attempt = user?.status === 'active' ? await countAttempt(deps, user.id, clientKey) : undefined;
  if (!user || !attempt) {
    await verifyPassword(await timingDummyHash(), input.password);
    throw new AppError('INVALID_CREDENTIALS', WRONG_CREDENTIALS);
  }
  if (!(await verifyPassword(user.password_hash, input.password))) {
    await recordFailedAttempt(deps, attempt, 'password');
    throw new AppError('INVALID_CREDENTIALS', WRONG_CREDENTIALS);
  }
  // The right password is not a failure: take the attempt back. The count and the lock are cleared
  // only once the second factor is right too, so knowing the password does not reset the back-off.
  await deps.store.users.uncountThrottledAttempt(user.id, clientKey, attempt.lock);
  const { token } = await startSession(deps, user.id, 'mfa', policy);
  return { token, ...(await nextStep(deps, user)) };
}

/** A second factor the sign-in page can ask for. */
export type SecondFactorMethod = 'passkey' | 'totp' | 'recovery-code';

/**
 * What comes after the password: enrolling a first second factor (a passkey when the account's role
 * requires one, else an authenticator app), or giving one of the factors the account has (only its
 * passkey when its role requires one).
 */
export interface SignInNext {
  next: 'enroll' | 'enroll-passkey' | 'verify';
  methods: SecondFactorMethod[];
}

async function nextStep(deps: Deps, user: UserRow): Promise<SignInNext> {
  const hasPasskey = (await deps.store.users.passkeysOf(user.id)).length > 0;
  const hasTotp = user.totp_enrolled_at !== null;
  const required = await mustUsePasskey(deps, user);
  if (!hasPasskey && !hasTotp) return required ? { next: 'enroll-passkey', methods: ['passkey'] } : { next: 'enroll', methods: ['totp'] };
  if (required && hasPasskey) return { next: 'verify', methods: ['passkey'] };
  const methods: SecondFactorMethod[] = [];
  if (hasPasskey) methods.push('passkey');
  if (hasTotp) methods.push('totp');
  methods.push('recovery-code');
  return { next: 'verify', methods };
}
