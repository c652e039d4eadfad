import type { LiveCallRow } from '../../db/repositories/calls/index';
import { summarizeCall } from '../../telephony/call-events';
import { AppError } from '../../shared/app-error';
import type { CallDirection } from '../../shared/schemas/calls';
import { type Actor, authorize } from '../auth/policy';
import type { Deps } from '../deps';
import type { InboundQueue } from '../operations/inbound-queue';
import { regionOfNumber } from './number-region';

/** How long a number stays with its volunteer once they dial it from the workspace (the call may run long). */
export const CLAIM_HELD_DURING_CALL_MS = 6 * 3_600_000;

/** A call's times as the server knows them, for the workspace's timer and the saved record. */
export interface LiveCallTimes {
  clientId: string;
  direction: string;
  taskId: string | null;
  startedAt: number;
  answeredAt: number | null;
  endedAt: number | null;
  /** Where the times came from: the server's clock, or the telephony provider's events. */
  source: 'server' | 'telephony';
}

/** The queue id of a volunteer's own call (outbound): the queue keeps them "on a call" under it. */
export function ownQueueCallId(clientId: string): string {
  return `own:${clientId}`;
}

async function presentTimes(deps: Deps, row: LiveCallRow): Promise<LiveCallTimes> {
  const times: LiveCallTimes = {
    clientId: row.client_id,
    direction: row.direction,
    taskId: row.task_id,
    startedAt: row.started_at,
    answeredAt: row.answered_at,
    endedAt: row.ended_at,
    source: 'server',
  };
  if (row.telephony_call_id === null) return times;
  // Stored as "<provider>:<the provider's call id>".
  const at = row.telephony_call_id.indexOf(':');
  const summary = summarizeCall(await deps.store.telephony.callEvents.forCall(row.telephony_call_id.slice(0, at), row.telephony_call_id.slice(at + 1)));
  if (!summary) return times;
  return {
    ...times,
    startedAt: summary.startedAt,
    answeredAt: summary.answeredAt ?? times.answeredAt,
    endedAt: summary.endedAt ?? times.endedAt,
    source: 'telephony',
  };
}

async function ownLiveCall(deps: Deps, actor: Actor, clientId: string): Promise<LiveCallRow> {
  authorize(actor, 'call.create', undefined, deps.clock());
  const row = await deps.store.calls.live.find(clientId);
  if (!row || row.owner_id !== actor.id) throw new AppError('NOT_FOUND', 'No such call in progress');
  return row;
}

/**
 * Starts a call record on the server at the server's time: a number dialed from the workspace (a
 * campaign task's, a callback's, or one typed), or a call the softphone answered. Idempotent by
 * the browser's client id. An outbound call puts the volunteer "on a call" in the inbound queue
 * (no inbound call rings them meanwhile); dialing a claimed number holds the claim for the call.
 */
export async function beginLiveCall(
  deps: Deps,
  args: { actor: Actor; queue: InboundQueue; clientId: string; direction: CallDirection; taskId?: string; telephonyCallId?: string },
  /* telephonyCallId: "sip:<Call-ID>" or "twilio:<CallSid>" */
): Promise<LiveCallTimes> {
  const { actor } = args;
  const now = deps.clock();
  authorize(actor, 'call.create', undefined, now);
  const existing = await deps.store.calls.live.find(args.clientId);
  if (existing) {
    if (existing.owner_id !== actor.id) throw new AppError('NOT_FOUND', 'No such call in progress');
    if (args.telephonyCallId && existing.telephony_call_id === null) await deps.store.calls.live.update(args.clientId, { telephony_call_id: args.telephonyCallId });
    return presentTimes(deps, (await deps.store.calls.live.find(args.clientId)) ?? existing);
  }
  if (args.taskId !== undefined) {
    authorize(actor, 'campaign.claim', undefined, now);
    const isHeld = await deps.store.operations.campaigns.holdClaim(args.taskId, actor.id, now + CLAIM_HELD_DURING_CALL_MS, now);
    if (!isHeld) throw new AppError('FORBIDDEN', 'Only the volunteer holding this number may call it, while the claim lasts');
  }
  const isOwnCall = args.direction === 'outbound';
  const row: LiveCallRow = {
    client_id: args.clientId,
    owner_id: actor.id,
    direction: args.direction,
    queue_call_id: isOwnCall ? ownQueueCallId(args.clientId) : null,
    telephony_call_id: args.telephonyCallId ?? null,
    task_id: args.taskId ?? null,
    region_code: null,
    started_at: now,
    answered_at: args.direction === 'inbound' ? now : null,
    ended_at: null,
  };
  await deps.store.calls.live.insert(row);
  // The softphone reports its own calls to the queue through the SIP edge or Twilio's webhooks.
  if (isOwnCall && args.telephonyCallId === undefined) await args.queue.ownCallStarted({ agentId: actor.id, callId: ownQueueCallId(args.clientId) });
  return presentTimes(deps, row);
}

