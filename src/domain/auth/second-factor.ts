import { generateSecret, generateURI, verify } from 'otplib';
import type { SecondFactorInput } from '../../shared/schemas/auth';
import { AppError } from '../../shared/app-error';
import type { UserRow } from '../../db/repositories/user.repository';
import { appendAudit } from '../audit/append-audit';
import { type Deps, inTransaction } from '../deps';
import { USER_FIELDS } from './accept-invitation';
import { assertNotLocked, countSecondFactorAttempt, recordFailedAttempt } from './log-in';
import { hashToken, newId, newRecoveryCodes, normalizeRecoveryCode } from './secrets';
import { mustUsePasskey, replaceSession, stageAfterSecondFactor } from './passkeys';
import { type SessionPolicy, type SessionStage, authenticateSession } from './sessions';

/** Name shown in authenticator apps. */
const ISSUER = 'Hotline';

/** Checks a TOTP code (±1 step of clock drift) and refuses a step already used. */
async function checkTotp(deps: Deps, secret: string, code: string, lastStep: number | null): Promise<number | undefined> {
  const result = await verify({
    secret,
    token: code,
    epoch: Math.floor(deps.clock() / 1000),
    epochTolerance: 30,
    ...(lastStep === null ? {} : { afterTimeStep: lastStep }),
  });
  return result.valid && 'timeStep' in result ? result.timeStep : undefined;
}

/**
 * Swaps a half-open session for one with a new token (a token seen before sign-in is worthless
 * after): full, or only allowed to add a passkey when the account's role requires one it lacks.
 */
async function upgradeSession(deps: Deps, sessionId: string, user: UserRow, policy: SessionPolicy): Promise<{ token: string; stage: SessionStage }> {
  const stage = await stageAfterSecondFactor(deps, user);
  return { token: await replaceSession(deps, sessionId, user.id, stage, policy), stage };
}

async function pendingUser(deps: Deps, token: string | undefined, policy: SessionPolicy, clientKey: string): Promise<{ user: UserRow; sessionId: string }> {
  const { user, session } = await authenticateSession(deps, token, policy, { stages: ['mfa'] });
  await assertNotLocked(deps, user, clientKey);
  return { user, sessionId: session.id };
}

/**
 * Starts (or restarts) TOTP enrolment for an account that has none: makes a secret, keeps it
 * encrypted until confirmed, and returns it with the otpauth:// URI for the authenticator app.
 */
export async function beginEnrollment(deps: Deps, sessionToken: string | undefined, policy: SessionPolicy, clientKey: string): Promise<{ secret: string; otpauthUri: string }> {
  const { user } = await pendingUser(deps, sessionToken, policy, clientKey);
  if (user.totp_enrolled_at !== null) throw new AppError('ALREADY_ENROLLED', 'A second factor is already set up for this account');
  const secret = generateSecret();
  await deps.store.users.update(user.id, { totp_secret_enc: deps.keyring.encrypt(secret, USER_FIELDS.totpSecret), updated_at: deps.clock() });
  return { secret, otpauthUri: generateURI({ issuer: ISSUER, label: user.username, secret }) };
}

/** Confirms enrolment with a first code; returns a full session and the recovery codes (shown once). */
export async function confirmEnrollment(
  deps: Deps,
  sessionToken: string | undefined,
  code: string,
  policy: SessionPolicy,
  clientKey: string,
): Promise<{ token: string; stage: SessionStage; recoveryCodes: string[] }> {
  const { user, sessionId } = await pendingUser(deps, sessionToken, policy, clientKey);
  if (user.totp_enrolled_at !== null) throw new AppError('ALREADY_ENROLLED', 'A second factor is already set up for this account');
  if (!user.totp_secret_enc) throw new AppError('BAD_REQUEST', 'Start enrolment first');
  const attempt = await countSecondFactorAttempt(deps, user, clientKey);
  const secret = deps.keyring.decrypt(user.totp_secret_enc, USER_FIELDS.totpSecret);
  const step = await checkTotp(deps, secret, code, null);
  if (step === undefined) {
    await recordFailedAttempt(deps, attempt, 'totp-enrollment');
    throw new AppError('INVALID_SECOND_FACTOR', 'That code is not right; check the time on your phone and try the current code');
  }
  const recoveryCodes = newRecoveryCodes();
  const now = deps.clock();
  const signedIn = await deps.store.transaction(async (tx) => {
    const txDeps = inTransaction(deps, tx);
    await tx.users.update(user.id, { totp_enrolled_at: now, totp_last_step: step, updated_at: now });
    await tx.users.clearThrottles(user.id, clientKey);
    await tx.users.replaceRecoveryCodes(
      user.id,
      recoveryCodes.map((c) => ({ id: newId(), user_id: user.id, code_hash: hashToken(normalizeRecoveryCode(c)), used_at: null })),
    );
    await appendAudit(txDeps, { actorId: user.id, action: 'auth.second-factor-enrolled', entityType: 'user', entityId: user.id });
    await appendAudit(txDeps, { actorId: user.id, action: 'auth.login', entityType: 'user', entityId: user.id, details: { method: 'totp' } });
    return upgradeSession(txDeps, sessionId, user, policy);
  });
  return { ...signedIn, recoveryCodes };
}

