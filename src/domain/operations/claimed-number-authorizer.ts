import type { Keyring } from '../../crypto/keyring';
import type { CallListEntryRow } from '../../db/repositories/operations/call-lists.repository';
import type { CallTaskRow } from '../../db/repositories/operations/campaigns.repository';
import type { Actor } from '../auth/policy';
import { isRoleName } from '../auth/policy';
import type { Deps } from '../deps';
import { CALLBACK_WINDOW, recordAttempt, taskForDialing } from './campaigns';
import { isAppError } from '../../shared/app-error';
import { isInChinaWindow } from '../../shared/china-time';
import { taskIdOfDialTarget } from '../../shared/dial-target';
import { parsePhoneNumber } from '../../shared/phone';
import type { CallOutcome } from '../../shared/schemas/calls';
import type { OutboundAuthorizer, OutboundDecision, OutboundRefusal } from '../../telephony/provider';

/** Decrypts a claimed task's number; the one place that does is the call-task presenter. */
export type RevealTaskNumber = (task: CallTaskRow, entry: CallListEntryRow | undefined, keyring: Keyring) => string;

/** Records how an allowed outbound call went, on the task it worked. */
export interface OutboundOutcomes {
  /** The far end refused the call or never answered: one attempt with `outcome` on the task. */
  farEndFailed(input: { volunteerId: string; taskId: string; outcome: CallOutcome; callId: string }): Promise<void>;
}

/** The attempt outcome a trunk's final failure response means for the number dialed. */
export function outcomeOfFailure(code: number): CallOutcome {
  if (code === 486 || code === 600 || code === 603) return 'busy';
  if (code === 404 || code === 410 || code === 484 || code === 604) return 'out_of_service';
  return 'no_answer';
}

const refuse = (reason: OutboundRefusal): OutboundDecision => ({ allowed: false, reason });

/**
 * Outbound calls on the operations area's claims: a volunteer may dial only a number they hold a
 * claim on (their own campaign number or callback request), inside its calling window in China
 * time, and not on the do-not-call list (it may have been added after the claim). The phone dials
 * either the task reference (`task-...`, so the volunteer never sees the number) or the number
 * itself; a number the volunteer does not hold is NOT_ASSIGNED, whoever holds it.
 */
export class ClaimedNumberAuthorizer implements OutboundAuthorizer, OutboundOutcomes {
  constructor(
    private readonly deps: Deps,
    private readonly revealNumber: RevealTaskNumber,
  ) {}

  async authorize(volunteerId: string, target: string): Promise<OutboundDecision> {
    const { deps } = this;
    const actor = await this.actorOf(volunteerId);
    if (actor === undefined) return refuse('NOT_ASSIGNED');
    const found = await this.claimedTask(actor, target);
    if (!('task' in found)) return refuse(found.reason);
    const { task } = found;
    const now = deps.clock();
    let window: { start: number; end: number } = CALLBACK_WINDOW;
    if (task.campaign_id !== null) {
      const campaign = await deps.store.operations.campaigns.findCampaign(task.campaign_id);
      if (campaign === undefined) return refuse('NOT_ASSIGNED');
      window = { start: campaign.window_start_minute, end: campaign.window_end_minute };
    }
    if (!isInChinaWindow(now, window.start, window.end)) return refuse('OUTSIDE_CALLING_WINDOW');
    if (await deps.store.operations.callLists.findDoNotCall(task.phone_bidx)) return refuse('DO_NOT_CALL');
    try {
      // The same check (and audit row) as the console's Dial button: the number leaves Hotline now.
      await taskForDialing(deps, { actor, taskId: task.id });
    } catch (error) {
      // A paused campaign's numbers are not the volunteer's to dial until it resumes.
      if (isAppError(error, 'FORBIDDEN') || isAppError(error, 'CAMPAIGN_PAUSED')) return refuse('NOT_ASSIGNED');
      if (isAppError(error, 'OUTSIDE_CALLING_WINDOW')) return refuse('OUTSIDE_CALLING_WINDOW');
      if (isAppError(error, 'DO_NOT_CALL')) return refuse('DO_NOT_CALL');
      throw error;
    }
    const entry = task.entry_id === null ? undefined : (await deps.store.operations.callLists.entriesByIds([task.entry_id]))[0];
    const number = parsePhoneNumber(this.revealNumber(task, entry, deps.keyring));
    if (!number.ok) return refuse('INVALID_NUMBER');
    return { allowed: true, e164: number.e164, taskId: task.id, campaignId: task.campaign_id };
  }

  async farEndFailed(input: { volunteerId: string; taskId: string; outcome: CallOutcome; callId: string }): Promise<void> {
    const actor = await this.actorOf(input.volunteerId);
    if (actor === undefined) return;
    try {
      await recordAttempt(this.deps, { actor, taskId: input.taskId, outcome: input.outcome, callId: input.callId });
    } catch (error) {
      // The claim expired or the volunteer already recorded the attempt: nothing to add.
      if (!isAppError(error, 'CONFLICT') && !isAppError(error, 'NOT_FOUND')) throw error;
    }
  }

  /** The task `target` names among the volunteer's claims, or why there is none. */
  private async claimedTask(actor: Actor, target: string): Promise<{ task: CallTaskRow } | { reason: OutboundRefusal }> {
    const { store, clock, keyring } = this.deps;
    const now = clock();
    const taskId = taskIdOfDialTarget(target);
    if (taskId !== null) {
      const task = await store.operations.campaigns.findTask(taskId);
      const isHeld = task !== undefined && task.claimed_by === actor.id && task.status === 'open' && task.claim_expires_at !== null && task.claim_expires_at > now;
      return isHeld ? { task } : { reason: 'NOT_ASSIGNED' };
    }
    if (target.startsWith('task-')) return { reason: 'INVALID_NUMBER' };
    const parsed = parsePhoneNumber(target);
    if (!parsed.ok) return { reason: 'INVALID_NUMBER' };
    const bidx = keyring.blindIndex('phone', parsed.e164);
    const held = await store.operations.campaigns.claimedBy(actor.id, now);
    const task = held.find((candidate) => bidx.equals(candidate.phone_bidx));
    return task ? { task } : { reason: 'NOT_ASSIGNED' };
  }

  private async actorOf(volunteerId: string): Promise<Actor | undefined> {
    const user = await this.deps.store.users.findById(volunteerId);
    if (user?.status !== 'active' || !isRoleName(user.role) || user.role === 'auditor') return undefined;
    return { id: user.id, role: user.role, username: user.username };
  }
}
