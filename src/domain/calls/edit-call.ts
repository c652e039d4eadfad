import { AppError } from '../../shared/app-error';
import type { EditCallInput } from '../../shared/schemas/calls';
import { appendAudit } from '../audit/append-audit';
import { type Actor, authorize } from '../auth/policy';
import { type Deps, inTransaction } from '../deps';

/** Corrects a saved call's outcome or notes while `call.edit` allows it (the owner for 24 hours). */
export async function editCall(deps: Deps, args: { actor: Actor; callId: string; input: EditCallInput }): Promise<void> {
  const now = deps.clock();
  await deps.store.transaction(async (tx) => {
    const call = await tx.calls.calls.findById(args.callId);
    if (!call) throw new AppError('NOT_FOUND', 'No such call');
    authorize(args.actor, 'call.read', { ownerId: call.owner_id }, now);
    authorize(args.actor, 'call.edit', { ownerId: call.owner_id, createdAt: call.created_at }, now);
    const { outcome, notes } = args.input;
    await tx.calls.calls.update(call.id, {
      ...(outcome ? { outcome } : {}),
      ...(notes !== undefined && call.shredded_at === null
        ? { notes_enc: notes.trim() === '' ? null : deps.keyring.encrypt(notes, 'calls.notes') }
        : {}),
      updated_at: now,
    });
    await appendAudit(inTransaction(deps, tx), {
      actorId: args.actor.id,
      action: 'call.edit',
      entityType: 'call',
      entityId: call.id,
      details: { fields: Object.keys(args.input) },
    });
  });
}
