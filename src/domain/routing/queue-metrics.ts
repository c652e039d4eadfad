import type { AgentId, AgentOccupancy, CallId, Presence, QueueMetrics } from './routing.types';

/** How a call left the queue. */
export type QueueOutcome = 'answered' | 'abandoned' | 'callback';

interface CallRecord {
  readonly arrivedAt: number;
  outcome: QueueOutcome | undefined;
  outcomeAt: number | undefined;
}

interface PresenceSegment {
  readonly presence: Presence;
  readonly from: number;
  to: number | undefined;
}

function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

function overlap(segment: PresenceSegment, from: number, to: number): number {
  const end = Math.min(segment.to ?? to, to);
  const start = Math.max(segment.from, from);
  return end > start ? end - start : 0;
}

/**
 * Keeps the history the queue figures need (arrival and outcome of each call, presence segments of
 * each agent) and computes them for any window. Recording is O(1) per event so it adds nothing
 * noticeable to a routing decision; the window query is a linear pass, run on demand. History grows
 * until `prune` drops what no report needs any more.
 */
export class QueueMetricsRecorder {
  private calls: CallRecord[] = [];
  private readonly openCalls = new Map<CallId, CallRecord>();
  private readonly segments = new Map<AgentId, PresenceSegment[]>();
  /** Told of each call as it leaves the queue (the inbound queue stores it for the dashboard). */
  onCallLeft: ((call: { callId: CallId; arrivedAt: number; outcome: QueueOutcome; at: number }) => void) | undefined;

  /** A call entered the queue. */
  callArrived(callId: CallId, at: number): void {
    const record: CallRecord = { arrivedAt: at, outcome: undefined, outcomeAt: undefined };
    this.calls.push(record);
    this.openCalls.set(callId, record);
  }

  /** A call left the queue: answered by an agent, abandoned, or turned into a callback. */
  callLeftQueue(callId: CallId, outcome: QueueOutcome, at: number): void {
    const record = this.openCalls.get(callId);
    if (record === undefined) return;
    record.outcome = outcome;
    record.outcomeAt = at;
    this.openCalls.delete(callId);
    this.onCallLeft?.({ callId, arrivedAt: record.arrivedAt, outcome, at });
  }

  /** An agent's presence changed; offline time is simply not recorded. */
  presenceChanged(agentId: AgentId, presence: Presence, at: number): void {
    let list = this.segments.get(agentId);
    if (list === undefined) {
      list = [];
      this.segments.set(agentId, list);
    }
    const last = list.at(-1);
    if (last !== undefined && last.to === undefined) last.to = at;
    if (presence !== 'offline') list.push({ presence, from: at, to: undefined });
  }

  /** Queue figures over [from, to); see QueueMetrics for what counts. */
  compute(from: number, to: number, serviceLevelSeconds: number): QueueMetrics {
    const serviceLevelMs = serviceLevelSeconds * 1000;
    let answered = 0;
    let abandoned = 0;
    let callbacks = 0;
    let stillWaiting = 0;
    let answerWaitTotal = 0;
    let answeredOnTime = 0;
    for (const record of this.calls) {
      if (record.arrivedAt < from || record.arrivedAt >= to) continue;
      // Judged as known at `to`, so a report for a past window does not change when asked later.
      if (record.outcome === undefined || record.outcomeAt === undefined || record.outcomeAt > to) {
        stillWaiting += 1;
        continue;
      }
      if (record.outcome === 'answered') {
        const wait = record.outcomeAt - record.arrivedAt;
        answered += 1;
        answerWaitTotal += wait;
        if (wait <= serviceLevelMs) answeredOnTime += 1;
      } else if (record.outcome === 'abandoned') {
        abandoned += 1;
      } else {
        callbacks += 1;
      }
    }
    const offered = answered + abandoned + callbacks;
    const agents = this.occupancyByAgent(from, to);
    const busyMs = agents.reduce((sum, agent) => sum + agent.busyMs, 0);
    const staffedMs = agents.reduce((sum, agent) => sum + agent.staffedMs, 0);
    return {
      from,
      to,
      offered,
      answered,
      abandoned,
      callbacks,
      stillWaiting,
      averageSpeedOfAnswerMs: ratio(answerWaitTotal, answered),
      abandonRate: ratio(abandoned, offered),
      serviceLevel: ratio(answeredOnTime, offered),
      serviceLevelSeconds,
      occupancy: ratio(busyMs, staffedMs),
      agents,
    };
  }

  /** Forgets calls that left the queue and presence that ended before `before`. */
  prune(before: number): void {
    this.calls = this.calls.filter((record) => record.outcomeAt === undefined || record.outcomeAt >= before);
    for (const [agentId, list] of this.segments) {
      const kept = list.filter((segment) => segment.to === undefined || segment.to > before);
      if (kept.length === 0) this.segments.delete(agentId);
      else this.segments.set(agentId, kept);
    }
  }

  private occupancyByAgent(from: number, to: number): AgentOccupancy[] {
    const rows: AgentOccupancy[] = [];
    for (const [agentId, list] of this.segments) {
      let busyMs = 0;
      let staffedMs = 0;
      for (const segment of list) {
        if (segment.presence === 'break' || segment.presence === 'offline') continue;
        const ms = overlap(segment, from, to);
        staffedMs += ms;
        if (segment.presence === 'on_call' || segment.presence === 'wrap_up') busyMs += ms;
      }
      if (staffedMs > 0) rows.push({ agentId, busyMs, staffedMs, occupancy: ratio(busyMs, staffedMs) });
    }
    return rows.sort((a, b) => (a.agentId < b.agentId ? -1 : a.agentId > b.agentId ? 1 : 0));
  }
}
