import type { UserRow } from '../../db/repositories/user.repository';
import { AppError } from '../../shared/app-error';
import { appendAudit } from '../audit/append-audit';
import { type Deps, inTransaction } from '../deps';
import { type Action, type Actor, type Role, authorize } from './policy';
import { hashPassword, verifyPassword } from './secrets';

/**
 * An admin changes another staff member's account in one transaction, with an audit entry: loads
 * the account (NOT_FOUND) and refuses the admin's own account (an admin cannot lock themselves out
 * by mistake; another admin does it), which also means the acting admin always stays active.
 */
async function changeAccount(
  deps: Deps,
  options: { actor: Actor; userId: string; action: Action; ownMessage: string },
  change: (tx: Deps, user: UserRow, now: number) => Promise<{ audit: string; details?: Record<string, string | number | boolean> }>,
): Promise<void> {
  authorize(options.actor, options.action, undefined, deps.clock());
  if (options.userId === options.actor.id) throw new AppError('CONFLICT', options.ownMessage);
  await deps.store.transaction(async (tx) => {
    const txDeps = inTransaction(deps, tx);
    const user = await tx.users.findById(options.userId);
    if (!user) throw new AppError('NOT_FOUND', 'No such account');
    const { audit, details } = await change(txDeps, user, deps.clock());
    await appendAudit(txDeps, { actorId: options.actor.id, action: audit, entityType: 'user', entityId: user.id, ...(details ? { details } : {}) });
  });
}

/** An admin disables an account: it can no longer sign in and its sessions end at once. */
export async function disableUser(deps: Deps, options: { actor: Actor; userId: string }): Promise<void> {
  await changeAccount(deps, { ...options, action: 'user.disable', ownMessage: 'You cannot disable your own account' }, async (tx, user, now) => {
    await tx.store.users.update(user.id, { status: 'disabled', updated_at: now });
    const revoked = await tx.store.sessions.revokeAllOf(user.id, now);
    return { audit: 'user.disabled', details: { revoked } };
  });
}

/** An admin re-enables a disabled account: it signs in again with its password and second factor, any lock lifted. */
export async function enableUser(deps: Deps, options: { actor: Actor; userId: string }): Promise<void> {
  await changeAccount(deps, { ...options, action: 'user.disable', ownMessage: 'You cannot enable your own account' }, async (tx, user, now) => {
    if (user.status === 'active') throw new AppError('CONFLICT', 'This account is active already');
    await tx.store.users.update(user.id, { status: 'active', updated_at: now });
    await tx.store.users.clearThrottles(user.id);
    return { audit: 'user.enabled' };
  });
}

/** An admin gives an account another role; its sessions end, so the new role applies from its next sign-in. */
export async function changeRole(deps: Deps, options: { actor: Actor; userId: string; role: Role }): Promise<void> {
  await changeAccount(deps, { ...options, action: 'user.change-role', ownMessage: 'You cannot change your own role' }, async (tx, user, now) => {
    if (user.role === options.role) throw new AppError('CONFLICT', `This account is ${options.role} already`);
    await tx.store.users.update(user.id, { role: options.role, updated_at: now });
    const revoked = await tx.store.sessions.revokeAllOf(user.id, now);
    return { audit: 'user.role-changed', details: { from: user.role, to: options.role, revoked } };
  });
}

/**
 * An admin resets an account's second factor (a lost phone): the TOTP secret and recovery codes
 * are destroyed and its sessions end; at the next sign-in, after the password, it sets up a new one.
 */
export async function resetSecondFactor(deps: Deps, options: { actor: Actor; userId: string }): Promise<void> {
  await changeAccount(deps, { ...options, action: 'user.reset-second-factor', ownMessage: 'Ask another admin to reset your second factor' }, async (tx, user, now) => {
    await tx.store.users.update(user.id, { totp_secret_enc: null, totp_enrolled_at: null, totp_last_step: null, updated_at: now });
    await tx.store.users.replaceRecoveryCodes(user.id, []);
    const passkeys = await tx.store.users.deletePasskeysOf(user.id);
    await tx.store.users.clearThrottles(user.id);
    const revoked = await tx.store.sessions.revokeAllOf(user.id, now);
    return { audit: 'user.second-factor-reset', details: { revoked, passkeys } };
  });
}

/**
 * A staff member changes their own password, giving the current one: every other session of theirs
 * ends (whoever knew the old password is signed out), this one stays. A wrong current password is
 * audited (the route limits how often it can be tried).
 */
export async function changeOwnPassword(deps: Deps, options: { actor: Actor; sessionId: string; current: string; next: string }): Promise<{ revoked: number }> {
  const user = await deps.store.users.findById(options.actor.id);
  if (!user) throw new AppError('NOT_FOUND', 'No such account');
  if (!(await verifyPassword(user.password_hash, options.current))) {
    await appendAudit(deps, { actorId: user.id, action: 'auth.password-change-refused', entityType: 'user', entityId: user.id });
    throw new AppError('WRONG_PASSWORD', 'The current password is not right');
  }
  if (options.current === options.next) throw new AppError('VALIDATION_FAILED', 'The new password must differ from the current one');
  const passwordHash = await hashPassword(options.next);
  return deps.store.transaction(async (tx) => {
    const now = deps.clock();
    await tx.users.update(user.id, { password_hash: passwordHash, updated_at: now });
    const others = (await tx.sessions.listOpen(user.id, now)).filter((session) => session.id !== options.sessionId);
    for (const session of others) await tx.sessions.revoke(session.id, now);
    await appendAudit(inTransaction(deps, tx), { actorId: user.id, action: 'auth.password-changed', entityType: 'user', entityId: user.id, details: { revoked: others.length } });
    return { revoked: others.length };
  });
}

/** Every staff account with how many passkeys it has (user.list). */
export async function listStaffAccounts(deps: Deps, actor: Actor): Promise<{ users: UserRow[]; passkeys: Map<string, number> }> {
  authorize(actor, 'user.list', undefined, deps.clock());
  return { users: await deps.store.users.list(), passkeys: await deps.store.users.passkeyCounts() };
}

/** Display names by account id, for lists that say who did something (the audit log, exports). */
export async function staffNames(deps: Deps): Promise<Map<string, string>> {
  return new Map((await deps.store.users.list()).map((user) => [user.id, user.display_name]));
}
