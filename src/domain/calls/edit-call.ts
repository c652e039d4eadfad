import { AppError } from '../../shared/app-error';
import type { EditCallInput } from '../../shared/schemas/calls';
import { appendAudit } from '../audit/append-audit';
import type { Actor } from '../auth/policy';
import { type Deps, inTransaction } from '../deps';
import { assertCallEditable } from './call-lock';
import { registerInCall, type SavedRegistration } from './register-in-call';
import type { StatementRegistrar } from './statement-registrar';

/**
 * Corrects a saved call while `call.edit` allows it (the owner for 24 hours): who answered, what
 * was handed out, the outcome, the notes, and registrations forgotten during the call (each gets
 * its receipt code). Registrations already made are statements of the registry and are corrected
 * through moderation, never here. Another volunteer's call and a missing one are both NOT_FOUND;
 * a call past its window is CALL_LOCKED.
 */
export async function editCall(
  deps: Deps,
  args: { actor: Actor; callId: string; input: EditCallInput; registerStatement: StatementRegistrar },
): Promise<{ registrations: SavedRegistration[] }> {
  const now = deps.clock();
  const { input } = args;
  return deps.store.transaction(async (tx) => {
    const d = inTransaction(deps, tx);
    const call = await tx.calls.calls.findById(args.callId);
    if (!call) throw new AppError('NOT_FOUND', 'No such call');
    assertCallEditable(args.actor, call, now);
    const handedOut = input.handedOut === undefined ? undefined : JSON.stringify(input.handedOut);
    await tx.calls.calls.update(call.id, {
      ...(input.outcome !== undefined ? { outcome: input.outcome } : {}),
      ...(input.orgType !== undefined ? { org_type: input.orgType } : {}),
      ...(input.occupation !== undefined ? { occupation: input.occupation } : {}),
      ...(input.listeners !== undefined ? { listeners: input.listeners } : {}),
      ...(handedOut !== undefined ? { handed_out: handedOut } : {}),
      ...(input.notes !== undefined && call.shredded_at === null
        ? { notes_enc: input.notes.trim() === '' ? null : deps.keyring.encrypt(input.notes, 'calls.notes') }
        : {}),
      updated_at: now,
    });
    const registrations =
      input.registrations.length === 0
        ? []
        : await registerInCall(d, {
            actor: args.actor,
            call: {
              callId: call.id,
              direction: call.direction === 'inbound' ? 'inbound' : 'outbound',
              regionCode: call.region_code,
              occupation: input.occupation !== undefined ? input.occupation : ((call.occupation as EditCallInput['occupation']) ?? null),
            },
            registrations: input.registrations,
            registerStatement: args.registerStatement,
          });
    await appendAudit(d, {
      actorId: args.actor.id,
      action: 'call.edit',
      entityType: 'call',
      entityId: call.id,
      details: {
        fields: Object.keys(input).filter((key) => key !== 'registrations' || input.registrations.length > 0),
        statements: registrations.filter((r) => r.isNew).map((r) => r.statementId),
      },
    });
    return { registrations };
  });
}
