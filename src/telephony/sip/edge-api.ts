import type { Clock } from '../../shared/clock';
import { BatchingCallEventSink } from '../call-events';
import { OneUseTokens, remember } from '../call-memory';
import { outcomeOfFailure } from '../../domain/operations/claimed-number-authorizer';
import type { CallEvent, CallerInfo, RingFailure } from '../provider';
import type { TelephonyServices } from '../services';
import { sipHa1 } from './credentials';

/** The dialog events Kamailio reports; `cancel` is the caller's CANCEL, whatever the call's state. */
export type SipEventKind = 'ringing' | 'answered' | 'failed' | 'ended' | 'cancel';

/** Maps a SIP final response code to why the ring attempt failed. */
export function ringFailureOf(code: number): RingFailure {
  if (code === 486 || code === 600) return 'busy';
  if (code === 603) return 'declined';
  if (code === 408 || code === 480 || code === 487) return 'no-answer';
  return 'unavailable';
}

/** How long a transfer target is good for: the trunk calls it within seconds of the REFER. */
const TRANSFER_TTL_MS = 60_000;
/** The SIP request-user of a transfer target Hotline issued. */
export const TRANSFER_TARGET_PREFIX = 'xfer-';

/**
 * Hotline's answers to the SIP edge (Kamailio). Replies are one line of plain text so the
 * Kamailio script can read them without a JSON module: `ring <volunteer>`, `wait` (keep the caller
 * queued and ask again), `none`, `allow <number>`, `deny <REASON>`, `ha1 <hex>`.
 */
export class SipEdgeApi {
  private readonly ended = new Set<string>();
  private readonly answered = new Set<string>();
  /** Inbound calls Hotline routed (a CANCEL names no direction). */
  private readonly inbound = new Set<string>();
  /** Who each call last rang (inbound) or who placed it (outbound): the ACK names nobody. */
  private readonly volunteerOf = new Map<string, string>();
  /** The task each allowed outbound call works, to record its attempt. */
  private readonly taskOf = new Map<string, { taskId: string; campaignId: string | null }>();
  /** Transfer targets issued and not yet called: each stands for the coordinator who takes the call. */
  private readonly transfers = new OneUseTokens<string>(TRANSFER_TARGET_PREFIX, TRANSFER_TTL_MS, () => this.clock());
  private sink: { target: TelephonyServices['events']; batching: BatchingCallEventSink } | undefined;

