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
    const times = correctedTimes(call, input, now);
    await tx.calls.calls.update(call.id, {
      ...(times ?? {}),
      ...(input.outcome !== undefined ? { outcome: input.outcome } : {}),
      ...(input.orgType !== undefined ? { org_type: input.orgType } : {}),
      ...(input.occupation !== undefined ? { occupation: input.occupation } : {}),
      ...(input.listeners !== undefined ? { listeners: input.listeners } : {}),
      ...(handedOut !== undefined ? { handed_out: handedOut } : {}),
      ...(input.notes !== undefined && call.shredded_at === null
        ? { notes_enc: input.notes.trim() === '' ? null : deps.keyring.encrypt(input.notes, 'calls.notes') }
        : {}),
      ...(input.quotable !== undefined && call.shredded_at === null
        ? { quotable_enc: input.quotable.trim() === '' ? null : deps.keyring.encrypt(input.quotable, 'calls.quotable') }
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
        // Times are no personal data: the audit keeps what they were and what they became.
        ...(times
          ? {
              // [started, answered, ended] in ms; -1 for none
              timesBefore: [call.started_at, call.answered_at ?? -1, call.ended_at ?? -1],
              timesAfter: [times.started_at, times.answered_at ?? -1, times.ended_at],
            }
          : {}),
      },
    });
    return { registrations };
  });
}

/** The call's times after a correction (null when none was asked for); refuses impossible ones. */
function correctedTimes(
  call: { started_at: number; answered_at: number | null; ended_at: number | null },
  input: EditCallInput,
  now: number,
): { started_at: number; answered_at: number | null; ended_at: number; times_source: string } | null {
  if (input.startedAt === undefined && input.answeredAt === undefined && input.endedAt === undefined) return null;
  const started = input.startedAt ?? call.started_at;
  const answered = input.answeredAt !== undefined ? input.answeredAt : call.answered_at;
  const ended = input.endedAt ?? call.ended_at ?? started;
  const refuse = (field: string, message: string) => new AppError('VALIDATION_FAILED', message, { details: { field } });
  if (ended > now + 60_000) throw refuse('endedAt', 'The call cannot end in the future');
  if (ended < started) throw refuse('endedAt', 'The call cannot end before it started');
  if (answered !== null && (answered < started || answered > ended)) throw refuse('answeredAt', 'The answer must fall between start and end');
  if (ended - started > 24 * 3_600_000) throw refuse('endedAt', 'A call lasts at most 24 hours');
  return { started_at: started, answered_at: answered, ended_at: ended, times_source: 'corrected' };
}
