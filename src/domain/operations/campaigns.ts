import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { CallListEntryRow } from '../../db/repositories/operations/call-lists.repository';
import type { CallTaskRow, CampaignRow, ClaimScope } from '../../db/repositories/operations/campaigns.repository';
import { AppError } from '../../shared/app-error';
import { chinaDate, chinaMinuteOfDay, isInChinaWindow } from '../../shared/china-time';
import { CreateCampaignInput, RETRYABLE_OUTCOMES, type CallOutcome } from '../../shared/schemas/operations';
import { appendAudit } from '../audit/append-audit';
import { type Actor, authorize } from '../auth/policy';
import { listScripts } from '../calls/call-scripts';
import { type Deps, inTransaction } from '../deps';

/** How long a claim holds numbers for one volunteer before they return to the pool. */
export const CLAIM_TTL_MS = 30 * 60_000;
/** The window callbacks are worked in (China time): the default calling window. */
export const CALLBACK_WINDOW = { start: 8 * 60, end: 21 * 60 } as const;

/**
 * Creates a campaign over lists and makes a call task of every number in them (audited). Its
 * priority orders "the next numbers" across campaigns (`claimNextAcrossCampaigns`); its script is
 * a call script's id as `GET /api/call-scripts` lists it.
 */
export async function createCampaign(deps: Deps, options: { actor: Actor; input: CreateCampaignInput }): Promise<{ campaign: CampaignRow; tasks: number }> {
  authorize(options.actor, 'campaign.manage', undefined, deps.clock());
  const input = CreateCampaignInput.parse(options.input);
  if (input.scriptId !== null && !(await listScripts(deps)).some((script) => script.id === input.scriptId)) {
    throw new AppError('VALIDATION_FAILED', 'No such call script', { details: { field: 'scriptId' } });
  }
  return deps.store.transaction(async (tx) => {
    for (const listId of input.listIds) {
      if (!(await tx.operations.callLists.findList(listId))) throw new AppError('NOT_FOUND', 'No such call list', { details: { listId } });
    }
    const campaign: CampaignRow = {
      id: randomUUID(),
      name: input.name,
      script_id: input.scriptId,
      window_start_minute: input.windowStartMinute,
      window_end_minute: input.windowEndMinute,
      max_attempts: input.maxAttempts,
      retry_spacing_minutes: input.retrySpacingMinutes,
      priority: input.priority,
      status: 'active',
      created_by: options.actor.id,
      created_at: deps.clock(),
    };
    await tx.operations.campaigns.insertCampaign(campaign, [...new Set(input.listIds)]);
    const tasks = await tx.operations.campaigns.createTasksFromLists(campaign, deps.clock());
    await appendAudit(inTransaction(deps, tx), { actorId: options.actor.id, action: 'campaign.create', entityType: 'campaign', entityId: campaign.id, details: { tasks } });
    return { campaign, tasks };
  });
}

/** Pauses or resumes a campaign (audited). */
export async function setCampaignStatus(deps: Deps, options: { actor: Actor; campaignId: string; status: 'active' | 'paused' }): Promise<void> {
  authorize(options.actor, 'campaign.manage', undefined, deps.clock());
  await deps.store.transaction(async (tx) => {
    if (!(await tx.operations.campaigns.findCampaign(options.campaignId))) throw new AppError('NOT_FOUND', 'No such campaign');
    await tx.operations.campaigns.setCampaignStatus(options.campaignId, options.status);
    await appendAudit(inTransaction(deps, tx), { actorId: options.actor.id, action: `campaign.${options.status}`, entityType: 'campaign', entityId: options.campaignId });
  });
}

/** What a claim returned: the tasks, or why there were none. */
export interface ClaimResult {
  tasks: CallTaskRow[];
  /** Set when nothing may be handed out now. */
  reason?: 'OUTSIDE_CALLING_WINDOW' | 'CAMPAIGN_PAUSED' | 'NOTHING_LEFT';
  /** When the calling window opens next (with OUTSIDE_CALLING_WINDOW). */
  windowOpensAt?: number;
}

/** The next instant the China-time window [start, end) opens after `now`. */
export function nextWindowOpening(now: number, startMinute: number): number {
  const minute = chinaMinuteOfDay(now);
  const startOfMinute = now - (now % 60_000);
  const minutesAhead = (startMinute - minute + 1440) % 1440 || 1440;
  return startOfMinute + minutesAhead * 60_000;
}

/**
 * Claims the next `size` numbers of a campaign (or of the callback requests, with campaignId null)
 * for one volunteer. Nothing is handed out outside the calling window in China time, and never a
 * number on the do-not-call list or one another volunteer holds (see CampaignsRepository.claim).
 * Claims expire after CLAIM_TTL_MS.
 */
