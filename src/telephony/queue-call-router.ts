import type { InboundQueue, QueueEvent } from '../domain/operations/inbound-queue';
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
  /** The volunteer each call is offered to right now (from the queue's decisions). */
  private readonly offers = new Map<string, string>();
  private readonly known = new Set<string>();
  private subscribed: InboundQueue | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly queue: () => Promise<InboundQueue>,
    private readonly clock: Clock,
    private readonly options: QueueCallRouterOptions,
  ) {}

  async chooseVolunteer(callId: string, caller: CallerInfo = {}): Promise<RouteChoice> {
    const queue = await this.current();
    if (!this.known.has(callId)) {
      this.remember(callId);
      queue.callArrived({ callId, ...(caller.language ? { language: caller.language } : {}), ...(caller.fromE164 ? { fromE164: caller.fromE164 } : {}) });
    }
    const offered = this.offers.get(callId);
    if (offered !== undefined) return { kind: 'ring', volunteerId: offered };
    const snapshot = queue.snapshot();
    const call = snapshot.calls.find((c) => c.callId === callId);
    if (call === undefined) return { kind: 'none' };
    // Someone who is on duty and not on break will become free; nobody else will come by themselves.
    const isAnyoneComing = snapshot.agents.some((agent) => agent.presence === 'available' || agent.presence === 'on_call' || agent.presence === 'wrap_up');
    if (isAnyoneComing && this.clock() - call.arrivedAt < this.options.maxWaitSeconds * 1000) return { kind: 'wait' };
    // Giving up: the call leaves the queue now, so no volunteer is offered a caller who is gone.
    queue.callEnded(callId);
    this.forget(callId);
    return { kind: 'none' };
  }

  async ringFailed(callId: string, volunteerId: string, reason: RingFailure): Promise<void> {
    const queue = await this.current();
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
    if (this.offers.get(callId) === volunteerId) this.offers.delete(callId);
    queue.offerDeclined({ callId, agentId: volunteerId, reason: reason === 'busy' ? 'busy' : 'declined' });
  }

  async answered(callId: string, volunteerId: string): Promise<void> {
    const queue = await this.current();
    queue.offerAccepted({ callId, agentId: volunteerId });
    queue.callAnswered({ callId, agentId: volunteerId });
  }

  async ended(callId: string): Promise<void> {
    const queue = await this.current();
    queue.callEnded(callId);
    this.forget(callId);
  }

  async requestCallback(callId: string, fromE164: string | undefined): Promise<string | null> {
    const queue = await this.current();
    const { taskId } = await queue.requestCallback({ callId, ...(fromE164 ? { fromE164 } : {}) });
    this.forget(callId);
    return taskId;
  }

  async coordinatorForTransfer(): Promise<string | null> {
    const queue = await this.current();
    const free = queue.snapshot().agents.filter((agent) => agent.role === 'coordinator' && agent.presence === 'available' && agent.offeredCallId === undefined);
    free.sort((a, b) => a.idleSince - b.idleSince);
    return free[0]?.agentId ?? null;
  }

  async ownCallStarted(callId: string, volunteerId: string): Promise<void> {
    (await this.current()).ownCallStarted({ agentId: volunteerId, callId });
  }

  async ownCallEnded(callId: string, volunteerId: string): Promise<void> {
    (await this.current()).ownCallEnded({ agentId: volunteerId, callId });
  }

  /** Stops listening to the queue (app shutdown). */
  close(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.subscribed = undefined;
  }

  /** The server's queue, listening to its decisions (again, if it was replaced). */
  private async current(): Promise<InboundQueue> {
    const queue = await this.queue();
    if (this.subscribed !== queue) {
      this.unsubscribe?.();
      this.offers.clear();
      this.subscribed = queue;
      this.unsubscribe = queue.onEvent((event) => {
        this.observe(event);
      });
    }
    return queue;
  }

  private observe(event: QueueEvent): void {
    if (event.type === 'offer' && this.known.has(event.callId)) this.offers.set(event.callId, event.agentId);
    else if (event.type === 'cancel-offer' && this.offers.get(event.callId) === event.agentId) this.offers.delete(event.callId);
  }

  private remember(callId: string): void {
    this.known.add(callId);
    if (this.known.size > REMEMBERED_CALLS) this.forget(this.known.values().next().value ?? '');
  }

  private forget(callId: string): void {
    this.known.delete(callId);
    this.offers.delete(callId);
  }
}