/**
 * A volunteer accepts the inbound call offered to them from the console (the manual provider, or a
 * demo call): the queue connects them, and the call record starts at the caller's arrival, answered
 * now. A call offered through a softphone is answered on the softphone instead.
 */
export async function acceptOfferedCall(
  deps: Deps,
  args: { actor: Actor; queue: InboundQueue; queueCallId: string; clientId: string },
): Promise<LiveCallTimes> {
  const { actor, queue } = args;
  authorize(actor, 'presence.set-own', undefined, deps.clock());
  const known = await deps.store.calls.live.findByQueueCall(args.queueCallId);
  if (known) {
    if (known.owner_id !== actor.id) throw new AppError('NOT_FOUND', 'No such call offered to you');
    return presentTimes(deps, known);
  }
  const call = queue.snapshot().calls.find((c) => c.callId === args.queueCallId);
  // The caller's number stays in the queue's memory only; where it rings from is kept with the call.
  const fromE164 = queue.offeredCall(args.queueCallId, actor.id)?.fromE164;
  const regionCode = fromE164 ? ((await regionOfNumber(fromE164)) ?? null) : null;
  const decisions = await queue.offerAccepted({ callId: args.queueCallId, agentId: actor.id });
  if (!decisions.some((decision) => decision.type === 'connect')) throw new AppError('OFFER_GONE', 'The call is no longer offered to you');
  await queue.callAnswered({ callId: args.queueCallId, agentId: actor.id });
  const now = deps.clock();
  const row: LiveCallRow = {
    client_id: args.clientId,
    owner_id: actor.id,
    direction: 'inbound',
    queue_call_id: args.queueCallId,
    telephony_call_id: null,
    task_id: null,
    region_code: regionCode,
    started_at: Math.min(call?.arrivedAt ?? now, now),
    answered_at: now,
    ended_at: null,
  };
  await deps.store.calls.live.insert(row);
  return presentTimes(deps, row);
}

/** The far end answered a call the volunteer placed: stamped at the server's time (once). */
export async function answerLiveCall(deps: Deps, args: { actor: Actor; clientId: string }): Promise<LiveCallTimes> {
  const row = await ownLiveCall(deps, args.actor, args.clientId);
  if (row.answered_at !== null || row.ended_at !== null) return presentTimes(deps, row);
  const answered = { ...row, answered_at: deps.clock() };
  await deps.store.calls.live.update(row.client_id, { answered_at: answered.answered_at });
  return presentTimes(deps, answered);
}

/**
 * The call is over (the volunteer ended it, or saved it): stamped at the server's time, and the
 * queue hears of it, so the volunteer goes to wrap-up and the board drops the call.
 */
export async function endLiveCall(deps: Deps, args: { actor: Actor; queue: InboundQueue; clientId: string }): Promise<LiveCallTimes> {
  const row = await ownLiveCall(deps, args.actor, args.clientId);
  if (row.ended_at !== null) return presentTimes(deps, row);
  const ended = { ...row, ended_at: deps.clock() };
  await deps.store.calls.live.update(row.client_id, { ended_at: ended.ended_at });
  await endInQueue(args.queue, ended);
  return presentTimes(deps, ended);
}

/** Tells the queue a live call is over (an accepted inbound call ends; an own call goes to wrap-up). */
export async function endInQueue(queue: InboundQueue, row: LiveCallRow): Promise<void> {
  if (row.queue_call_id === null || row.telephony_call_id !== null) return;
  if (row.direction === 'outbound') await queue.ownCallEnded({ agentId: row.owner_id, callId: row.queue_call_id });
  else await queue.callEnded(row.queue_call_id);
}

/** The times a save takes from the server's record of a live call (null when there is none). */
export async function liveTimesForSave(deps: Deps, args: { actor: Actor; clientId: string }): Promise<{ row: LiveCallRow; times: LiveCallTimes } | null> {
  const row = await deps.store.calls.live.find(args.clientId);
  if (!row || row.owner_id !== args.actor.id) return null;
  return { row, times: await presentTimes(deps, row) };
}
