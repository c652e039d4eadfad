import type { Clock } from '../../shared/clock';
import type { AgentState } from './agent-pool';
import { CallDispatcher } from './call-dispatcher';
import type { QueuedCall } from './call-queue';
import { resolveRoutingConfig } from './routing-config';
import { buildSnapshot } from './routing-snapshot';
import type {
  AgentId,
  AgentOnDutyInput,
  CallArrivedInput,
  CallId,
  ChosenPresence,
  IgnoredReason,
  OfferRefusedInput,
  OfferResponseInput,
  QueueMetrics,
  RoutingConfig,
  RoutingDecision,
  RoutingSnapshot,
} from './routing.types';

/** What a routing core is built from. */
export interface RoutingCoreOptions {
  /** Read once per event; the core keeps no timers of its own. */
  clock: Clock;
  config?: Partial<RoutingConfig>;
}

type Decisions = RoutingDecision[];

function ignore(out: Decisions, reason: IgnoredReason, ids: { callId?: CallId; agentId?: AgentId }): void {
  out.push({ type: 'event-ignored', reason, ...ids });
}

/**
 * The inbound queue (ACD) as a pure state machine, the same behind SIP, Twilio or a test. Each
 * method is an event from the outside world: it reads the clock once, runs the deadlines already
 * due, applies the event and returns the decisions the adapter must carry out, in order. The
 * adapter calls `tick()` when `nextDeadline()` comes. No I/O, no timers.
 *
 * Events arrive from networks and can be late, repeated or out of order; one that no longer
 * applies changes nothing and yields an `event-ignored` decision instead of throwing.
 */
export class RoutingCore {
  private readonly clock: Clock;
  private readonly dispatcher: CallDispatcher;
  private nextCallSeq = 0;

  constructor(options: RoutingCoreOptions) {
    this.clock = options.clock;
    this.dispatcher = new CallDispatcher(resolveRoutingConfig(options.config));
  }

  /** An agent logs in: they become available, idle since now, and may be offered a call at once. */
  agentOnDuty(input: AgentOnDutyInput): Decisions {
    return this.run((out, d) => {
      const existing = d.agents.get(input.agentId);
      if (existing !== undefined && existing.presence !== 'offline') {
        ignore(out, 'ALREADY_ON_DUTY', { agentId: input.agentId });
        return;
      }
      d.makeAvailable(d.agents.register(input, d.config.coordinatorsInFirstTiers, d.now), true, out);
    });
  }

  /**
   * An agent on duty changes the languages they take calls in. They keep their place in the idle
   * order; a call waiting in a language they now speak may be offered to them at once.
   */
  agentLanguagesChanged(input: { agentId: AgentId; languages: readonly string[] }): Decisions {
    return this.run((out, d) => {
      const agent = d.agents.get(input.agentId);
      if (agent === undefined || agent.presence === 'offline') {
        ignore(out, agent === undefined ? 'UNKNOWN_AGENT' : 'NOT_ON_DUTY', { agentId: input.agentId });
        return;
      }
      d.changeLanguages(agent, input.languages, out);
    });
  }

  /** An agent logs out; a ringing offer moves on. A call they are on goes on without them. */
  agentOffDuty(agentId: AgentId): Decisions {
    return this.setPresence(agentId, 'offline');
  }

  /** An agent (or a coordinator for them) chooses available, break or offline. */
  setPresence(agentId: AgentId, presence: ChosenPresence): Decisions {
    return this.run((out, d) => {
      const agent = d.agents.get(agentId);
      if (agent === undefined) {
        ignore(out, 'UNKNOWN_AGENT', { agentId });
        return;
      }
      if (agent.presence === 'offline') {
        ignore(out, 'NOT_ON_DUTY', { agentId });
        return;
      }
      if (agent.presence === presence) return;
      if (presence === 'offline') {
        d.withdraw(agent, presence, out);
        return;
      }
      // Break and available are chosen between calls; logging out mid-call is allowed (above).
      if (agent.presence === 'on_call') {
        // A call of their own whose end never arrived (a lost event): the volunteer knows they are free.
        const isOwnCall = agent.activeCallId !== undefined && d.queue.get(agent.activeCallId) === undefined;
        if (!isOwnCall) {
          ignore(out, 'AGENT_ON_CALL', { agentId });
          return;
        }
        agent.activeCallId = undefined;
      }
      if (presence === 'break') {
        d.withdraw(agent, presence, out);
        return;
      }
      // From break, or ending wrap-up early.
      d.deadlines.clear('wrap-up-end', agentId);
      agent.wrapUpUntil = undefined;
      d.makeAvailable(agent, true, out);
    });
  }