export async function claimNextNumbers(deps: Deps, options: { actor: Actor; campaignId: string | null; size: number }): Promise<ClaimResult> {
  const now = deps.clock();
  authorize(options.actor, 'campaign.claim', undefined, now);
  let window: { start: number; end: number } = CALLBACK_WINDOW;
  if (options.campaignId !== null) {
    const campaign = await deps.store.operations.campaigns.findCampaign(options.campaignId);
    if (!campaign) throw new AppError('NOT_FOUND', 'No such campaign');
    if (campaign.status !== 'active') return { tasks: [], reason: 'CAMPAIGN_PAUSED' };
    window = { start: campaign.window_start_minute, end: campaign.window_end_minute };
  }
  if (!isInChinaWindow(now, window.start, window.end)) return { tasks: [], reason: 'OUTSIDE_CALLING_WINDOW', windowOpensAt: nextWindowOpening(now, window.start) };
  const scope: ClaimScope = options.campaignId === null ? { kind: 'callbacks' } : { kind: 'campaign', campaignId: options.campaignId };
  return claimInScope(deps, options.actor, scope, options.size);
}

/**
 * "Give me the next numbers": claims across every active campaign whose calling window is open now,
 * and the callback requests while their window is, highest priority first (callback requests have
 * CALLBACK_PRIORITY; a campaign's numbers its priority), then the longest-waiting.
 */
export async function claimNextAcrossCampaigns(deps: Deps, options: { actor: Actor; size: number }): Promise<ClaimResult> {
  const now = deps.clock();
  authorize(options.actor, 'campaign.claim', undefined, now);
  const windows = [CALLBACK_WINDOW, ...(await deps.store.operations.campaigns.campaigns()).filter((row) => row.status === 'active').map((row) => ({ start: row.window_start_minute, end: row.window_end_minute }))];
  if (!windows.some((window) => isInChinaWindow(now, window.start, window.end))) {
    return { tasks: [], reason: 'OUTSIDE_CALLING_WINDOW', windowOpensAt: Math.min(...windows.map((window) => nextWindowOpening(now, window.start))) };
  }
  const scope: ClaimScope = { kind: 'next', chinaMinute: chinaMinuteOfDay(now), isCallbackWindowOpen: isInChinaWindow(now, CALLBACK_WINDOW.start, CALLBACK_WINDOW.end) };
  return claimInScope(deps, options.actor, scope, options.size);
}

async function claimInScope(deps: Deps, actor: Actor, scope: ClaimScope, requested: number): Promise<ClaimResult> {
  const now = deps.clock();
  const size = z.number().int().min(1).max(50).parse(requested);
  const tasks = await deps.store.transaction((tx) =>
    tx.operations.campaigns.claim({ scope, volunteerId: actor.id, token: randomUUID(), now, expiresAt: now + CLAIM_TTL_MS, limit: size }),
  );
  return tasks.length === 0 ? { tasks, reason: 'NOTHING_LEFT' } : { tasks };
}

/** Gives back claimed numbers the volunteer did not call. */
export async function releaseNumbers(deps: Deps, options: { actor: Actor; taskIds: string[] }): Promise<number> {
  authorize(options.actor, 'campaign.claim', undefined, deps.clock());
  return deps.store.operations.campaigns.release(options.actor.id, options.taskIds, deps.clock());
}

/**
 * The task a volunteer may dial now: theirs, open and with an unexpired claim, its campaign active,
 * inside the calling window (a number claimed at 20:59 is not dialed at 21:05), not on the
 * do-not-call list (it may have been added after the claim). Throws FORBIDDEN (not theirs),
 * CAMPAIGN_PAUSED, OUTSIDE_CALLING_WINDOW (with `windowOpensAt`) or DO_NOT_CALL otherwise; only then
 * is the reveal audited and may the caller (a presenter) show the full number.
 */
export async function taskForDialing(deps: Deps, options: { actor: Actor; taskId: string }): Promise<CallTaskRow> {
  const now = deps.clock();
  authorize(options.actor, 'campaign.claim', undefined, now);
  const task = await deps.store.operations.campaigns.findTask(options.taskId);
  if (!task || task.claimed_by !== options.actor.id || task.status !== 'open' || task.claim_expires_at === null || task.claim_expires_at <= now) {
    throw new AppError('FORBIDDEN', 'Only the volunteer holding this number may dial it, while the claim lasts');
  }
  let window: { start: number; end: number } = CALLBACK_WINDOW;
  if (task.campaign_id !== null) {
    const campaign = await deps.store.operations.campaigns.findCampaign(task.campaign_id);
    if (!campaign || campaign.status !== 'active') throw new AppError('CAMPAIGN_PAUSED', 'This campaign is paused');
    window = { start: campaign.window_start_minute, end: campaign.window_end_minute };
  }
  if (!isInChinaWindow(now, window.start, window.end)) {
    throw new AppError('OUTSIDE_CALLING_WINDOW', 'Outside the calling window in China time', { details: { windowOpensAt: nextWindowOpening(now, window.start) } });
  }
  if (await deps.store.operations.callLists.findDoNotCall(Buffer.from(task.phone_bidx))) throw new AppError('DO_NOT_CALL', 'This number is on the do-not-call list');
  await appendAudit(deps, { actorId: options.actor.id, action: 'calltask.reveal-number', entityType: 'call_task', entityId: task.id });
  return task;
}

