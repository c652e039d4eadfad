import { randomBytes } from 'node:crypto';
import type { CallEventRow } from '../db/repositories/telephony/index';
import type { Deps } from '../domain/deps';
import type { CallEvent, CallEventSink } from './provider';

let sequence = 0;

/** Ids that sort in arrival order within a process, so events of one millisecond keep their order. */
function eventId(at: number): string {
  sequence = (sequence + 1) % 1_000_000;
  return `${at.toString(36).padStart(10, '0')}-${sequence.toString(36).padStart(4, '0')}-${randomBytes(4).toString('hex')}`;
}

/**
 * Stores every provider event in the telephony event log, which holds no phone numbers (a callback
 * request's number is in its call task, encrypted). The calls area's call record is built from
 * this log by an adapter on this interface.
 */
export class StoredCallEventSink implements CallEventSink {
  constructor(private readonly deps: Deps) {}

  async record(event: CallEvent): Promise<void> {
    await this.recordMany([event]);
  }

  /** Stores several events in one transaction (one disk sync for a burst of SIP events). */
  async recordMany(events: readonly CallEvent[]): Promise<void> {
    const { store } = this.deps;
    await store.transaction(async (tx) => {
      for (const event of events) await tx.telephony.callEvents.insert({
        id: eventId(event.at),
        provider: event.provider,
        call_id: event.callId,
        direction: event.direction,
        kind: event.kind,
        volunteer_id: event.volunteerId ?? null,
        reason: event.reason ?? null,
        hangup_by: event.hangupBy ?? null,
        campaign_id: event.campaignId ?? null,
        party_number_enc: null,
        at: event.at,
      });
    });
  }
}

/**
 * Queues events and writes them in order, in batches, off the request path: the SIP edge waits
 * for Hotline's answer before forwarding a 200 OK, so a disk sync per event would sit in every
 * call's setup time. Events are written within milliseconds; `flush()` waits for them.
 */
export class BatchingCallEventSink implements CallEventSink {
  private queue: CallEvent[] = [];
  private writing: Promise<void> | undefined;

  constructor(
    private readonly target: CallEventSink & { recordMany?: (events: readonly CallEvent[]) => Promise<void> },
    private readonly onError: (error: unknown) => void,
  ) {}

  async record(event: CallEvent): Promise<void> {
    this.queue.push(event);
    this.writing ??= this.drain();
  }

  /** Resolves once everything recorded so far is stored. */
  async flush(): Promise<void> {
    while (this.writing !== undefined) await this.writing;
  }

  private async drain(): Promise<void> {
    // Let the current request's response go out first.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      try {
        if (this.target.recordMany) await this.target.recordMany(batch);
        else for (const event of batch) await this.target.record(event);
      } catch (error) {
        this.onError(error);
      }
    }
    this.writing = undefined;
  }
}

/** How a call ended, as a coordinator reads it. */
export type CallOutcome = 'answered' | 'abandoned' | 'unanswered' | 'refused' | 'callback-requested' | 'in-progress';

/** One call summarized from its events: the times and outcome that go into the call record. */
export interface CallSummary {
  provider: string;
  callId: string;
  direction: string;
  startedAt: number;
  answeredAt: number | null;
  endedAt: number | null;
  /** Whole seconds from answer to end. */
  talkSeconds: number | null;
  outcome: CallOutcome;
  answeredBy: string | null;
  hangupBy: string | null;
  /** Ring attempts in order: who was rung and how it went. */
  attempts: { volunteerId: string; result: 'answered' | 'busy' | 'no-answer' | 'declined' | 'unavailable' | 'cancelled' }[];
}

/** Folds a call's events (oldest first) into its summary; null for a call with no events. */
export function summarizeCall(rows: readonly CallEventRow[]): CallSummary | null {
  const first = rows[0];
  if (first === undefined) return null;
  const summary: CallSummary = {
    provider: first.provider,
    callId: first.call_id,
    direction: first.direction,
    startedAt: first.at,
    answeredAt: null,
    endedAt: null,
    talkSeconds: null,
    outcome: 'in-progress',
    answeredBy: null,
    hangupBy: null,
    attempts: [],
  };
  let isCallback = false;
  let isRefused = false;
  for (const row of rows) {
    const volunteerId = row.volunteer_id;
    if (row.kind === 'offered' && volunteerId !== null) summary.attempts.push({ volunteerId, result: 'cancelled' });
    const attempt = summary.attempts.findLast((a) => a.volunteerId === volunteerId);
    if (row.kind === 'ring-failed' && attempt !== undefined) attempt.result = (row.reason ?? 'no-answer') as CallSummary['attempts'][number]['result'];
    if (row.kind === 'answered' && summary.answeredAt === null) {
      summary.answeredAt = row.at;
      summary.answeredBy = volunteerId;
      if (attempt !== undefined) attempt.result = 'answered';
    }
    if (row.kind === 'callback-requested') isCallback = true;
    if (row.kind === 'refused') isRefused = true;
    if (row.kind === 'ended' && summary.endedAt === null) {
      summary.endedAt = row.at;
      summary.hangupBy = row.hangup_by;
    }
  }
  if (summary.endedAt !== null) {
    if (summary.answeredAt !== null) {
      summary.outcome = 'answered';
      summary.talkSeconds = Math.round((summary.endedAt - summary.answeredAt) / 1000);
    } else if (isCallback) summary.outcome = 'callback-requested';
    else if (isRefused) summary.outcome = 'refused';
    else summary.outcome = summary.hangupBy === 'caller' ? 'abandoned' : 'unanswered';
  }
  return summary;
}
