import { AppError } from '../../shared/app-error';
import { appendAudit } from '../audit/append-audit';
import { type Deps, inTransaction } from '../deps';
import { type Actor, authorize } from './policy';

/** An admin disables an account: it can no longer sign in and its sessions end at once. */
export async function disableUser(deps: Deps, options: { actor: Actor; userId: string }): Promise<void> {
  authorize(options.actor, 'user.disable', undefined, deps.clock());
  if (options.userId === options.actor.id) throw new AppError('CONFLICT', 'You cannot disable your own account');
  await deps.store.transaction(async (tx) => {
    const user = await tx.users.findById(options.userId);
    if (!user) throw new AppError('NOT_FOUND', 'No such account');
    const now = deps.clock();
    await tx.users.update(user.id, { status: 'disabled', updated_at: now });
    const revoked = await tx.sessions.revokeAllOf(user.id, now);
    await appendAudit(inTransaction(deps, tx), { actorId: options.actor.id, action: 'user.disabled', entityType: 'user', entityId: user.id, details: { revoked } });
  });
}
