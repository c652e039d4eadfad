import { parsePhoneNumber, phoneBlindIndexInput } from '../../shared/phone';
import { AppError } from '../../shared/app-error';
import type { SaveCallInput } from '../../shared/schemas/calls';
import { appendAudit } from '../audit/append-audit';
import { type Actor, authorize } from '../auth/policy';
import { newId } from '../auth/secrets';
import { type Deps, inTransaction } from '../deps';
import { assertCallEditable } from './call-lock';
import { regionOfNumber } from './number-region';
import { registerInCall, type SavedRegistration } from './register-in-call';
import { assertScriptVersionExists } from './call-scripts';
import type { StatementRegistrar } from './statement-registrar';
import { endInQueue, liveTimesForSave } from './live-call';
import { recordAttemptIn } from '../operations/campaigns';
import type { InboundQueue } from '../operations/inbound-queue';
import { FOLLOWUP_CONTEXT } from './followups';

export type { SavedRegistration } from './register-in-call';

/** What saving a call gave back. */
export interface SavedCall {
  callId: string;
  created: boolean;
  registrations: SavedRegistration[];
}

/**
 * Saves a whole call with its registrations and follow-up contacts in one transaction. Idempotent:
 * the call, each registration and each follow-up carry the browser's client ids, so a retried save
 * (lost response, server restart) finds what the first attempt stored and registers no one twice;
 * it answers with the same receipt codes again (see `RECEIPT_CODE_KEEP_MS`).
 * Saving again with the same call client id edits the call while `call.edit` allows it, and fails
 * with CALL_LOCKED after that.
 */