  constructor(
    private readonly services: TelephonyServices,
    private readonly clock: Clock,
    private readonly secret: string,
    private readonly realm: string,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  /** Resolves once every event reported so far is stored. */
  async flush(): Promise<void> {
    await this.sink?.batching.flush();
  }

  /** The digest credentials of a phone registering as `username`. */
  async credentials(username: string): Promise<string> {
    if (!(await this.services.directory.isVolunteer(username))) return 'none';
    return `ha1 ${sipHa1(this.secret, username, this.realm)}`;
  }

  /**
   * Which volunteer an inbound call rings now (`attempt` 0 is the call's arrival, with what is
   * known about the caller), `wait` while it is queued, or `none`.
   */
  async route(callId: string, attempt: number, caller: CallerInfo = {}, dialed = ''): Promise<string> {
    if (attempt === 0) {
      await this.record({ callId, kind: 'arrived' });
      remember(this.inbound, callId);
      const coordinatorId = this.transfers.take(dialed);
      if (coordinatorId !== undefined) {
        // A transferred call (the trunk following a volunteer's REFER) rings the coordinator
        // directly; should they not answer, the next question puts it in the queue.
        await this.record({ callId, kind: 'offered', volunteerId: coordinatorId });
        remember(this.volunteerOf, callId, coordinatorId);
        return `ring ${coordinatorId}`;
      }
    }
    const choice = await this.services.router.chooseVolunteer(callId, caller);
    if (choice.kind !== 'ring') return choice.kind;
    await this.record({ callId, kind: 'offered', volunteerId: choice.volunteerId });
    remember(this.volunteerOf, callId, choice.volunteerId);
    return `ring ${choice.volunteerId}`;
  }

  /**
   * A transfer target for the call `callId` that `volunteerId` is on: `xfer-<token>`, which the
   * softphone REFERs the other side to. Null when the volunteer is not on that call, or when no
   * coordinator is free.
   */
  async transferTarget(callId: string, volunteerId: string): Promise<string | null> {
    if (this.volunteerOf.get(callId) !== volunteerId || !this.answered.has(callId) || this.ended.has(callId)) return null;
    const coordinatorId = await this.services.router.coordinatorForTransfer();
    if (coordinatorId === null || coordinatorId === volunteerId) return null;
    return this.transfers.issue(coordinatorId);
  }

  /** Whether a volunteer's phone may dial `target` (a number or a task reference). */
  async outbound(callId: string, volunteerId: string, target: string): Promise<string> {
    const decision = await this.services.authorizer.authorize(volunteerId, target);
    if (!decision.allowed) {
      await this.record({ callId, kind: 'refused', direction: 'outbound', volunteerId, reason: decision.reason });
      return `deny ${decision.reason}`;
    }
    const campaign = decision.campaignId === null ? {} : { campaignId: decision.campaignId };
    await this.record({ callId, kind: 'arrived', direction: 'outbound', volunteerId, ...campaign });
    await this.services.router.ownCallStarted(callId, volunteerId);
    remember(this.volunteerOf, callId, volunteerId);
    remember(this.taskOf, callId, { taskId: decision.taskId, campaignId: decision.campaignId });
    return `allow ${decision.e164}`;
  }

  /** A dialog event: ringing, answered, a failed ring attempt (SIP code), or the end. */
  async event(input: { callId: string; kind: SipEventKind; direction: 'inbound' | 'outbound'; volunteerId?: string; code?: number; by?: 'caller' | 'callee' }): Promise<void> {
    const { callId, direction } = input;
    const volunteer = input.volunteerId === undefined ? {} : { volunteerId: input.volunteerId };
    if (input.kind === 'ringing') await this.record({ callId, direction, kind: 'ringing', ...volunteer });
    if (input.kind === 'answered') {
      // Reported on the caller's ACK, which retransmits with the 200 OK: once per call.
      if (this.answered.has(callId)) return;
      remember(this.answered, callId);
      const volunteerId = input.volunteerId ?? this.volunteerOf.get(callId);
      await this.record({ callId, direction, kind: 'answered', ...(volunteerId === undefined ? {} : { volunteerId }) });
      if (direction === 'inbound' && volunteerId !== undefined) await this.services.router.answered(callId, volunteerId);
    }
    if (input.kind === 'failed' && input.volunteerId !== undefined) {
      const code = input.code ?? 500;
      const reason = ringFailureOf(code);
      await this.record({ callId, direction, kind: 'ring-failed', volunteerId: input.volunteerId, reason });
      if (direction === 'inbound') await this.services.router.ringFailed(callId, input.volunteerId, reason);
      const task = this.taskOf.get(callId);
      if (direction === 'outbound' && task !== undefined) {
        this.taskOf.delete(callId);
        // The far end never took the call: that is an attempt on the number (busy, no answer,
        // out of service), recorded now; after a conversation the volunteer records the outcome.
        await this.services.outcomes.farEndFailed({ volunteerId: input.volunteerId, taskId: task.taskId, outcome: outcomeOfFailure(code), callId });
      }
    }
    if (input.kind === 'cancel') {
      // A caller who hangs up while queued has no branch whose failure would tell us.
      if (!this.inbound.has(callId) || this.answered.has(callId)) return;
      await this.event({ callId, kind: 'ended', direction: 'inbound', by: 'caller' });
      return;
    }
    if (input.kind === 'ended') {
      if (this.ended.has(callId)) return;
      remember(this.ended, callId);
      const ownCaller = direction === 'outbound' ? this.volunteerOf.get(callId) : undefined;
      if (ownCaller !== undefined) await this.services.router.ownCallEnded(callId, ownCaller);
      this.volunteerOf.delete(callId);
      this.taskOf.delete(callId);
      this.inbound.delete(callId);
      // `by` is the SIP side that sent BYE; the record says whether it was the volunteer.
      const isVolunteerSide = input.by === undefined ? undefined : (input.by === 'caller') === (direction === 'outbound');
      const hangupBy = isVolunteerSide === undefined ? 'system' : isVolunteerSide ? 'volunteer' : 'caller';
      await this.record({ callId, direction, kind: 'ended', hangupBy, ...volunteer });
      if (direction === 'inbound') await this.services.router.ended(callId);
    }
  }

  private async record(event: Omit<CallEvent, 'provider' | 'at' | 'direction'> & { direction?: 'inbound' | 'outbound' }): Promise<void> {
    // The sink may be replaced by an adapter after start-up; batch in front of whichever is current.
    if (this.sink?.target !== this.services.events) {
      await this.sink?.batching.flush();
      this.sink = { target: this.services.events, batching: new BatchingCallEventSink(this.services.events, this.onError) };
    }
    await this.sink.batching.record({ provider: 'sip', direction: 'inbound', ...event, at: this.clock() });
  }
}
