import { AgentPool, type AgentState } from './agent-pool';
import { CallQueue, type QueuedCall } from './call-queue';
import { DeadlineQueue, type Deadline } from './deadline-queue';
import { QueueMetricsRecorder } from './queue-metrics';
import type { ResolvedRoutingConfig } from './routing-config';
import type { AgentId, CallId, OfferRefusal, Presence, RoutingDecision, RoutingTier } from './routing.types';

type Decisions = RoutingDecision[];

/**
 * The state of the queue and the moves that change it: offers, refusals, overflow, wrap-up,
 * callbacks. It trusts its caller: RoutingCore checks each outside event first and turns stale ones
 * into `event-ignored`, so every rule here can assume a consistent state.
 */
export class CallDispatcher {
  readonly agents = new AgentPool();
  readonly queue = new CallQueue();
  readonly deadlines = new DeadlineQueue();
  readonly history = new QueueMetricsRecorder();
  readonly config: ResolvedRoutingConfig;
  /** Effective time; never moves backwards, so an out-of-order event cannot undo a deadline. */
  now = Number.NEGATIVE_INFINITY;
  /** Waiting calls passed over by free agents who refused them; offered a callback once nobody is free. */
  private readonly callbackCandidates = new Set<QueuedCall>();

  constructor(config: ResolvedRoutingConfig) {
    this.config = config;
  }

  /**
   * Runs every deadline due by `target`, each at its own due time so the outcome does not depend on
   * how late the adapter ticks, then moves the time to `target`.
   */
  advanceTo(target: number, out: Decisions): void {
    const until = Math.max(target, this.now);
    for (let due = this.deadlines.popDue(until); due !== undefined; due = this.deadlines.popDue(until)) {
      this.now = Math.max(this.now, due.at);
      this.fire(due, out);
      this.offerCallbacksIfNobodyFree(out);
    }
    this.now = until;
  }

  private fire(deadline: Deadline, out: Decisions): void {
    if (deadline.kind === 'wrap-up-end') {
      const agent = this.agents.get(deadline.subjectId);
      if (agent?.presence !== 'wrap_up') return;
      agent.wrapUpUntil = undefined;
      this.makeAvailable(agent, true, out);
      return;
    }
    const call = this.queue.get(deadline.subjectId);
    if (call === undefined) return;
    if (deadline.kind === 'overflow') {
      this.overflow(call, out);
      return;
    }
    if (deadline.kind === 'max-wait') {
      // Still not accepted (waiting, or ringing someone): the caller is not kept waiting forever.
      if (call.state !== 'waiting' && call.state !== 'offered') return;
      this.leaveQueue(call, 'callback', out);
      out.push({ type: 'wait-expired', callId: call.callId });
      return;
    }
    if (deadline.kind === 'reoffer') {
      if (call.state !== 'waiting') return;
      this.queue.dequeueWaiting(call);
      this.routeCall(call, out);
      return;
    }
    const agent = call.agentId === undefined ? undefined : this.agents.get(call.agentId);
    if (call.state !== 'offered' || agent === undefined) return;
    out.push({ type: 'cancel-offer', callId: call.callId, agentId: agent.agentId, reason: 'timeout' });
    this.refuse(call, agent, 'timeout', out);
  }

  private changePresence(agent: AgentState, presence: Presence, out: Decisions, until?: number): void {
    agent.presence = presence;
    agent.presenceSince = this.now;
    this.history.presenceChanged(agent.agentId, presence, this.now);
    const since = this.now;
    out.push(
      until === undefined
        ? { type: 'agent-presence', agentId: agent.agentId, presence, since }
        : { type: 'agent-presence', agentId: agent.agentId, presence, since, until },
    );
  }

