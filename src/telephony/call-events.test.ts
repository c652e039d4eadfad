import { describe, expect, it } from 'vitest';
import type { CallEventRow } from '../db/repositories/telephony/index';
import { BatchingCallEventSink, summarizeCall } from './call-events';

let n = 0;
function row(kind: string, at: number, extra: Partial<CallEventRow> = {}): CallEventRow {
  n += 1;
  return { id: String(n), provider: 'sip', call_id: 'c1', direction: 'inbound', kind, volunteer_id: null, reason: null, hangup_by: null, campaign_id: null, party_number_enc: null, at, ...extra };
}

describe('summarizeCall', () => {
  it('is null for a call with no events', () => {
    expect(summarizeCall([])).toBeNull();
  });

  it('counts a hang-up before anyone answered as abandoned, with every ring attempt', () => {
    const summary = summarizeCall([
      row('arrived', 1000),
      row('offered', 1001, { volunteer_id: 'a' }),
      row('ring-failed', 3000, { volunteer_id: 'a', reason: 'no-answer' }),
      row('offered', 3001, { volunteer_id: 'b' }),
      row('ended', 5000, { hangup_by: 'caller' }),
    ]);
    expect(summary).toMatchObject({ outcome: 'abandoned', answeredAt: null, talkSeconds: null, endedAt: 5000 });
    expect(summary?.attempts).toEqual([
      { volunteerId: 'a', result: 'no-answer' },
      { volunteerId: 'b', result: 'cancelled' },
    ]);
  });

  it('is in progress until the end arrives, then answered with the talk time', () => {
    const events = [row('arrived', 0), row('offered', 1, { volunteer_id: 'a' }), row('answered', 2000, { volunteer_id: 'a' })];
    expect(summarizeCall(events)?.outcome).toBe('in-progress');
    const done = summarizeCall([...events, row('ended', 62_400, { hangup_by: 'volunteer' })]);
    expect(done).toMatchObject({ outcome: 'answered', answeredBy: 'a', hangupBy: 'volunteer', talkSeconds: 60 });
  });

  it('marks refused outbound calls and callback requests', () => {
    expect(summarizeCall([row('refused', 0, { reason: 'NOT_ASSIGNED' }), row('ended', 1)])?.outcome).toBe('refused');
    expect(summarizeCall([row('arrived', 0), row('callback-requested', 5), row('ended', 6, { hangup_by: 'system' })])?.outcome).toBe('callback-requested');
  });
});

describe('BatchingCallEventSink', () => {
  const event = (callId: string, at: number) => ({ provider: 'sip' as const, callId, direction: 'inbound' as const, kind: 'arrived' as const, at });

  it('stores every event in order, in few batches, and flush waits for them', async () => {
    const batches: string[][] = [];
    const sink = new BatchingCallEventSink(
      {
        record: async () => undefined,
        recordMany: async (events) => {
          await new Promise((resolve) => setTimeout(resolve, 5));
          batches.push(events.map((e) => e.callId));
        },
      },
      () => undefined,
    );
    for (let i = 0; i < 5; i += 1) await sink.record(event(`c${i}`, i));
    await sink.flush();
    await sink.record(event('late', 9));
    await sink.flush();
    expect(batches.flat()).toEqual(['c0', 'c1', 'c2', 'c3', 'c4', 'late']);
    expect(batches.length).toBe(2);
  });

  it('reports a failed write and keeps going', async () => {
    const errors: unknown[] = [];
    const stored: string[] = [];
    let isFirst = true;
    const sink = new BatchingCallEventSink(
      {
        record: async (e) => {
          if (isFirst) {
            isFirst = false;
            throw new Error('disk full');
          }
          stored.push(e.callId);
        },
      },
      (error) => errors.push(error),
    );
    await sink.record(event('lost', 1));
    await sink.flush();
    await sink.record(event('kept', 2));
    await sink.flush();
    expect(errors).toHaveLength(1);
    expect(stored).toEqual(['kept']);
  });
});
