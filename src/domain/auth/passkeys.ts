import {
  type AuthenticationResponseJSON,
  type AuthenticatorTransportFuture,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import { AppError } from '../../shared/app-error';
import type { PasskeyRow, UserRow } from '../../db/repositories/user.repository';
import { appendAudit } from '../audit/append-audit';
import { type Deps, inTransaction } from '../deps';
import { countSecondFactorAttempt, recordFailedAttempt } from './log-in';
import { type Actor, type Role, Roles, authorize } from './policy';
import { hashToken, newId, newRecoveryCodes, normalizeRecoveryCode } from './secrets';
import { type SessionPolicy, type SessionStage, authenticateSession, startSession } from './sessions';

/** The WebAuthn relying party: the console's own origin, from HOTLINE_PUBLIC_URL. */
export interface RelyingParty {
  id: string;
  name: string;
  origin: string;
}

/** The relying party of a console served at `publicUrl`. */
export function relyingPartyOf(publicUrl: string): RelyingParty {
  const url = new URL(publicUrl);
  return { id: url.hostname, name: 'Hotline', origin: url.origin };
}

const PASSKEY_ROLES_KEY = 'auth.passkey-roles';

/** Roles whose members must sign in with a passkey (an admin's setting; none by default). */
export async function passkeyRoles(deps: Deps): Promise<Role[]> {
  const value = await deps.store.meta.get(PASSKEY_ROLES_KEY);
  if (!value) return [];
  const parsed = JSON.parse(value) as unknown;
  return Array.isArray(parsed) ? Roles.filter((role) => parsed.includes(role)) : [];
}

/**
 * An admin chooses the roles that must sign in with a passkey. Members of those roles without one
 * are led to add one at their next sign-in (after their password and authenticator code), and can
 * do nothing else until they have.
 */
export async function setPasskeyRoles(deps: Deps, options: { actor: Actor; roles: Role[] }): Promise<Role[]> {
  authorize(options.actor, 'settings.sign-in', undefined, deps.clock());
  const roles = Roles.filter((role) => options.roles.includes(role));
  return deps.store.transaction(async (tx) => {
    const before = await passkeyRoles(inTransaction(deps, tx));
    await tx.meta.set(PASSKEY_ROLES_KEY, JSON.stringify(roles));
    await appendAudit(inTransaction(deps, tx), { actorId: options.actor.id, action: 'settings.passkey-roles', details: { before, after: roles } });
    return roles;
  });
}

/** Whether this account must sign in with a passkey. */
export async function mustUsePasskey(deps: Deps, user: Pick<UserRow, 'role'>): Promise<boolean> {
  return (await passkeyRoles(deps)).includes(user.role as Role);
}

/**
 * The stage a session reaches once a second factor was given: full, or 'passkey' when the account's
 * role must use a passkey and it has none yet (it may then only add one).
 */
export async function stageAfterSecondFactor(deps: Deps, user: UserRow): Promise<SessionStage> {
  if (!(await mustUsePasskey(deps, user))) return 'full';
  return (await deps.store.users.passkeysOf(user.id)).length > 0 ? 'full' : 'passkey';
}

/** Swaps a session for a new one at `stage`, so a token seen before this step is worthless after. */
export async function replaceSession(deps: Deps, sessionId: string, userId: string, stage: SessionStage, policy: SessionPolicy): Promise<string> {
  await deps.store.sessions.revoke(sessionId, deps.clock());
  const { token } = await startSession(deps, userId, stage, policy);
  return token;
}

function transportsOf(row: PasskeyRow): AuthenticatorTransportFuture[] {
  return JSON.parse(row.transports) as AuthenticatorTransportFuture[];
}

async function keepChallenge(deps: Deps, sessionId: string, challenge: string): Promise<void> {
  await deps.store.sessions.update(sessionId, { challenge });
}

/** Takes the session's challenge once: a response can be checked against it only one time. */
async function takeChallenge(deps: Deps, sessionId: string): Promise<string> {
  const session = await deps.store.sessions.findById(sessionId);
  if (!session?.challenge) throw new AppError('BAD_REQUEST', 'Ask for passkey options first');
  await deps.store.sessions.update(sessionId, { challenge: null });
  return session.challenge;
}

/** Sign-in, second step with a passkey: the options the browser hands to the authenticator. */
export async function passkeySignInOptions(
  deps: Deps,
  sessionToken: string | undefined,
  policy: SessionPolicy,
  rp: RelyingParty,
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const { user, session } = await authenticateSession(deps, sessionToken, policy, { stages: ['mfa'] });
  const passkeys = await deps.store.users.passkeysOf(user.id);
  if (passkeys.length === 0) throw new AppError('BAD_REQUEST', 'This account has no passkey; use your authenticator code');
  const options = await generateAuthenticationOptions({
    rpID: rp.id,
    allowCredentials: passkeys.map((row) => ({ id: row.id, transports: transportsOf(row) })),
    userVerification: 'preferred',
  });
  await keepChallenge(deps, session.id, options.challenge);
  return options;
}

/** Sign-in, second step with a passkey: checks the authenticator's signature and opens a full session. */
export async function verifyPasskeySignIn(
  deps: Deps,
  sessionToken: string | undefined,
  response: AuthenticationResponseJSON,
  policy: SessionPolicy,
  rp: RelyingParty,
  clientKey: string,
): Promise<{ token: string; stage: SessionStage }> {
  const { user, session } = await authenticateSession(deps, sessionToken, policy, { stages: ['mfa'] });
  const attempt = await countSecondFactorAttempt(deps, user, clientKey);
  const challenge = await takeChallenge(deps, session.id);
  const passkey = (await deps.store.users.passkeysOf(user.id)).find((row) => row.id === response.id);
  const fail = async (reason: string): Promise<never> => {
    await recordFailedAttempt(deps, attempt, reason);
    throw new AppError('PASSKEY_INVALID', 'That passkey was not accepted; try again or use another');
  };
  if (!passkey) return fail('passkey-unknown');
  let verified: Awaited<ReturnType<typeof verifyAuthenticationResponse>>;
  try {
    verified = await verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      credential: { id: passkey.id, publicKey: new Uint8Array(passkey.public_key), counter: passkey.counter, transports: transportsOf(passkey) },
      requireUserVerification: false,
    });
  } catch {
    return fail('passkey');
  }
  if (!verified.verified) return fail('passkey');
  const now = deps.clock();
  const token = await deps.store.transaction(async (tx) => {
    const txDeps = inTransaction(deps, tx);
    await tx.users.usePasskey(passkey.id, verified.authenticationInfo.newCounter, now);
    await tx.users.clearThrottles(user.id, clientKey);
    await appendAudit(txDeps, { actorId: user.id, action: 'auth.login', entityType: 'user', entityId: user.id, details: { method: 'passkey', passkey: passkey.name } });
    return replaceSession(txDeps, session.id, user.id, 'full', policy);
  });
  return { token, stage: 'full' };
}