  /** `isNewIdlePeriod` false keeps the agent's place in the idle order (they never talked). */
  makeAvailable(agent: AgentState, isNewIdlePeriod: boolean, out: Decisions): void {
    agent.consecutiveMisses = 0;
    this.changePresence(agent, 'available', out);
    if (isNewIdlePeriod) this.agents.stampAvailable(agent, this.now);
    this.agents.markFree(agent);
    this.offerWaitingCallTo(agent, out);
  }

  /**
   * An agent's languages change: re-indexed under the new ones, keeping their place in the idle
   * order; a free agent may be offered a call waiting in a language they now speak.
   */
  changeLanguages(agent: AgentState, languages: readonly string[], out: Decisions): void {
    const wasFree = this.agents.isFree(agent);
    this.agents.markBusy(agent);
    agent.languages = [...new Set(languages)];
    if (!wasFree) return;
    this.agents.markFree(agent);
    this.offerWaitingCallTo(agent, out);
  }

  /** Takes an agent out of routing; a ringing offer moves on without counting as a miss. */
  withdraw(agent: AgentState, presence: 'break' | 'offline', out: Decisions): void {
    // The call goes on; unlinking it keeps its end from putting an offline agent into wrap-up.
    this.takeOutOfRouting(agent, presence, undefined, out);
  }

  /**
   * Takes an agent out of routing into `presence` (with `activeCallId` the call they are now on,
   * if any); an offer ringing for them moves on to someone else without counting as a miss.
   */
  private takeOutOfRouting(agent: AgentState, presence: 'break' | 'offline' | 'on_call', activeCallId: CallId | undefined, out: Decisions): void {
    this.agents.markBusy(agent);
    this.deadlines.clear('wrap-up-end', agent.agentId);
    agent.wrapUpUntil = undefined;
    agent.activeCallId = activeCallId;
    this.changePresence(agent, presence, out);
    const call = agent.offeredCallId === undefined ? undefined : this.queue.get(agent.offeredCallId);
    if (call === undefined) return;
    out.push({ type: 'cancel-offer', callId: call.callId, agentId: agent.agentId, reason: 'agent-unavailable' });
    this.clearOffer(call, agent);
    this.routeCall(call, out);
  }

  /** Offers a waiting call (in no waiting index) to the idle-longest eligible agent, or parks it. */
  routeCall(call: QueuedCall, out: Decisions): void {
    const agent = this.agents.pickIdleLongest(call.language, call.tier, (candidate) => this.isRecentlyRefused(call, candidate.agentId));
    if (agent !== undefined) {
      this.offer(call, agent, out);
      return;
    }
    this.queue.enqueueWaiting(call);
    this.scheduleReoffer(call);
    if (call.isCallbackOffered) return;
    // Nobody who may take this call at its tier is free: the caller may prefer a callback to waiting
    // for overflow. If someone is free but just refused it, wait: a re-offer is coming.
    if (this.agents.pickIdleLongest(call.language, call.tier, () => false) === undefined) {
      call.isCallbackOffered = true;
      out.push({ type: 'offer-callback', callId: call.callId });
    } else {
      this.callbackCandidates.add(call);
    }
  }

  private offerWaitingCallTo(agent: AgentState, out: Decisions): void {
    const call = this.queue.pickOldestFor(agent, (candidate) => this.isRecentlyRefused(candidate, agent.agentId));
    if (call !== undefined) this.offer(call, agent, out);
  }

  private offer(call: QueuedCall, agent: AgentState, out: Decisions): void {
    this.agents.markBusy(agent);
    this.queue.dequeueWaiting(call);
    this.callbackCandidates.delete(call);
    this.deadlines.clear('reoffer', call.callId);
    const expiresAt = this.now + this.config.offerTimeoutMs;
    call.state = 'offered';
    call.agentId = agent.agentId;
    call.offerExpiresAt = expiresAt;
    agent.offeredCallId = call.callId;
    this.deadlines.set('offer-expiry', call.callId, expiresAt);
    out.push({ type: 'offer', callId: call.callId, agentId: agent.agentId, tier: call.tier, expiresAt });
  }