/** Second step of signing in: a current TOTP code or an unused recovery code. */
export async function verifySecondFactor(
  deps: Deps,
  sessionToken: string | undefined,
  input: SecondFactorInput,
  policy: SessionPolicy,
  clientKey: string,
): Promise<{ token: string; stage: SessionStage; recoveryCodesLeft?: number }> {
  const { user, sessionId } = await pendingUser(deps, sessionToken, policy, clientKey);
  const passkeys = await deps.store.users.passkeysOf(user.id);
  if (passkeys.length > 0 && (await mustUsePasskey(deps, user))) {
    throw new AppError('PASSKEY_REQUIRED', 'Your role signs in with a passkey; an admin can reset it if you lost it');
  }
  if ('code' in input ? user.totp_enrolled_at === null || !user.totp_secret_enc : user.totp_enrolled_at === null && passkeys.length === 0) {
    throw new AppError('BAD_REQUEST', 'Set up a second factor first');
  }
  const now = deps.clock();
  const attempt = await countSecondFactorAttempt(deps, user, clientKey);
  if ('code' in input) {
    if (!user.totp_secret_enc) throw new AppError('BAD_REQUEST', 'Set up a second factor first');
    const secret = deps.keyring.decrypt(user.totp_secret_enc, USER_FIELDS.totpSecret);
    const step = await checkTotp(deps, secret, input.code, user.totp_last_step);
    if (step === undefined) {
      await recordFailedAttempt(deps, attempt, 'totp');
      throw new AppError('INVALID_SECOND_FACTOR', 'That code is not right or was already used');
    }
    return deps.store.transaction(async (tx) => {
      const txDeps = inTransaction(deps, tx);
      // Conditional, so the same code sent twice in parallel signs in only once.
      if (!(await tx.users.useTotpStep(user.id, step))) throw new AppError('INVALID_SECOND_FACTOR', 'That code is not right or was already used');
      await tx.users.update(user.id, { updated_at: now });
      await tx.users.clearThrottles(user.id, clientKey);
      await appendAudit(txDeps, { actorId: user.id, action: 'auth.login', entityType: 'user', entityId: user.id, details: { method: 'totp' } });
      return upgradeSession(txDeps, sessionId, user, policy);
    });
  }
  const wanted = hashToken(normalizeRecoveryCode(input.recoveryCode));
  const codes = await deps.store.users.unusedRecoveryCodes(user.id);
  const match = codes.find((c) => c.code_hash === wanted);
  if (!match) {
    await recordFailedAttempt(deps, attempt, 'recovery-code');
    throw new AppError('INVALID_SECOND_FACTOR', 'That recovery code is not right or was already used');
  }
  const signedIn = await deps.store.transaction(async (tx) => {
    const txDeps = inTransaction(deps, tx);
    if (!(await tx.users.useRecoveryCode(match.id, now))) throw new AppError('INVALID_SECOND_FACTOR', 'That recovery code was already used');
    await tx.users.update(user.id, { updated_at: now });
    await tx.users.clearThrottles(user.id, clientKey);
    await appendAudit(txDeps, { actorId: user.id, action: 'auth.login', entityType: 'user', entityId: user.id, details: { method: 'recovery-code' } });
    return upgradeSession(txDeps, sessionId, user, policy);
  });
  return { ...signedIn, recoveryCodesLeft: codes.length - 1 };
}
