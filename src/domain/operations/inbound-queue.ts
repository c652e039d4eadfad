import { RoutingCore } from '../routing/routing-core';
import type {
  AgentId,
  AgentRole,
  CallId,
  ChosenPresence,
  OfferRefusal,
  QueueMetrics,
  RoutingConfig,
  RoutingDecision,
  RoutingSnapshot,
} from '../routing/routing.types';
import type { Deps } from '../deps';
import { createCallbackRequest } from './callback-requests';

/** Timers the queue uses; tests pass a fake that moves with the fake clock. */
export interface QueueScheduler {
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realScheduler: QueueScheduler = {
  setTimeout: (run, ms) => {
    const handle = setTimeout(run, ms);
    handle.unref();
    return handle;
  },
  clearTimeout: (handle) => {
    clearTimeout(handle as NodeJS.Timeout);
  },
};

/** Hub topics the queue publishes on. */
export const QueueTopics = {
  /** Every decision, for telephony adapters and the coordinators' board. */
  decisions: 'queue.decisions',
  /** Presence changes of agents: `{ agentId, presence, since, until? }`. */
  presence: 'presence',
  /** Decisions concerning one agent (offer, cancel-offer, connect, presence): the agent's console. */
  agent: (agentId: AgentId) => `agent:${agentId}`,
} as const;

/** A decision, plus the callback task created when a caller asked for one. */
export type QueueEvent = RoutingDecision | { type: 'callback-created'; callId: CallId; taskId: string | null };

/** What an agent brings on duty. */
export interface OnDutyInput {
  agentId: AgentId;
  role: AgentRole;
  languages?: readonly string[];
}

/**
 * The inbound queue (ACD) service: the pure `RoutingCore` with real timers, persisted presence and
 * the side effects of its decisions. Provider-neutral: SIP, Twilio and the manual provider call the
 * same methods, and listen to `onEvent` (or the hub topic `queue.decisions`) for what to do:
 * `offer` (ring agent X), `cancel-offer` (stop ringing), `connect` (bridge caller to agent),
 * `offer-callback` (nobody free: offer the caller a callback). Every method returns the decisions
 * it caused, in order.
 *
 * Presence is written to the database (after the fact, in order; `flush()` waits for it) so that
 * `start()` after a restart restores who was on duty. Caller numbers given to `callArrived` stay in
 * memory only, until the call leaves the queue, to create a callback task if asked.
 */
export class InboundQueue {
  private readonly core: RoutingCore;
  private readonly scheduler: QueueScheduler;
  private readonly listeners = new Set<(event: QueueEvent) => void>();
  private readonly agents = new Map<AgentId, { role: AgentRole; languages: readonly string[] }>();
  private readonly callerNumbers = new Map<CallId, string | undefined>();
  /** The presence last written per agent. */
  private readonly persisted = new Map<AgentId, string>();
  private timer: unknown = null;
  private timerAt: number | null = null;
  private writes: Promise<void> = Promise.resolve();
  private isStopped = false;

  constructor(
    private readonly deps: Deps,
    options: { config?: Partial<RoutingConfig>; scheduler?: QueueScheduler } = {},
  ) {
    this.core = new RoutingCore({ clock: deps.clock, ...(options.config ? { config: options.config } : {}) });
    this.scheduler = options.scheduler ?? realScheduler;
  }

  /** Restores everyone the database says is on duty (after a restart). */
  async start(): Promise<void> {
    for (const row of await this.deps.store.operations.shifts.onDuty()) {
      const languages = JSON.parse(row.languages) as string[];
      const role: AgentRole = row.role === 'volunteer' ? 'volunteer' : 'coordinator';
      this.agents.set(row.user_id, { role, languages });
      this.execute(this.core.agentOnDuty({ agentId: row.user_id, role, languages }));
      // On a call or in wrap-up when the server stopped: the call is gone, so they are available.
      if (row.presence === 'break') this.execute(this.core.setPresence(row.user_id, 'break'));
    }
  }

  /** Stops the timer; pending presence writes finish. */
  async stop(): Promise<void> {
    this.isStopped = true;
    if (this.timer !== null) this.scheduler.clearTimeout(this.timer);
    this.timer = null;
    await this.flush();
  }

  /** Resolves when every presence change so far is stored. */
  flush(): Promise<void> {
    return this.writes;
  }