export async function saveCall(
  deps: Deps,
  args: { actor: Actor; input: SaveCallInput; registerStatement: StatementRegistrar; queue?: InboundQueue },
): Promise<SavedCall> {
  const { actor, input, registerStatement } = args;
  const now = deps.clock();
  authorize(actor, 'call.create', undefined, now);
  const phone = input.phone === '' ? undefined : parsePhoneNumber(input.phone);
  if (phone && !phone.ok)
    throw new AppError('VALIDATION_FAILED', 'The phone number is not valid', { details: { field: 'phone', reason: phone.reason } });
  if (input.answeredAt !== undefined && input.answeredAt < input.startedAt)
    throw new AppError('VALIDATION_FAILED', 'answeredAt is before startedAt', { details: { field: 'answeredAt' } });
  if (input.endedAt !== undefined && input.endedAt < input.startedAt)
    throw new AppError('VALIDATION_FAILED', 'endedAt is before startedAt', { details: { field: 'endedAt' } });
  if (input.startedAt > now + 60_000)
    throw new AppError('VALIDATION_FAILED', 'startedAt is in the future', { details: { field: 'startedAt' } });
  // The mobile-prefix lookup reads data files: done before the transaction opens.
  const regionCode = phone?.ok ? ((await regionOfNumber(phone.e164)) ?? null) : null;

  const saved = await deps.store.transaction(async (tx) => {
    const d = inTransaction(deps, tx);
    await tx.lock(`call:${input.clientId}`);
    const existing = await tx.calls.calls.findByClientId(input.clientId);
    if (existing) assertCallEditable(actor, existing, now);
    if (input.scriptId !== undefined) await assertScriptVersionExists(d, input.scriptId, input.scriptVersion);
    const callId = existing?.id ?? newId();
    const live = await liveTimesForSave(d, { actor, clientId: input.clientId });
    // A queued caller's region was kept with the live call (their number never is); a retried save keeps it.
    const queuedRegion = live?.row.region_code ?? (existing?.phone_enc === null ? existing.region_code : null);
    const callRegion = regionCode ?? queuedRegion ?? null;
    const times = timesOf(input, existing, live?.times, now);
    const taskId = live?.row.task_id ?? existing?.task_id ?? input.taskId ?? null;
    let campaignId = existing?.campaign_id ?? null;
    if (taskId !== null && !existing) {
      // The outcome is the campaign attempt: recorded with the call, in the same transaction.
      const attempt = await recordAttemptIn(d, { actor, taskId, outcome: input.outcome, callId });
      campaignId = attempt?.campaignId ?? (await tx.operations.campaigns.findTask(taskId))?.campaign_id ?? null;
    }
    const fields = {
      direction: input.direction,
      phone_enc: phone?.ok ? deps.keyring.encrypt(phone.e164, 'calls.phone') : null,
      phone_blind: phone?.ok ? deps.keyring.blindIndex('phone', phoneBlindIndexInput(phone.e164)) : null,
      region_code: callRegion,
      org_type: input.orgType ?? null,
      occupation: input.occupation ?? null,
      listeners: input.listeners ?? null,
      outcome: input.outcome,
      notes_enc: input.notes.trim() === '' ? null : deps.keyring.encrypt(input.notes, 'calls.notes'),
      quotable_enc: input.quotable.trim() === '' ? null : deps.keyring.encrypt(input.quotable, 'calls.quotable'),
      handed_out: JSON.stringify(input.handedOut),
      script_id: input.scriptId ?? null,
      script_version: input.scriptId === undefined ? null : (input.scriptVersion ?? null),
      ...times,
      task_id: taskId,
      campaign_id: campaignId,
      updated_at: now,
    };
    if (existing) {
      // A shredded call keeps its notes shredded, even if an old draft still holds them.
      await tx.calls.calls.update(callId, existing.shredded_at == null ? fields : { ...fields, notes_enc: null, quotable_enc: null });
    } else {
      await tx.calls.calls.insert({
        id: callId,
        client_id: input.clientId,
        owner_id: actor.id,
        provider: 'manual',
        people_registered: 0,
        shredded_at: null,
        created_at: now,
        ...fields,
      });
    }

    const registrations = await registerInCall(d, {
      actor,
      call: { callId, direction: input.direction, regionCode: callRegion, occupation: input.occupation ?? null },
      registrations: input.registrations,
      registerStatement,
    });

    let followupsAdded = 0;
    for (const followup of input.followups) {
      if (await tx.calls.calls.findFollowup(followup.clientId)) continue;
      authorize(actor, 'followup.create', undefined, now);
      const details = JSON.stringify({ name: followup.name, howToReach: followup.howToReach, offered: followup.offered });
      await tx.calls.calls.insertFollowup({
        id: newId(),
        call_id: callId,
        client_id: followup.clientId,
        owner_id: actor.id,
        details_enc: deps.keyring.encrypt(details, FOLLOWUP_CONTEXT),
        created_at: now,
        shredded_at: null,
      });
      followupsAdded += 1;
    }

    await appendAudit(d, {
      actorId: actor.id,
      action: existing ? 'call.edit' : 'call.create',
      entityType: 'call',
      entityId: callId,
      details: {
        outcome: input.outcome,
        statements: registrations.filter((r) => r.isNew).map((r) => r.statementId),
        followupsAdded,
        ...(taskId !== null ? { taskId } : {}),
      },
    });
    if (live) await tx.calls.live.delete(input.clientId);
    return { result: { callId, created: !existing, registrations }, live: live?.row };
  });
  // Saving ends the call: the queue drops it and the volunteer goes to wrap-up.
  if (saved.live && saved.live.ended_at === null && args.queue) await endInQueue(args.queue, saved.live);
  return saved.result;
}

/**
 * The call's times: the server's record of a live call wins over the browser's clock; a call saved
 * again keeps the times it was saved with unless they came from the browser; otherwise the browser's.
 */
function timesOf(
  input: SaveCallInput,
  existing: { started_at: number; answered_at: number | null; ended_at: number | null; times_source: string | null } | undefined,
  live: { startedAt: number; answeredAt: number | null; endedAt: number | null; source: string } | undefined,
  now: number,
): { started_at: number; answered_at: number | null; ended_at: number; times_source: string } {
  if (live)
    return {
      started_at: live.startedAt,
      answered_at: live.answeredAt ?? input.answeredAt ?? null,
      ended_at: live.endedAt ?? now,
      times_source: live.source,
    };
  if (existing && existing.times_source !== null && existing.times_source !== 'browser')
    return { started_at: existing.started_at, answered_at: existing.answered_at, ended_at: existing.ended_at ?? now, times_source: existing.times_source };
  return { started_at: input.startedAt, answered_at: input.answeredAt ?? null, ended_at: input.endedAt ?? now, times_source: 'browser' };
}