  /** A call enters the queue: it is offered to the idle-longest eligible agent, or waits. */
  callArrived(input: CallArrivedInput): Decisions {
    return this.run((out, d) => {
      if (d.queue.get(input.callId) !== undefined) {
        ignore(out, 'DUPLICATE_CALL', { callId: input.callId });
        return;
      }
      const arrivedAt = Math.min(input.arrivedAt ?? d.now, d.now);
      const call: QueuedCall = {
        callId: input.callId,
        language: input.language,
        arrivedAt,
        seq: this.nextCallSeq++,
        tier: d.tierAfter(d.now - arrivedAt),
        state: 'waiting',
        agentId: undefined,
        offerExpiresAt: undefined,
        answeredAt: undefined,
        refusals: new Map(),
        isCallbackOffered: false,
      };
      d.queue.add(call);
      d.history.callArrived(call.callId, arrivedAt);
      d.scheduleOverflow(call);
      d.scheduleMaxWait(call);
      d.routeCall(call, out);
    });
  }

  /** The agent accepted the offer: bridge them (`connect`); they are on the call from now. */
  offerAccepted(input: OfferResponseInput): Decisions {
    return this.run((out, d) => {
      const offer = this.findOffer(input, out);
      if (offer !== undefined) d.accept(offer.call, offer.agent, out);
    });
  }

  /** The agent declined or their phone was busy: the call moves on at once. */
  offerDeclined(input: OfferRefusedInput): Decisions {
    return this.run((out, d) => {
      const offer = this.findOffer(input, out);
      if (offer !== undefined) d.refuse(offer.call, offer.agent, input.reason, out);
    });
  }

  /**
   * The caller is talking with the agent; this is the moment ASA and service level measure to.
   * Providers that know only "the agent's phone answered" may call this without `offerAccepted`.
   */
  callAnswered(input: { callId: CallId; agentId?: AgentId }): Decisions {
    return this.run((out, d) => {
      const call = d.queue.get(input.callId);
      if (call === undefined) {
        ignore(out, 'UNKNOWN_CALL', { callId: input.callId });
        return;
      }
      if (call.state === 'waiting') {
        ignore(out, 'CALL_NOT_OFFERED', { callId: call.callId });
        return;
      }
      if (call.state === 'talking') {
        ignore(out, 'CALL_ALREADY_ANSWERED', { callId: call.callId });
        return;
      }
      if (input.agentId !== undefined && input.agentId !== call.agentId) {
        ignore(out, 'NOT_OFFERED_TO_AGENT', { callId: call.callId, agentId: input.agentId });
        return;
      }
      d.answer(call, out);
    });
  }

  /** The call is over. Before it was answered this is an abandon; after, the agent wraps up. */
  callEnded(callId: CallId): Decisions {
    return this.run((out, d) => {
      const call = d.queue.get(callId);
      if (call === undefined) {
        ignore(out, 'UNKNOWN_CALL', { callId });
        return;
      }
      if (call.state === 'talking') d.finishTalk(call, out);
      else d.leaveQueue(call, 'abandoned', out);
    });
  }

  /** The caller hung up while queued (or ringing): counted for the abandon rate. */
  callerAbandoned(callId: CallId): Decisions {
    // Same rule as callEnded (a hang-up after the answer is a normal end); the name reads clearer.
    return this.callEnded(callId);
  }

  /** The caller chose a callback: the call leaves the queue (the adapter creates the task). */
  callbackRequested(callId: CallId): Decisions {
    return this.run((out, d) => {
      const call = d.queue.get(callId);
      if (call === undefined) {
        ignore(out, 'UNKNOWN_CALL', { callId });
        return;
      }
      if (call.state === 'connecting' || call.state === 'talking') {
        ignore(out, 'CALL_ALREADY_ACCEPTED', { callId });
        return;
      }
      d.leaveQueue(call, 'callback', out);
    });
  }

