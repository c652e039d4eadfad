import type { InboundQueue } from '../domain/operations/inbound-queue';
import type { Clock } from '../shared/clock';
import type { CallRouter, CallerInfo, RingFailure, RouteChoice } from './provider';

/** How early a provider's ring timer may fire against the queue's offer deadline. */
const EARLY_TIMER_MS = 250;
/** Calls remembered at once; a provider that never reports an end must not grow memory forever. */
const REMEMBERED_CALLS = 10_000;

/** What the router needs to know about waiting. */
export interface QueueCallRouterOptions {
  /** Longest a caller waits for a free volunteer before the provider gives up (`none`). */
  maxWaitSeconds: number;
}

/**
 * The providers' `CallRouter` on the operations area's inbound queue: the same queue the console's
 * presence feeds (on duty, available, on a call, wrap-up, break) and the coordinators' board and
 * metrics read. A call from SIP or Twilio enters that queue; the queue's offers are what rings, and
 * real ring failures, answers and ends go back into it.
 */
export class QueueCallRouter implements CallRouter {
  private readonly known = new Set<string>();

  constructor(
    private readonly queue: InboundQueue,
    private readonly clock: Clock,
    private readonly options: QueueCallRouterOptions,
  ) {}

  async chooseVolunteer(callId: string, caller: CallerInfo = {}): Promise<RouteChoice> {
    const { queue } = this;
    if (!this.known.has(callId)) {
      this.remember(callId);
      await queue.callArrived({ callId, ...(caller.language ? { language: caller.language } : {}), ...(caller.fromE164 ? { fromE164: caller.fromE164 } : {}) });
    }
    // The queue's own state (the same on every instance): which volunteer this call rings now.
    const snapshot = queue.snapshot();
    const call = snapshot.calls.find((c) => c.callId === callId);
    const offered = call?.state === 'offered' ? call.agentId : undefined;
    if (offered !== undefined) return { kind: 'ring', volunteerId: offered };
    if (call === undefined) return { kind: 'none' };
    // Someone who is on duty and not on break will become free; nobody else will come by themselves.
    const isAnyoneComing = snapshot.agents.some((agent) => agent.presence === 'available' || agent.presence === 'on_call' || agent.presence === 'wrap_up');
    if (isAnyoneComing && this.clock() - call.arrivedAt < this.options.maxWaitSeconds * 1000) return { kind: 'wait' };
    // Giving up: the call leaves the queue now, so no volunteer is offered a caller who is gone.
    await queue.callEnded(callId);
    this.forget(callId);
    return { kind: 'none' };
  }

  async ringFailed(callId: string, volunteerId: string, reason: RingFailure): Promise<void> {
    const { queue } = this;
    if (reason === 'no-answer') {
      // The phone rang for the whole offer time, which the queue counts as a missed offer (repeated
      // misses put the volunteer on break). The provider's timer may fire a little early (Kamailio's
      // timers tick every 1/16 s): wait out such a remainder, so that the queue's own deadline
      // has passed when it hears about it and times the offer out itself.
      const expiresAt = queue.snapshot().calls.find((call) => call.callId === callId && call.agentId === volunteerId)?.offerExpiresAt;
      const remaining = expiresAt === undefined ? 0 : expiresAt - this.clock();
      if (remaining > 0 && remaining <= EARLY_TIMER_MS) await new Promise((resolve) => setTimeout(resolve, remaining + 1));
    }
    // A phone that stopped ringing before the offer expired refused it. The queue sends no
    // cancel for an offer the agent's side refused, so forget it here. An offer that already timed
    // out (or moved on) is ignored by the queue.
    await queue.offerDeclined({ callId, agentId: volunteerId, reason: reason === 'busy' ? 'busy' : 'declined' });
  }

  async answered(callId: string, volunteerId: string): Promise<void> {
    const { queue } = this;
    await queue.offerAccepted({ callId, agentId: volunteerId });
    await queue.callAnswered({ callId, agentId: volunteerId });
  }

  async ended(callId: string): Promise<void> {
    const { queue } = this;
    await queue.callEnded(callId);
    this.forget(callId);
  }

  async requestCallback(callId: string, fromE164: string | undefined): Promise<string | null> {
    const { queue } = this;
    const { taskId } = await queue.requestCallback({ callId, ...(fromE164 ? { fromE164 } : {}) });
    this.forget(callId);
    return taskId;
  }

  async coordinatorForTransfer(): Promise<string | null> {
    const { queue } = this;
    const free = queue.snapshot().agents.filter((agent) => agent.role === 'coordinator' && agent.presence === 'available' && agent.offeredCallId === undefined);
    free.sort((a, b) => a.idleSince - b.idleSince);
    return free[0]?.agentId ?? null;
  }

  async ownCallStarted(callId: string, volunteerId: string): Promise<void> {
    await this.queue.ownCallStarted({ agentId: volunteerId, callId });
  }

  async ownCallEnded(callId: string, volunteerId: string): Promise<void> {
    await this.queue.ownCallEnded({ agentId: volunteerId, callId });
  }

  /** Nothing to stop: the queue belongs to the server's services. */
  close(): void {
    this.known.clear();
  }


  private remember(callId: string): void {
    this.known.add(callId);
    if (this.known.size > REMEMBERED_CALLS) this.forget(this.known.values().next().value ?? '');
  }

  private forget(callId: string): void {
    this.known.delete(callId);
  }
}