/**
 * Whether this session may add a passkey: a full session (from the account page), a session whose
 * role requires one, or a first sign-in of an account that has no second factor at all yet.
 */
function mayEnrol(user: UserRow, stage: string, passkeys: PasskeyRow[]): boolean {
  if (stage === 'full' || stage === 'passkey') return true;
  return user.totp_enrolled_at === null && passkeys.length === 0;
}

/** Options for adding a passkey to the signed-in (or signing-in) account. */
export async function passkeyRegistrationOptions(
  deps: Deps,
  sessionToken: string | undefined,
  policy: SessionPolicy,
  rp: RelyingParty,
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const { user, session } = await authenticateSession(deps, sessionToken, policy, { stages: ['mfa', 'passkey', 'full'] });
  const passkeys = await deps.store.users.passkeysOf(user.id);
  if (!mayEnrol(user, session.stage, passkeys)) throw new AppError('SECOND_FACTOR_REQUIRED', 'Give your authenticator code first');
  const options = await generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userName: user.username,
    userDisplayName: user.display_name,
    userID: new TextEncoder().encode(user.id),
    attestationType: 'none',
    excludeCredentials: passkeys.map((row) => ({ id: row.id, transports: transportsOf(row) })),
    authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
  });
  await keepChallenge(deps, session.id, options.challenge);
  return options;
}

/** What adding a passkey gave: a new session token when it finished a sign-in, recovery codes at a first one. */
export interface PasskeyAdded {
  passkey: { id: string; name: string };
  token?: string;
  recoveryCodes?: string[];
}

