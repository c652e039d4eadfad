import type { InvitationRow } from '../../db/repositories/user.repository';
import { AppError } from '../../shared/app-error';
import { appendAudit } from '../audit/append-audit';
import { type Deps, inTransaction } from '../deps';
import { type Actor, type Role, authorize } from './policy';
import { hashToken, newId, newToken } from './secrets';

/** How long an invitation link stays valid. */
export const INVITATION_TTL_MS = 7 * 24 * 3_600_000;

/** A created invitation: the token is shown once and never stored. */
export interface CreatedInvitation {
  id: string;
  token: string;
  role: Role;
  expiresAt: number;
}

/** An admin invites a new staff member with a role. */
export async function createInvitation(deps: Deps, options: { actor: Actor | null; role: Role }): Promise<CreatedInvitation> {
  // A null actor is the CLI run by whoever holds the server's keys and database.
  if (options.actor) authorize(options.actor, 'user.invite', undefined, deps.clock());
  const token = newToken();
  const id = newId();
  const now = deps.clock();
  const expiresAt = now + INVITATION_TTL_MS;
  await deps.store.transaction(async (tx) => {
    await tx.users.insertInvitation({
      id,
      token_hash: hashToken(token),
      role: options.role,
      created_by: options.actor?.id ?? null,
      created_at: now,
      expires_at: expiresAt,
      used_at: null,
      used_by: null,
    });
    await appendAudit(inTransaction(deps, tx), {
      actorId: options.actor?.id ?? null,
      action: 'user.invited',
      entityType: 'invitation',
      entityId: id,
      details: { role: options.role },
    });
  });
  return { id, token, role: options.role, expiresAt };
}

/**
 * While no account exists, makes a fresh one-time admin invitation (expiring any earlier one) so
 * that start-up can print the link that creates the first admin. Returns undefined once staff exist.
 */
export async function ensureFirstAdminInvitation(deps: Deps): Promise<CreatedInvitation | undefined> {
  if ((await deps.store.users.count()) > 0) return undefined;
  await deps.store.users.expireOpenInvitations('admin', null, deps.clock());
  return createInvitation(deps, { actor: null, role: 'admin' });
}

/** The link a new staff member opens; the token rides in the fragment so it never reaches a log. */
export function invitationLink(publicUrl: string, token: string): string {
  return `${publicUrl}/console/#/invite/${token}`;
}

/** The invitations not yet used and not expired (for admins: who was invited with which role, until when). */
export async function listOpenInvitations(deps: Deps, options: { actor: Actor }): Promise<InvitationRow[]> {
  authorize(options.actor, 'user.invite', undefined, deps.clock());
  return deps.store.users.listOpenInvitations(deps.clock());
}

/** An admin withdraws an open invitation (a link sent to the wrong person): it stops working at once. */
export async function withdrawInvitation(deps: Deps, options: { actor: Actor; invitationId: string }): Promise<void> {
  authorize(options.actor, 'user.invite', undefined, deps.clock());
  await deps.store.transaction(async (tx) => {
    if (!(await tx.users.expireInvitation(options.invitationId, deps.clock()))) throw new AppError('NOT_FOUND', 'No open invitation with this id');
    await appendAudit(inTransaction(deps, tx), { actorId: options.actor.id, action: 'user.invitation-withdrawn', entityType: 'invitation', entityId: options.invitationId });
  });
}
