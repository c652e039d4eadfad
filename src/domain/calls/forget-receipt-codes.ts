import { AppError } from '../../shared/app-error';
import { appendAudit } from '../audit/append-audit';
import { type Actor, can } from '../auth/policy';
import { type Deps, inTransaction } from '../deps';

/**
 * Shreds the receipt codes kept for a call once its volunteer confirms they were read out to the
 * caller (after that, a retried save answers without them). Only the volunteer who registered them
 * can do this, as only they can read them; any other call id is NOT_FOUND.
 */
export async function forgetReceiptCodes(deps: Deps, args: { actor: Actor; callId: string }): Promise<{ forgotten: number }> {
  const now = deps.clock();
  return deps.store.transaction(async (tx) => {
    const call = await tx.calls.calls.findById(args.callId);
    if (!call || !can(args.actor, 'call.read', { ownerId: call.owner_id, createdAt: call.created_at }, now))
      throw new AppError('NOT_FOUND', 'No such call');
    const forgotten = await tx.calls.calls.deleteReceiptCodesOfCall(call.id, args.actor.id);
    if (forgotten > 0) {
      await appendAudit(inTransaction(deps, tx), {
        actorId: args.actor.id,
        action: 'call.receipts-read',
        entityType: 'call',
        entityId: call.id,
        details: { forgotten },
      });
    }
    return { forgotten };
  });
}