  private clearOffer(call: QueuedCall, agent: AgentState): void {
    call.state = 'waiting';
    call.agentId = undefined;
    call.offerExpiresAt = undefined;
    agent.offeredCallId = undefined;
    this.deadlines.clear('offer-expiry', call.callId);
  }

  /** A refused or missed offer: the call moves on, the agent may be put on break. */
  refuse(call: QueuedCall, agent: AgentState, kind: 'timeout' | OfferRefusal, out: Decisions): void {
    this.clearOffer(call, agent);
    call.refusals.set(agent.agentId, this.now);
    const isMiss = kind === 'timeout' || (kind === 'busy' ? this.config.busyCountsAsMiss : this.config.declineCountsAsMiss);
    if (isMiss) agent.consecutiveMisses += 1;
    const isAutoBreak = isMiss && agent.consecutiveMisses >= this.config.missesBeforeAutoBreak;
    if (isAutoBreak) {
      out.push({ type: 'agent-auto-break', agentId: agent.agentId, consecutiveMisses: agent.consecutiveMisses });
      this.changePresence(agent, 'break', out);
    } else {
      this.agents.markFree(agent);
    }
    // The refusal keeps the call from this agent, so it rings the next idle-longest at once; the
    // agent is settled first so that "is anyone free for this caller?" sees them as they now are.
    this.routeCall(call, out);
    // With no re-offer delay the call may have gone straight back to this agent.
    if (this.agents.isFree(agent)) this.offerWaitingCallTo(agent, out);
  }

  /** The agent took the call: they are on it from now; the caller is no longer routed. */
  accept(call: QueuedCall, agent: AgentState, out: Decisions): void {
    for (const kind of ['offer-expiry', 'overflow', 'reoffer', 'max-wait'] as const) this.deadlines.clear(kind, call.callId);
    call.state = 'connecting';
    call.offerExpiresAt = undefined;
    agent.offeredCallId = undefined;
    agent.activeCallId = call.callId;
    agent.consecutiveMisses = 0;
    this.changePresence(agent, 'on_call', out);
    out.push({ type: 'connect', callId: call.callId, agentId: agent.agentId });
  }

  /** The caller is talking with the agent: the call leaves the queue as answered. */
  answer(call: QueuedCall, out: Decisions): void {
    const agent = call.agentId === undefined ? undefined : this.agents.get(call.agentId);
    if (call.state === 'offered' && agent !== undefined) this.accept(call, agent, out);
    call.state = 'talking';
    call.answeredAt = this.now;
    this.history.callLeftQueue(call.callId, 'answered', this.now);
  }

  /** An answered call ended: its agent goes into timed wrap-up. */
  finishTalk(call: QueuedCall, out: Decisions): void {
    this.queue.delete(call);
    const agent = call.agentId === undefined ? undefined : this.agents.get(call.agentId);
    if (agent === undefined || agent.activeCallId !== call.callId) return;
    this.wrapUp(agent, out);
  }

  /**
   * The agent placed a call of their own (a campaign number, a callback request): they are on a
   * call and out of routing until it ends; an offer ringing for them moves on without a miss.
   */
  startOwnCall(agent: AgentState, callId: CallId, out: Decisions): void {
    this.takeOutOfRouting(agent, 'on_call', callId, out);
  }

  /** The agent's call ended (an answered inbound call, or their own): timed wrap-up, then available. */
  wrapUp(agent: AgentState, out: Decisions): void {
    agent.activeCallId = undefined;
    if (this.config.wrapUpMs === 0) {
      this.makeAvailable(agent, true, out);
      return;
    }
    const until = this.now + this.config.wrapUpMs;
    agent.wrapUpUntil = until;
    this.changePresence(agent, 'wrap_up', out, until);
    this.deadlines.set('wrap-up-end', agent.agentId, until);
  }

