import { RoutingCore } from '../domain/routing/routing-core';
import type { RoutingConfig, RoutingDecision } from '../domain/routing/routing.types';
import type { Clock } from '../shared/clock';
import type { CallRouter, RingFailure } from './provider';

/** How early a provider's ring timer may fire against the core's offer deadline. */
const EARLY_TIMER_MS = 250;

/**
 * A `CallRouter` straight on the pure routing core, for a single process. It carries out the
 * core's decisions that matter to a provider (who is being offered which call) and runs the
 * core's deadlines on a timer. The operations area's inbound queue (presence, persistence, live
 * view) replaces it through the same interface; until then this is the adapter the providers use.
 */
export class CoreCallRouter implements CallRouter {
  /** The routing core; presence (on duty, break) is fed to it directly until operations owns it. */
  readonly core: RoutingCore;
  private readonly offers = new Map<string, string>();
  private readonly known = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly clock: Clock,
    config: Partial<RoutingConfig> = {},
  ) {
    this.core = new RoutingCore({ clock, config });
  }

  /** Puts a volunteer on duty and available (idle from now). */
  volunteerOnDuty(volunteerId: string, languages: readonly string[] = []): void {
    this.apply(this.core.agentOnDuty({ agentId: volunteerId, role: 'volunteer', languages }));
  }

  async chooseVolunteer(callId: string): Promise<string | null> {
    if (!this.known.has(callId)) {
      this.known.add(callId);
      this.apply(this.core.callArrived({ callId }));
    } else {
      this.apply(this.core.tick());
    }
    return this.offers.get(callId) ?? null;
  }

  async ringFailed(callId: string, volunteerId: string, reason: RingFailure): Promise<void> {
    if (reason === 'no-answer') {
      // The phone rang for the whole offer time: let the core time the offer out, which counts
      // as a miss (repeated misses put the volunteer on break). The SIP edge's timer may fire a
      // tick early (Kamailio's timers have a resolution of 1/16 s): wait out such a remainder.
      const expiresAt = this.core.snapshot().calls.find((call) => call.callId === callId && call.agentId === volunteerId)?.offerExpiresAt;
      const remaining = expiresAt === undefined ? 0 : expiresAt - this.clock();
      if (remaining > 0 && remaining <= EARLY_TIMER_MS) await new Promise((resolve) => setTimeout(resolve, remaining + 1));
      this.apply(this.core.tick());
      if (this.offers.get(callId) !== volunteerId) return;
    }
    // A phone that stopped ringing before the offer expired is a refusal. The core emits no
    // cancel for an offer the agent's side refused, so forget it here.
    if (this.offers.get(callId) === volunteerId) this.offers.delete(callId);
    this.apply(this.core.offerDeclined({ callId, agentId: volunteerId, reason: reason === 'busy' ? 'busy' : 'declined' }));
  }

  async answered(callId: string, volunteerId: string): Promise<void> {
    this.apply(this.core.offerAccepted({ callId, agentId: volunteerId }));
    this.apply(this.core.callAnswered({ callId, agentId: volunteerId }));
  }

  async ended(callId: string): Promise<void> {
    this.apply(this.core.callEnded(callId));
    this.known.delete(callId);
    this.offers.delete(callId);
  }

  /** Stops the deadline timer (app shutdown). */
  close(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private apply(decisions: RoutingDecision[]): void {
    for (const decision of decisions) {
      if (decision.type === 'offer') this.offers.set(decision.callId, decision.agentId);
      else if (decision.type === 'cancel-offer' && this.offers.get(decision.callId) === decision.agentId) this.offers.delete(decision.callId);
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const next = this.core.nextDeadline();
    if (next === null) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.apply(this.core.tick());
    }, Math.max(0, next - this.clock()));
    this.timer.unref();
  }
}