  /** Listens to every decision (and callback-created events); returns an unsubscribe function. */
  onEvent(listener: (event: QueueEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** An agent goes on duty from the console. */
  goOnDuty(input: OnDutyInput): RoutingDecision[] {
    const languages = input.languages ?? [];
    this.agents.set(input.agentId, { role: input.role, languages });
    return this.execute(this.core.agentOnDuty({ agentId: input.agentId, role: input.role, languages }));
  }

  /**
   * An agent's languages changed (from their console): kept for the next time they go on duty and
   * stored, and applied at once when they are on duty (a waiting call in a language they now speak
   * may be offered to them: the decisions say so).
   */
  setLanguages(agentId: AgentId, role: AgentRole, languages: readonly string[]): RoutingDecision[] {
    const known = this.agents.get(agentId);
    this.agents.set(agentId, { role: known?.role ?? role, languages });
    const isOnDuty = this.core.snapshot().agents.some((agent) => agent.agentId === agentId && agent.presence !== 'offline');
    const decisions = isOnDuty ? this.execute(this.core.agentLanguagesChanged({ agentId, languages })) : [];
    const stored = JSON.stringify(languages);
    const now = this.deps.clock();
    this.writes = this.writes.then(() => this.deps.store.operations.shifts.saveLanguages(agentId, known?.role ?? role, stored, now)).catch(() => undefined);
    return decisions;
  }

  /** An agent goes off duty. */
  goOffDuty(agentId: AgentId): RoutingDecision[] {
    return this.execute(this.core.agentOffDuty(agentId));
  }

  /** An agent (or a coordinator for them) chooses available, break or offline. */
  setPresence(agentId: AgentId, presence: ChosenPresence): RoutingDecision[] {
    if (presence === 'offline') return this.goOffDuty(agentId);
    return this.execute(this.core.setPresence(agentId, presence));
  }

  /** A call reached the hotline. `fromE164` is kept in memory only, for a callback request. */
  callArrived(input: { callId: CallId; language?: string; fromE164?: string }): RoutingDecision[] {
    this.callerNumbers.set(input.callId, input.fromE164);
    return this.execute(this.core.callArrived({ callId: input.callId, ...(input.language ? { language: input.language } : {}) }));
  }

  /** The agent accepted the offer (pressed answer). */
  offerAccepted(input: { callId: CallId; agentId: AgentId }): RoutingDecision[] {
    return this.execute(this.core.offerAccepted(input));
  }

  /** The agent's side refused the offer: busy or declined. */
  offerDeclined(input: { callId: CallId; agentId: AgentId; reason: OfferRefusal }): RoutingDecision[] {
    return this.execute(this.core.offerDeclined(input));
  }

  /** Media is bridged: the caller and the agent talk. */
  callAnswered(input: { callId: CallId; agentId?: AgentId }): RoutingDecision[] {
    return this.execute(this.core.callAnswered(input));
  }

  /** The call ended (either side hung up). */
  callEnded(callId: CallId): RoutingDecision[] {
    this.callerNumbers.delete(callId);
    return this.execute(this.core.callEnded(callId));
  }

  /** An agent placed a call of their own (outbound): on a call until it ends, offered nothing meanwhile. */
  ownCallStarted(input: { agentId: AgentId; callId: CallId }): RoutingDecision[] {
    return this.execute(this.core.ownCallStarted(input));
  }

  /** The agent's own call ended: wrap-up, then available. */
  ownCallEnded(input: { agentId: AgentId; callId: CallId }): RoutingDecision[] {
    return this.execute(this.core.ownCallEnded(input));
  }

  /** The caller hung up while waiting. */
  callerAbandoned(callId: CallId): RoutingDecision[] {
    this.callerNumbers.delete(callId);
    return this.execute(this.core.callerAbandoned(callId));
  }

  /**
   * The caller chose to be called back (IVR key or the manual provider). Creates a callback task from
   * the caller's number (when known) and takes the call out of the queue.
   */
  async requestCallback(input: { callId: CallId; fromE164?: string }): Promise<{ taskId: string | null; decisions: RoutingDecision[] }> {
    const fromE164 = input.fromE164 ?? this.callerNumbers.get(input.callId);
    this.callerNumbers.delete(input.callId);
    const decisions = this.execute(this.core.callbackRequested(input.callId));
    const taskId = await this.createCallback(input.callId, fromE164);
    return { taskId, decisions };
  }

  /** The live view: agents on duty and calls in the queue. */
  snapshot(): RoutingSnapshot {
    return this.core.snapshot();
  }

  /** Queue figures over [from, to): ASA, abandon rate, service level, occupancy. */
  metrics(from: number, to: number): QueueMetrics {
    return this.core.metrics(from, to);
  }

  /** When the next timer fires (for tests and the board). */
  nextTimerAt(): number | null {
    return this.timerAt;
  }

  private execute(decisions: RoutingDecision[]): RoutingDecision[] {
    for (const decision of decisions) {
      switch (decision.type) {
        case 'offer':
        case 'cancel-offer':
        case 'connect':
        case 'agent-auto-break':
          this.deps.hub.publish(QueueTopics.agent(decision.agentId), decision);
          break;
        case 'agent-presence':
          this.persistPresence(decision);
          this.deps.hub.publish(QueueTopics.agent(decision.agentId), decision);
          this.deps.hub.publish(QueueTopics.presence, decision);
          break;
        default:
          break;
      }
      if (decision.type === 'cancel-offer' && decision.reason === 'caller-gone') this.callerNumbers.delete(decision.callId);
      if (decision.type === 'wait-expired') this.turnIntoCallbackRequest(decision.callId);
      this.deps.hub.publish(QueueTopics.decisions, decision);
      this.emit(decision);
    }
    this.schedule();
    return decisions;
  }

  /** Nobody accepted in time: the caller is called back (when their number is known). */
  private turnIntoCallbackRequest(callId: CallId): void {
    const fromE164 = this.callerNumbers.get(callId);
    this.callerNumbers.delete(callId);
    this.writes = this.writes.then(() => this.createCallback(callId, fromE164)).then(
      () => undefined,
      () => undefined,
    );
  }

  /** Makes the callback task (none without a number) and tells the listeners; returns its id. */
  private async createCallback(callId: CallId, fromE164: string | undefined): Promise<string | null> {
    const created = await createCallbackRequest(this.deps, { fromE164, callId });
    this.emit({ type: 'callback-created', callId, taskId: created?.taskId ?? null });
    return created?.taskId ?? null;
  }

  /** What is known of a call in the queue, for the console of the volunteer it is offered to. */
  offeredCall(callId: CallId, agentId: AgentId): { callId: CallId; language?: string; arrivedAt: number; expiresAt?: number; fromE164?: string } | undefined {
    const call = this.core.snapshot().calls.find((c) => c.callId === callId);
    if (call === undefined || call.state !== 'offered' || call.agentId !== agentId) return undefined;
    const fromE164 = this.callerNumbers.get(callId);
    return {
      callId,
      arrivedAt: call.arrivedAt,
      ...(call.language !== undefined ? { language: call.language } : {}),
      ...(call.offerExpiresAt !== undefined ? { expiresAt: call.offerExpiresAt } : {}),
      ...(fromE164 !== undefined ? { fromE164 } : {}),
    };
  }

  private emit(event: QueueEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch {
        // A broken listener (a closed socket) must not stop routing.
      }
    }
  }

  private schedule(): void {
    if (this.isStopped) return;
    const deadline = this.core.nextDeadline();
    if (deadline === this.timerAt) return;
    if (this.timer !== null) this.scheduler.clearTimeout(this.timer);
    this.timer = null;
    this.timerAt = deadline;
    if (deadline === null) return;
    this.timer = this.scheduler.setTimeout(() => {
      this.timer = null;
      this.timerAt = null;
      this.execute(this.core.tick());
    }, Math.max(0, deadline - this.deps.clock()));
  }

  private persistPresence(decision: Extract<RoutingDecision, { type: 'agent-presence' }>): void {
    // Real calls move agents between available, on a call and wrap-up several times a minute, and
    // each write is a disk sync on the call path; a restart treats on_call and wrap_up as available
    // anyway (see start()), so only a change of what a restart restores is written.
    const presence = decision.presence === 'on_call' || decision.presence === 'wrap_up' ? 'available' : decision.presence;
    if (this.persisted.get(decision.agentId) === presence) return;
    this.persisted.set(decision.agentId, presence);
    const agent = this.agents.get(decision.agentId);
    const row = {
      user_id: decision.agentId,
      presence,
      since: decision.since,
      until: decision.until ?? null,
      role: agent?.role ?? 'volunteer',
      languages: JSON.stringify(agent?.languages ?? []),
      updated_at: this.deps.clock(),
    };
    this.writes = this.writes.then(() => this.deps.store.operations.shifts.savePresence(row)).catch(() => undefined);
  }
}
