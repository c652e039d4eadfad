import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RING_SECONDS, type SipHarness, callHotline, registerPhone, startSipHarness, waitForEnd } from './support/harness';
import { expectSuccess, killAll } from './support/processes';

let harness: SipHarness;
let seen = new Set<string>();

/** The Call-ID of the one call made since the last test. */
async function newCallId(): Promise<string | undefined> {
  const ids = await harness.callIds();
  return ids.find((id) => !seen.has(id));
}

/** Puts volunteers on duty in this order, so the first has been idle longest. */
async function onDutyInOrder(ids: string[]): Promise<void> {
  for (const id of ids) {
    harness.router.volunteerOnDuty(id);
    // Idle-since is in milliseconds: make the order unambiguous.
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

beforeAll(async () => {
  harness = await startSipHarness();
});
afterEach(async () => {
  killAll();
  for (const agent of harness.router.core.snapshot().agents) harness.router.core.agentOffDuty(agent.agentId);
  seen = new Set(await harness.callIds());
});
afterAll(async () => {
  await harness?.close();
});

describe('inbound calls through Kamailio and rtpengine', () => {
  it('rings the volunteer idle longest, who answers; the record has times and outcome', async () => {
    const phones = await Promise.all(['v-a1', 'v-a2', 'v-a3'].map((id) => registerPhone(id, 'answer')));
    await onDutyInOrder(['v-a2', 'v-a1', 'v-a3']);
    const startedAt = Date.now();
    const caller = callHotline();
    await expectSuccess(caller);
    const endedAt = Date.now();
    // Only the idle-longest phone took the call.
    await expectSuccess(phones[1]!.uas);
    expect(phones[0]!.uas.process.exitCode).toBeNull();
    expect(phones[2]!.uas.process.exitCode).toBeNull();

    const record = await waitForEnd(harness, newCallId);
    expect(record).toMatchObject({ outcome: 'answered', answeredBy: 'v-a2', hangupBy: 'caller', attempts: [{ volunteerId: 'v-a2', result: 'answered' }] });
    expect(record.startedAt).toBeGreaterThanOrEqual(startedAt);
    expect(record.answeredAt! - record.startedAt).toBeLessThan(1000);
    // The caller talks for one second (caller.xml) before hanging up.
    expect(record.endedAt! - record.answeredAt!).toBeGreaterThanOrEqual(1000);
    expect(record.endedAt! - record.answeredAt!).toBeLessThan(2500);
    expect(record.endedAt!).toBeLessThanOrEqual(endedAt + 50);
    expect(record.talkSeconds).toBe(1);
  });

  it('skips a busy volunteer', async () => {
    const busy = await registerPhone('v-b1', 'busy');
    const free = await registerPhone('v-b2', 'answer');
    await onDutyInOrder(['v-b1', 'v-b2']);
    await expectSuccess(callHotline());
    await expectSuccess(busy.uas);
    await expectSuccess(free.uas);
    const record = await waitForEnd(harness, newCallId);
    expect(record).toMatchObject({
      outcome: 'answered',
      answeredBy: 'v-b2',
      attempts: [
        { volunteerId: 'v-b1', result: 'busy' },
        { volunteerId: 'v-b2', result: 'answered' },
      ],
    });
  });

  it('skips a volunteer who does not answer within the ring time', async () => {
    const silent = await registerPhone('v-c1', 'no-answer');
    const free = await registerPhone('v-c2', 'answer');
    await onDutyInOrder(['v-c1', 'v-c2']);
    await expectSuccess(callHotline());
    await expectSuccess(silent.uas);
    await expectSuccess(free.uas);
    const record = await waitForEnd(harness, newCallId);
    expect(record).toMatchObject({
      outcome: 'answered',
      answeredBy: 'v-c2',
      attempts: [
        { volunteerId: 'v-c1', result: 'no-answer' },
        { volunteerId: 'v-c2', result: 'answered' },
      ],
    });
    // The first phone rang for the configured ring time before the call moved on, and the queue
    // counted it as a missed offer (repeated misses put a volunteer on break).
    expect(record.answeredAt! - record.startedAt).toBeGreaterThanOrEqual(RING_SECONDS * 1000 - 100);
    expect(harness.router.core.snapshot().agents.find((agent) => agent.agentId === 'v-c1')?.consecutiveMisses).toBe(1);
  });

  it('tells the caller nobody is available when no volunteer is free', async () => {
    await expectSuccess(callHotline({ scenario: 'caller-refused' }));
    const record = await waitForEnd(harness, newCallId);
    expect(record).toMatchObject({ outcome: 'unanswered', answeredBy: null, attempts: [] });
  });
});
