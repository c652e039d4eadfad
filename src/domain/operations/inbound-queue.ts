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
import type { Lease, OrderedLog } from '../../cluster/cluster';
import { ImmediateLog, SoleLease } from '../../cluster/memory';
import type { Deps } from '../deps';
import { createCallbackRequest } from './callback-requests';
import { type QueueCommand, compactedCommands } from './queue-commands';

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

/** How a queue is built: routing tunables, and (in tests) the timers. */
export interface InboundQueueOptions {
  config?: Partial<RoutingConfig>;
  scheduler?: QueueScheduler;
}

/** Entries in the log after which the lease holder replaces it with the equivalent of the current state, once no call is in the queue. */
const COMPACT_AFTER_ENTRIES = 5_000;
/** What a caller's number is sealed under in the queue log (it may travel through Redis). */
const CALLER_CONTEXT = 'queue.caller-number';

/**
 * The inbound queue (ACD) service: the pure `RoutingCore` with real timers, persisted presence and
 * the side effects of its decisions. Provider-neutral: SIP, Twilio and the manual provider call the
 * same methods, and listen to `onEvent` (or the hub topic `queue.decisions`) for what to do:
 * `offer` (ring agent X), `cancel-offer` (stop ringing), `connect` (bridge caller to agent),
 * `offer-callback` (nobody free: offer the caller a callback). Every method resolves with the
 * decisions it caused, in order.
 *
 * Several server instances share one queue by state-machine replication: every event is appended
 * to an ordered log (a Redis stream; in one process, applied at once), and every instance applies
 * the log in the same order to its own `RoutingCore`, with the time the event was stamped with. So
 * each instance knows the whole queue and tells its own consoles of their offers. Time-driven
 * moves (an offer that rang out, a caller who waited too long) are `tick` entries that only the
 * lease holder appends, fenced, so they happen once; its death hands them to the next holder. Side
 * effects on the database (presence, callback tasks for callers who waited too long) are the
 * lease holder's too.
 *
 * Presence is written to the database (after the fact, in order; `flush()` waits for it) so that
 * `start()` on an empty log restores who was on duty. A caller's number travels in the log only
 * encrypted with the keyring, and stays in memory only until the call leaves the queue, to create a
 * callback task if asked.
 */
export class InboundQueue {
  private readonly core: RoutingCore;
  private readonly scheduler: QueueScheduler;
  private readonly listeners = new Set<(event: QueueEvent) => void>();
  private readonly agents = new Map<AgentId, { role: AgentRole; languages: readonly string[] }>();
  private readonly callerNumbers = new Map<CallId, string | undefined>();
  /** The presence last written per agent. */
  private readonly persisted = new Map<AgentId, string>();
  /** The time of the entry being applied: the core reads it as its clock. */
  private applyingAt = Number.NEGATIVE_INFINITY;
  private timer: unknown = null;
  private timerAt: number | null = null;
  private writes: Promise<void> = Promise.resolve();
  private isStopped = false;
  private stopLeaseWatch: (() => void) | undefined;
  private isCompacting = false;

  constructor(
    private readonly deps: Deps,
    options: InboundQueueOptions = {},
    private readonly log: OrderedLog = new ImmediateLog(),
    private readonly lease: Lease = new SoleLease(),
  ) {
    this.core = new RoutingCore({ clock: () => this.applyingAt, ...(options.config ? { config: options.config } : {}) });
    this.scheduler = options.scheduler ?? realScheduler;
    // Each queued call's wait and outcome, kept by the lease holder for the dashboard's past days.
    this.core.onCallLeftQueue((call) => {
      if (!this.lease.isHeld()) return;
      const row = { call_id: call.callId, arrived_at: call.arrivedAt, outcome: call.outcome, left_at: call.at };
      this.writes = this.writes.then(() => this.deps.store.reports.recordQueueCall(row)).catch(() => undefined);
    });
  }

