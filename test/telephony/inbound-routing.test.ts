import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { StaffSession } from '../support/staff';
import { RING_SECONDS, type SipHarness, callHotline, registerPhone, startSipHarness, waitForEnd } from './support/harness';
import { expectSuccess, killAll } from './support/processes';

let harness: SipHarness;
let coordinator: StaffSession;
let seen = new Set<string>();
const onDuty = new Set<StaffSession>();

/** The Call-IDs of the calls made since the last test, in arrival order. */
async function newCallIds(): Promise<string[]> {
  return (await harness.callIds()).filter((id) => !seen.has(id));
}

/** Volunteers with a phone of the given behaviour, signed up through Hotline's API. */
async function volunteers(count: number): Promise<StaffSession[]> {
  return Promise.all(Array.from({ length: count }, () => harness.staff('volunteer')));
}

/** Puts volunteers on duty from the console's API in this order, so the first has been idle longest. */
async function onDutyInOrder(sessions: StaffSession[]): Promise<void> {
  for (const session of sessions) {
    await harness.setPresence(session, 'available');
    onDuty.add(session);
    // Idle-since is in milliseconds: make the order unambiguous.
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

beforeAll(async () => {
  harness = await startSipHarness();
  coordinator = await harness.staff('coordinator');
});
afterEach(async () => {
  killAll();
  for (const session of onDuty) await harness.setPresence(session, 'offline');
  onDuty.clear();
  seen = new Set(await harness.callIds());
});
afterAll(async () => {
  await harness?.close();
});

describe('inbound calls through Kamailio and rtpengine, routed by the operations inbound queue', () => {
  it('rings the volunteer idle longest, who answers; the record has times and outcome', async () => {
    const [a1, a2, a3] = await volunteers(3);
    const phones = await Promise.all([a1!, a2!, a3!].map((v) => registerPhone(v.userId, 'answer')));
    await onDutyInOrder([a2!, a1!, a3!]);
    const startedAt = Date.now();
    const caller = callHotline();
    await expectSuccess(caller);
    const endedAt = Date.now();
    // Only the idle-longest phone took the call.
    await expectSuccess(phones[1]!.uas);
    expect(phones[0]!.uas.process.exitCode).toBeNull();
    expect(phones[2]!.uas.process.exitCode).toBeNull();

    const record = await waitForEnd(harness, async () => (await newCallIds())[0]);
    expect(record).toMatchObject({ outcome: 'answered', answeredBy: a2!.userId, hangupBy: 'caller', attempts: [{ volunteerId: a2!.userId, result: 'answered' }] });
    expect(record.startedAt).toBeGreaterThanOrEqual(startedAt);
    expect(record.answeredAt! - record.startedAt).toBeLessThan(1000);
    // The caller talks for one second (caller.xml) before hanging up. Times are taken when
    // Hotline hears of the ACK and the BYE, each a few milliseconds late on a busy machine.
    expect(record.endedAt! - record.answeredAt!).toBeGreaterThanOrEqual(950);
    expect(record.endedAt! - record.answeredAt!).toBeLessThan(2500);
    expect(record.endedAt!).toBeLessThanOrEqual(endedAt + 50);
    expect(record.talkSeconds).toBe(1);
    // The coordinators' queue figures count the real call.
    const metrics = (await coordinator.request('GET', `/api/operations/queue/metrics?from=${startedAt}&to=${Date.now() + 1}`)).json() as { offered: number; answered: number; serviceLevel: number };
    expect(metrics).toMatchObject({ offered: 1, answered: 1, serviceLevel: 1 });
  });

  it('skips a busy volunteer', async () => {
    const [b1, b2] = await volunteers(2);
    const busy = await registerPhone(b1!.userId, 'busy');
    const free = await registerPhone(b2!.userId, 'answer');
    await onDutyInOrder([b1!, b2!]);
    await expectSuccess(callHotline());
    await expectSuccess(busy.uas);
    await expectSuccess(free.uas);
    const record = await waitForEnd(harness, async () => (await newCallIds())[0]);
    expect(record).toMatchObject({
      outcome: 'answered',
      answeredBy: b2!.userId,
      attempts: [
        { volunteerId: b1!.userId, result: 'busy' },
        { volunteerId: b2!.userId, result: 'answered' },
      ],
    });
  });

  it('skips a volunteer who does not answer within the ring time, and counts it as a missed offer', async () => {
    const [c1, c2] = await volunteers(2);
    const silent = await registerPhone(c1!.userId, 'no-answer');
    const free = await registerPhone(c2!.userId, 'answer');
    await onDutyInOrder([c1!, c2!]);
    await expectSuccess(callHotline());
    await expectSuccess(silent.uas);
    await expectSuccess(free.uas);
    const record = await waitForEnd(harness, async () => (await newCallIds())[0]);
    expect(record).toMatchObject({
      outcome: 'answered',
      answeredBy: c2!.userId,
      attempts: [
        { volunteerId: c1!.userId, result: 'no-answer' },
        { volunteerId: c2!.userId, result: 'answered' },
      ],
    });
    // The first phone rang for the configured ring time before the call moved on, and the board
    // shows the missed offer (repeated misses put a volunteer on break).
    expect(record.answeredAt! - record.startedAt).toBeGreaterThanOrEqual(RING_SECONDS * 1000 - 100);
    const board = (await coordinator.request('GET', '/api/operations/board')).json() as { agents: { agentId: string; consecutiveMisses: number }[] };
    expect(board.agents.find((agent) => agent.agentId === c1!.userId)?.consecutiveMisses).toBe(1);
  });

  it('does not ring a volunteer on break', async () => {
    const [resting, working] = await volunteers(2);
    const restingPhone = await registerPhone(resting!.userId, 'answer');
    const workingPhone = await registerPhone(working!.userId, 'answer');
    await onDutyInOrder([resting!, working!]);
    await harness.setPresence(resting!, 'break');
    await expectSuccess(callHotline());
    await expectSuccess(workingPhone.uas);
    expect(restingPhone.uas.process.exitCode).toBeNull();
    const record = await waitForEnd(harness, async () => (await newCallIds())[0]);
    expect(record).toMatchObject({ outcome: 'answered', answeredBy: working!.userId });
  });

  it('queues a caller while every volunteer is on a call, and rings the volunteer as soon as they are free', async () => {
    const [only] = await volunteers(1);
    const phone = await registerPhone(only!.userId, 'answer', { calls: 2 });
    await onDutyInOrder([only!]);
    const first = callHotline({ talkMs: 2500 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    // The second caller hears 182 Queued, waits, and is answered after the first call ends.
    const second = callHotline({ scenario: 'caller-queued' });
    await expectSuccess(first);
    await expectSuccess(second);
    await expectSuccess(phone.uas);
    const ids = await newCallIds();
    expect(ids).toHaveLength(2);
    const firstRecord = await waitForEnd(harness, async () => ids[0]);
    const secondRecord = await waitForEnd(harness, async () => ids[1]);
    expect(secondRecord).toMatchObject({ outcome: 'answered', answeredBy: only!.userId, attempts: [{ volunteerId: only!.userId, result: 'answered' }] });
    expect(secondRecord.answeredAt!).toBeGreaterThanOrEqual(firstRecord.endedAt!);
    expect(secondRecord.answeredAt! - secondRecord.startedAt).toBeGreaterThan(1000);
  });

  it('counts a caller who hangs up while queued as abandoned, and takes the call out of the queue', async () => {
    const [only] = await volunteers(1);
    await registerPhone(only!.userId, 'answer');
    await onDutyInOrder([only!]);
    const talking = callHotline({ talkMs: 3000 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    await expectSuccess(callHotline({ scenario: 'caller-gives-up' }));
    const ids = await newCallIds();
    const record = await waitForEnd(harness, async () => ids[1]);
    expect(record).toMatchObject({ outcome: 'abandoned', hangupBy: 'caller', answeredBy: null, attempts: [] });
    expect((await harness.queue()).calls.map((call) => call.callId)).toEqual([ids[0]]);
    await expectSuccess(talking);
  });

  it('tells the caller nobody is available when no volunteer is on duty', async () => {
    await expectSuccess(callHotline({ scenario: 'caller-refused' }));
    const record = await waitForEnd(harness, async () => (await newCallIds())[0]);
    expect(record).toMatchObject({ outcome: 'unanswered', answeredBy: null, attempts: [] });
    expect((await harness.queue()).calls).toEqual([]);
  });
});