  /** The caller left before being answered (hung up, or chose a callback). */
  leaveQueue(call: QueuedCall, outcome: 'abandoned' | 'callback', out: Decisions): void {
    const stateWhenLeft = call.state;
    this.queue.delete(call);
    this.callbackCandidates.delete(call);
    for (const kind of ['offer-expiry', 'overflow', 'reoffer', 'max-wait'] as const) this.deadlines.clear(kind, call.callId);
    this.history.callLeftQueue(call.callId, outcome, this.now);
    const agent = call.agentId === undefined ? undefined : this.agents.get(call.agentId);
    if (agent === undefined) return;
    if (stateWhenLeft === 'offered') {
      out.push({ type: 'cancel-offer', callId: call.callId, agentId: agent.agentId, reason: 'caller-gone' });
      agent.offeredCallId = undefined;
      this.agents.markFree(agent);
      this.offerWaitingCallTo(agent, out);
    } else if (stateWhenLeft === 'connecting' && agent.activeCallId === call.callId) {
      agent.activeCallId = undefined;
      // They never spoke with the caller, so they keep their place in the idle order.
      this.makeAvailable(agent, false, out);
    }
  }

  private overflow(call: QueuedCall, out: Decisions): void {
    const tier = this.tierAfter(this.now - call.arrivedAt);
    if (tier > call.tier) {
      const isWaiting = call.state === 'waiting';
      if (isWaiting) this.queue.dequeueWaiting(call);
      call.tier = tier;
      out.push({ type: 'call-overflowed', callId: call.callId, tier });
      if (isWaiting) this.routeCall(call, out);
    }
    this.scheduleOverflow(call);
  }

  /** Sets the deadline after which a call nobody accepted leaves the queue (none when the limit is 0). */
  scheduleMaxWait(call: QueuedCall): void {
    if (this.config.maxWaitMs > 0) this.deadlines.set('max-wait', call.callId, call.arrivedAt + this.config.maxWaitMs);
  }

  /** Sets the deadline at which a call widens to the next tier. */
  scheduleOverflow(call: QueuedCall): void {
    if (call.tier === 2) {
      this.deadlines.clear('overflow', call.callId);
      return;
    }
    const after = call.tier === 0 ? this.config.overflowAnyLanguageAfterMs : this.config.overflowToCoordinatorsAfterMs;
    this.deadlines.set('overflow', call.callId, call.arrivedAt + after);
  }

  /** Wakes a parked call when the first refusal that keeps an agent from it runs out. */
  private scheduleReoffer(call: QueuedCall): void {
    let earliest = Number.POSITIVE_INFINITY;
    for (const [agentId, refusedAt] of call.refusals) {
      const until = refusedAt + this.config.reofferSameAgentAfterMs;
      if (until <= this.now) call.refusals.delete(agentId);
      else if (until < earliest) earliest = until;
    }
    if (earliest !== Number.POSITIVE_INFINITY) this.deadlines.set('reoffer', call.callId, earliest);
  }

  private isRecentlyRefused(call: QueuedCall, agentId: AgentId): boolean {
    const refusedAt = call.refusals.get(agentId);
    return refusedAt !== undefined && this.now < refusedAt + this.config.reofferSameAgentAfterMs;
  }

  /** The tier a call has reached after waiting this long. */
  tierAfter(waitedMs: number): RoutingTier {
    if (waitedMs >= this.config.overflowToCoordinatorsAfterMs) return 2;
    return waitedMs >= this.config.overflowAnyLanguageAfterMs ? 1 : 0;
  }

  /** Nobody free at all: every parked caller not yet offered a callback is offered one now. */
  offerCallbacksIfNobodyFree(out: Decisions): void {
    if (this.callbackCandidates.size === 0 || this.agents.freeCount > 0) return;
    for (const call of this.callbackCandidates) {
      call.isCallbackOffered = true;
      out.push({ type: 'offer-callback', callId: call.callId });
    }
    this.callbackCandidates.clear();
  }
}