  /**
   * Applies the shared log (another instance may have been running the queue for hours), then,
   * when the log is empty and this instance leads, restores everyone the database says is on duty.
   */
  async start(): Promise<void> {
    await this.log.open((entry) => this.apply(entry as QueueCommand));
    this.stopLeaseWatch = this.lease.onChange(() => {
      this.schedule();
    });
    if (this.log.length() > 0 || !this.lease.isHeld()) {
      this.schedule();
      return;
    }
    const now = this.deps.clock();
    for (const row of await this.deps.store.operations.shifts.onDuty()) {
      const languages = JSON.parse(row.languages) as string[];
      const role: AgentRole = row.role === 'volunteer' ? 'volunteer' : 'coordinator';
      await this.log.append({ kind: 'on-duty', at: now, agentId: row.user_id, role, languages } satisfies QueueCommand);
      // On a call or in wrap-up when the server stopped: the call is gone, so they are available.
      if (row.presence === 'break') await this.log.append({ kind: 'presence', at: now, agentId: row.user_id, presence: 'break' } satisfies QueueCommand);
    }
    this.schedule();
  }

  /** Stops the timer and stops following the log; pending presence writes finish. */
  async stop(): Promise<void> {
    this.isStopped = true;
    this.stopLeaseWatch?.();
    if (this.timer !== null) this.scheduler.clearTimeout(this.timer);
    this.timer = null;
    await this.log.close();
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
  goOnDuty(input: OnDutyInput): Promise<RoutingDecision[]> {
    return this.submit({ kind: 'on-duty', at: this.deps.clock(), agentId: input.agentId, role: input.role, languages: [...(input.languages ?? [])] });
  }

  /**
   * An agent's languages changed (from their console): kept for the next time they go on duty and
   * stored, and applied at once when they are on duty (a waiting call in a language they now speak
   * may be offered to them: the decisions say so).
   */
  async setLanguages(agentId: AgentId, role: AgentRole, languages: readonly string[]): Promise<RoutingDecision[]> {
    const known = this.agents.get(agentId);
    const decisions = await this.submit({ kind: 'languages', at: this.deps.clock(), agentId, role: known?.role ?? role, languages: [...languages] });
    const stored = JSON.stringify(languages);
    const now = this.deps.clock();
    this.writes = this.writes.then(() => this.deps.store.operations.shifts.saveLanguages(agentId, known?.role ?? role, stored, now)).catch(() => undefined);
    return decisions;
  }

  /** An agent goes off duty. */
  goOffDuty(agentId: AgentId): Promise<RoutingDecision[]> {
    return this.setPresence(agentId, 'offline');
  }

  /** An agent (or a coordinator for them) chooses available, break or offline. */
  setPresence(agentId: AgentId, presence: ChosenPresence): Promise<RoutingDecision[]> {
    return this.submit({ kind: 'presence', at: this.deps.clock(), agentId, presence });
  }

  /** A call reached the hotline. `fromE164` travels sealed and is kept in memory only, for a callback request. */
  callArrived(input: { callId: CallId; language?: string; fromE164?: string }): Promise<RoutingDecision[]> {
    return this.submit({
      kind: 'arrived',
      at: this.deps.clock(),
      callId: input.callId,
      ...(input.language ? { language: input.language } : {}),
      ...(input.fromE164 ? { caller: this.deps.keyring.encrypt(input.fromE164, CALLER_CONTEXT).toString('base64') } : {}),
    });
  }

  /** The agent accepted the offer (pressed answer). */
  offerAccepted(input: { callId: CallId; agentId: AgentId }): Promise<RoutingDecision[]> {
    return this.submit({ kind: 'accepted', at: this.deps.clock(), ...input });
  }

  /** The agent's side refused the offer: busy or declined. */
  offerDeclined(input: { callId: CallId; agentId: AgentId; reason: OfferRefusal }): Promise<RoutingDecision[]> {
    return this.submit({ kind: 'declined', at: this.deps.clock(), ...input });
  }

  /** Media is bridged: the caller and the agent talk. */
  callAnswered(input: { callId: CallId; agentId?: AgentId }): Promise<RoutingDecision[]> {
    return this.submit({ kind: 'answered', at: this.deps.clock(), callId: input.callId, ...(input.agentId === undefined ? {} : { agentId: input.agentId }) });
  }

  /** The call ended (either side hung up). */
  callEnded(callId: CallId): Promise<RoutingDecision[]> {
    return this.submit({ kind: 'ended', at: this.deps.clock(), callId });
  }

  /** An agent placed a call of their own (outbound): on a call until it ends, offered nothing meanwhile. */
  ownCallStarted(input: { agentId: AgentId; callId: CallId }): Promise<RoutingDecision[]> {
    return this.submit({ kind: 'own-started', at: this.deps.clock(), ...input });
  }

  /** The agent's own call ended: wrap-up, then available. */
  ownCallEnded(input: { agentId: AgentId; callId: CallId }): Promise<RoutingDecision[]> {
    return this.submit({ kind: 'own-ended', at: this.deps.clock(), ...input });
  }

  /** The caller hung up while waiting. */
  callerAbandoned(callId: CallId): Promise<RoutingDecision[]> {
    return this.submit({ kind: 'abandoned', at: this.deps.clock(), callId });
  }

  /**
   * The caller chose to be called back (IVR key or the manual provider). Creates a callback task from
   * the caller's number (when known) and takes the call out of the queue.
   */
  async requestCallback(input: { callId: CallId; fromE164?: string }): Promise<{ taskId: string | null; decisions: RoutingDecision[] }> {
    const fromE164 = input.fromE164 ?? this.callerNumbers.get(input.callId);
    const decisions = await this.submit({ kind: 'callback', at: this.deps.clock(), callId: input.callId });
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

  private async submit(command: QueueCommand): Promise<RoutingDecision[]> {
    return (await this.log.append(command)) as RoutingDecision[];
  }

  /** Applies one log entry to this instance's core, at the time it was stamped with. */
  private apply(command: QueueCommand): RoutingDecision[] {
    this.applyingAt = command.at;
    return this.execute(this.decide(command));
  }

  private decide(command: QueueCommand): RoutingDecision[] {
    switch (command.kind) {
      case 'on-duty':
        this.agents.set(command.agentId, { role: command.role, languages: command.languages });
        return this.core.agentOnDuty({ agentId: command.agentId, role: command.role, languages: command.languages });
      case 'languages': {
        this.agents.set(command.agentId, { role: command.role, languages: command.languages });
        const isOnDuty = this.core.snapshot().agents.some((agent) => agent.agentId === command.agentId && agent.presence !== 'offline');
        return isOnDuty ? this.core.agentLanguagesChanged({ agentId: command.agentId, languages: command.languages }) : [];
      }
      case 'presence':
        return command.presence === 'offline' ? this.core.agentOffDuty(command.agentId) : this.core.setPresence(command.agentId, command.presence);
      case 'arrived':
        this.callerNumbers.set(command.callId, this.openCaller(command.caller));
        return this.core.callArrived({ callId: command.callId, ...(command.language ? { language: command.language } : {}) });
      case 'accepted':
        return this.core.offerAccepted({ callId: command.callId, agentId: command.agentId });
      case 'declined':
        return this.core.offerDeclined({ callId: command.callId, agentId: command.agentId, reason: command.reason });
      case 'answered':
        return this.core.callAnswered({ callId: command.callId, ...(command.agentId === undefined ? {} : { agentId: command.agentId }) });
      case 'ended':
        this.callerNumbers.delete(command.callId);
        return this.core.callEnded(command.callId);
      case 'own-started':
        return this.core.ownCallStarted({ agentId: command.agentId, callId: command.callId });
      case 'own-ended':
        return this.core.ownCallEnded({ agentId: command.agentId, callId: command.callId });
      case 'abandoned':
        this.callerNumbers.delete(command.callId);
        return this.core.callerAbandoned(command.callId);
      case 'callback':
        this.callerNumbers.delete(command.callId);
        return this.core.callbackRequested(command.callId);
      case 'tick':
        return this.core.tick();
    }
  }

  private openCaller(sealed: string | undefined): string | undefined {
    if (sealed === undefined) return undefined;
    try {
      return this.deps.keyring.decrypt(Buffer.from(sealed, 'base64'), CALLER_CONTEXT);
    } catch {
      // Sealed under a key this instance no longer has: the call is routed, without a callback number.
      return undefined;
    }
  }

  private execute(decisions: RoutingDecision[]): RoutingDecision[] {
    const isLeader = this.lease.isHeld();
    for (const decision of decisions) {
      switch (decision.type) {
        case 'offer':
        case 'cancel-offer':
        case 'connect':
        case 'agent-auto-break':
          this.deps.hub.publishLocal(QueueTopics.agent(decision.agentId), decision);
          break;
        case 'agent-presence':
          if (isLeader) this.persistPresence(decision);
          this.deps.hub.publishLocal(QueueTopics.agent(decision.agentId), decision);
          this.deps.hub.publishLocal(QueueTopics.presence, decision);
          break;
        default:
          break;
      }
      if (decision.type === 'cancel-offer' && decision.reason === 'caller-gone') this.callerNumbers.delete(decision.callId);
      if (decision.type === 'wait-expired') this.turnIntoCallbackRequest(decision.callId, isLeader);
      this.deps.hub.publishLocal(QueueTopics.decisions, decision);
      this.emit(decision);
    }
    this.schedule();
    if (isLeader) this.compactIfLong();
    return decisions;
  }

  /** Nobody accepted in time: the caller is called back (when their number is known), by the lease holder. */
  private turnIntoCallbackRequest(callId: CallId, isLeader: boolean): void {
    const fromE164 = this.callerNumbers.get(callId);
    this.callerNumbers.delete(callId);
    if (!isLeader) return;
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
    const fence = this.lease.fence();
    const deadline = fence === undefined ? null : this.core.nextDeadline();
    if (deadline === this.timerAt) return;
    if (this.timer !== null) this.scheduler.clearTimeout(this.timer);
    this.timer = null;
    this.timerAt = deadline;
    if (deadline === null || fence === undefined) return;
    this.timer = this.scheduler.setTimeout(() => {
      this.timer = null;
      this.timerAt = null;
      this.tick(fence);
    }, Math.max(0, deadline - this.deps.clock()));
  }

  /** The lease holder moves everyone's queue to now; a holder that lost the lease appends nothing. */
  private tick(fence: number): void {
    this.log.appendFenced({ kind: 'tick', at: this.deps.clock() } satisfies QueueCommand, fence).then(
      (isAppended) => {
        if (!isAppended) this.schedule();
        else this.compactIfLong();
      },
      () => {
        // Redis did not answer: try again at the next deadline check.
        this.timerAt = null;
        this.schedule();
      },
    );
  }

  /** A long log is replaced by the entries that rebuild today's state, while no call is in the queue. */
  private compactIfLong(): void {
    const fence = this.lease.fence();
    if (this.isCompacting || fence === undefined || this.log.length() < COMPACT_AFTER_ENTRIES) return;
    const snapshot = this.core.snapshot();
    if (snapshot.calls.length > 0) return;
    this.isCompacting = true;
    void this.log
      .compact(compactedCommands(snapshot, this.agents, this.deps.clock()), fence)
      .catch(() => false)
      .finally(() => {
        this.isCompacting = false;
      });
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
    // The same change ends the agent's stretch on duty and starts the next: the dashboard's hours on duty.
    this.writes = this.writes
      .then(() => this.deps.store.transaction(async (tx) => {
        await tx.operations.shifts.savePresence(row);
        await tx.reports.recordDuty(decision.agentId, presence, decision.since);
      }))
      .catch(() => undefined);
  }
}