/** Checks the authenticator's new credential and keeps its public key. */
export async function registerPasskey(
  deps: Deps,
  sessionToken: string | undefined,
  input: { name: string; response: RegistrationResponseJSON },
  policy: SessionPolicy,
  rp: RelyingParty,
): Promise<PasskeyAdded> {
  const { user, session } = await authenticateSession(deps, sessionToken, policy, { stages: ['mfa', 'passkey', 'full'] });
  const passkeys = await deps.store.users.passkeysOf(user.id);
  if (!mayEnrol(user, session.stage, passkeys)) throw new AppError('SECOND_FACTOR_REQUIRED', 'Give your authenticator code first');
  const challenge = await takeChallenge(deps, session.id);
  let verified: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
  try {
    verified = await verifyRegistrationResponse({
      response: input.response,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: false,
    });
  } catch (error) {
    throw new AppError('PASSKEY_INVALID', `The new passkey could not be checked: ${(error as Error).message}`);
  }
  if (!verified.verified) throw new AppError('PASSKEY_INVALID', 'The new passkey could not be checked');
  const { credential, credentialBackedUp } = verified.registrationInfo;
  const now = deps.clock();
  const firstFactor = user.totp_enrolled_at === null && passkeys.length === 0;
  const recoveryCodes = firstFactor ? newRecoveryCodes() : undefined;
  return deps.store.transaction(async (tx) => {
    const txDeps = inTransaction(deps, tx);
    await tx.users.insertPasskey({
      id: credential.id,
      user_id: user.id,
      name: input.name,
      public_key: Buffer.from(credential.publicKey),
      counter: credential.counter,
      transports: JSON.stringify(credential.transports ?? []),
      backed_up: credentialBackedUp ? 1 : 0,
      created_at: now,
      last_used_at: session.stage === 'full' ? null : now,
    });
    if (recoveryCodes) {
      await tx.users.replaceRecoveryCodes(
        user.id,
        recoveryCodes.map((c) => ({ id: newId(), user_id: user.id, code_hash: hashToken(normalizeRecoveryCode(c)), used_at: null })),
      );
    }
    await appendAudit(txDeps, { actorId: user.id, action: 'auth.passkey-added', entityType: 'user', entityId: user.id, details: { name: input.name } });
    const added: PasskeyAdded = { passkey: { id: credential.id, name: input.name }, ...(recoveryCodes ? { recoveryCodes } : {}) };
    if (session.stage === 'full') return added;
    await appendAudit(txDeps, { actorId: user.id, action: 'auth.login', entityType: 'user', entityId: user.id, details: { method: 'passkey-enrolment' } });
    return { ...added, token: await replaceSession(txDeps, session.id, user.id, 'full', policy) };
  });
}

/** The signed-in account's passkeys, for the account page. */
export async function listPasskeys(deps: Deps, actor: Actor): Promise<PasskeyRow[]> {
  return deps.store.users.passkeysOf(actor.id);
}

/** Removes one of one's own passkeys; the last one stays while one's role requires a passkey. */
export async function removePasskey(deps: Deps, options: { actor: Actor; id: string }): Promise<void> {
  const user = await deps.store.users.findById(options.actor.id);
  if (!user) throw new AppError('NOT_FOUND', 'No such account');
  const passkeys = await deps.store.users.passkeysOf(user.id);
  const passkey = passkeys.find((row) => row.id === options.id);
  if (!passkey) throw new AppError('NOT_FOUND', 'No such passkey');
  if (passkeys.length === 1 && (await mustUsePasskey(deps, user))) {
    throw new AppError('CONFLICT', 'Your role signs in with a passkey: add another before removing your last one');
  }
  if (passkeys.length === 1 && user.totp_enrolled_at === null) {
    throw new AppError('CONFLICT', 'This is your only second factor: add another passkey or an authenticator app first');
  }
  await deps.store.transaction(async (tx) => {
    await tx.users.deletePasskey(user.id, passkey.id);
    await appendAudit(inTransaction(deps, tx), { actorId: user.id, action: 'auth.passkey-removed', entityType: 'user', entityId: user.id, details: { name: passkey.name } });
  });
}