  /**
   * An agent on duty placed a call of their own (outbound: a campaign number, a callback request):
   * on a call until `ownCallEnded`, offered nothing meanwhile; a call ringing for them moves on
   * (not a miss). An agent on break stays on break: they chose not to take calls.
   */
  ownCallStarted(input: { agentId: AgentId; callId: CallId }): Decisions {
    return this.run((out, d) => {
      const agent = d.agents.get(input.agentId);
      if (agent === undefined || agent.presence === 'offline') {
        ignore(out, agent === undefined ? 'UNKNOWN_AGENT' : 'NOT_ON_DUTY', { agentId: input.agentId });
        return;
      }
      if (agent.presence === 'on_call') {
        ignore(out, 'AGENT_ON_CALL', { agentId: input.agentId, callId: input.callId });
        return;
      }
      if (agent.presence === 'break') {
        ignore(out, 'AGENT_ON_BREAK', { agentId: input.agentId, callId: input.callId });
        return;
      }
      d.startOwnCall(agent, input.callId, out);
    });
  }

  /** The agent's own call ended: they wrap up (timed), then are available again. */
  ownCallEnded(input: { agentId: AgentId; callId: CallId }): Decisions {
    return this.run((out, d) => {
      const agent = d.agents.get(input.agentId);
      if (agent === undefined) {
        ignore(out, 'UNKNOWN_AGENT', { agentId: input.agentId });
        return;
      }
      if (agent.presence !== 'on_call' || agent.activeCallId !== input.callId) {
        ignore(out, 'UNKNOWN_CALL', { agentId: input.agentId, callId: input.callId });
        return;
      }
      d.wrapUp(agent, out);
    });
  }

  /** Runs the deadlines that are due (offer timeouts, overflow, re-offers, wrap-up ends). */
  tick(): Decisions {
    return this.run(() => undefined);
  }

  /** When `tick` should next be called, or null when nothing is pending. */
  nextDeadline(): number | null {
    return this.dispatcher.deadlines.next();
  }

  /** The coordinators' live view as of the last event. */
  snapshot(): RoutingSnapshot {
    const d = this.dispatcher;
    return buildSnapshot(d.now, d.agents.all(), d.queue.all(), d.agents.freeCount);
  }

  /** ASA, abandon rate, service level and occupancy over [from, to). */
  metrics(from: number, to: number): QueueMetrics {
    return this.dispatcher.history.compute(from, to, this.dispatcher.config.serviceLevelSeconds);
  }

  /** Tells `listener` of each call as it leaves the queue (answered, abandoned, callback). */
  onCallLeftQueue(listener: (call: { callId: CallId; arrivedAt: number; outcome: 'answered' | 'abandoned' | 'callback'; at: number }) => void): void {
    this.dispatcher.history.onCallLeft = listener;
  }

  /** Forgets metrics history older than `before`, so a long-running core stays bounded. */
  pruneHistory(before: number): void {
    this.dispatcher.history.prune(before);
  }

  private run(handle: (out: Decisions, dispatcher: CallDispatcher) => void): Decisions {
    const now = this.clock();
    if (!Number.isFinite(now)) throw new RangeError('clock returned a non-finite time');
    const out: Decisions = [];
    this.dispatcher.advanceTo(now, out);
    handle(out, this.dispatcher);
    this.dispatcher.offerCallbacksIfNobodyFree(out);
    return out;
  }

  private findOffer(input: OfferResponseInput, out: Decisions): { call: QueuedCall; agent: AgentState } | undefined {
    const call = this.dispatcher.queue.get(input.callId);
    const agent = this.dispatcher.agents.get(input.agentId);
    if (call === undefined) {
      ignore(out, 'UNKNOWN_CALL', { callId: input.callId });
      return undefined;
    }
    // Also catches a late answer to an offer that already timed out and moved on.
    if (call.state !== 'offered' || call.agentId !== input.agentId || agent === undefined) {
      ignore(out, 'NOT_OFFERED_TO_AGENT', { callId: input.callId, agentId: input.agentId });
      return undefined;
    }
    return { call, agent };
  }
}