/**
 * Records the outcome of an attempt on a claimed task (from the console's call save or the API).
 * A retryable outcome puts the number back after the campaign's spacing, until attempts run out;
 * any other outcome finishes it. Returns the task's new status.
 */
export async function recordAttempt(
  deps: Deps,
  options: { actor: Actor; taskId: string; outcome: CallOutcome; callId?: string },
): Promise<{ status: string; attempts: number }> {
  authorize(options.actor, 'campaign.claim', undefined, deps.clock());
  return deps.store.transaction(async (tx) => {
    const result = await recordAttemptIn(inTransaction(deps, tx), options);
    if (!result) throw new AppError('CONFLICT', 'This number is not claimed by you (the claim may have expired)');
    return { status: result.status, attempts: result.attempts };
  });
}

/**
 * Records an attempt inside the caller's transaction (a saved call records its campaign attempt in
 * the same transaction as the call). Null when the task is not the actor's claim any more; throws
 * NOT_FOUND for an unknown task.
 */
export async function recordAttemptIn(
  d: Deps,
  options: { actor: Actor; taskId: string; outcome: CallOutcome; callId?: string },
): Promise<{ status: string; attempts: number; campaignId: string | null } | null> {
  const now = d.clock();
  const task = await d.store.operations.campaigns.findTask(options.taskId);
  if (!task) throw new AppError('NOT_FOUND', 'No such call task');
  const attempts = task.attempts + 1;
  const isRetry = RETRYABLE_OUTCOMES.includes(options.outcome) && attempts < task.max_attempts;
  const status = isRetry ? 'open' : 'done';
  const changed = await d.store.operations.campaigns.finishAttempt(task.id, options.actor.id, now, {
    status,
    attempts,
    next_attempt_at: isRetry ? now + task.retry_spacing_minutes * 60_000 : task.next_attempt_at,
    last_outcome: options.outcome,
  });
  if (!changed) return null;
  await d.store.operations.campaigns.insertAttempt({
    id: randomUUID(),
    task_id: task.id,
    campaign_id: task.campaign_id,
    volunteer_id: options.actor.id,
    outcome: options.outcome,
    call_id: options.callId ?? null,
    day_china: chinaDate(now),
    at: now,
  });
  return { status, attempts, campaignId: task.campaign_id };
}

/** A campaign's progress: tasks by state and attempts per China day and outcome. */
export async function campaignProgress(
  deps: Deps,
  options: { actor: Actor; campaignId: string | null },
): Promise<{ tasks: Record<string, number>; days: { day: string; outcomes: Record<string, number> }[] }> {
  authorize(options.actor, 'campaign.read', undefined, deps.clock());
  const counts = await deps.store.operations.campaigns.taskCounts(options.campaignId, deps.clock());
  const attempts = await deps.store.operations.campaigns.attemptsByDay(options.campaignId);
  const days = new Map<string, Record<string, number>>();
  for (const row of attempts) {
    const outcomes = days.get(row.day) ?? {};
    outcomes[row.outcome] = row.n;
    days.set(row.day, outcomes);
  }
  return { tasks: Object.fromEntries(counts.map((row) => [row.state, row.n])), days: [...days].map(([day, outcomes]) => ({ day, outcomes })) };
}

/** The pseudo-campaign id under which callback requests are claimed (the API's name for "no campaign"). */
export const CALLBACKS_ID = 'callbacks';

/** The campaign an API id names: null for the callback requests. */
export function campaignIdOf(id: string): string | null {
  return id === CALLBACKS_ID ? null : id;
}

/** Every campaign with the call lists it draws on (campaign.read). */
export async function listCampaigns(deps: Deps, actor: Actor): Promise<{ campaign: CampaignRow; listIds: string[] }[]> {
  authorize(actor, 'campaign.read', undefined, deps.clock());
  const rows = await deps.store.operations.campaigns.campaigns();
  const lists = await deps.store.operations.campaigns.listIdsByCampaign();
  return rows.map((campaign) => ({ campaign, listIds: lists.get(campaign.id) ?? [] }));
}

/** The numbers a volunteer holds now (campaign.claim). */
export function claimedTasks(deps: Deps, actor: Actor): Promise<CallTaskRow[]> {
  authorize(actor, 'campaign.claim', undefined, deps.clock());
  return deps.store.operations.campaigns.claimedBy(actor.id, deps.clock());
}

/** Each task with the call-list entry it calls (none for a callback request). */
export async function withEntries(deps: Deps, tasks: CallTaskRow[]): Promise<{ task: CallTaskRow; entry: CallListEntryRow | undefined }[]> {
  const entries = await deps.store.operations.callLists.entriesByIds(tasks.flatMap((task) => (task.entry_id ? [task.entry_id] : [])));
  const byId = new Map(entries.map((entry) => [entry.id, entry]));
  return tasks.map((task) => ({ task, entry: task.entry_id ? byId.get(task.entry_id) : undefined }));
}
