import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { claimNextNumbers } from '../../../src/domain/operations/campaigns';
import { InboundQueue, type QueueEvent } from '../../../src/domain/operations/inbound-queue';
import { fakeScheduler } from '../../support/fake-scheduler';
import { type TestHotline, startTestHotline } from '../../support/test-runtime';

let t: TestHotline;
let scheduler: ReturnType<typeof fakeScheduler>;
let queue: InboundQueue;
let events: QueueEvent[];

async function insertUser(id: string, role: string): Promise<void> {
  const now = t.clock();
  await t.runtime.store.users.insert({
    id,
    username: id,
    display_name: `Agent ${id}`,
    role,
    password_hash: 'x',
    real_name_enc: null,
    phone_enc: null,
    totp_secret_enc: null,
    totp_enrolled_at: null,
    totp_last_step: null,
    status: 'active',
    failed_login_count: 0,
    locked_until: null,
    created_at: now,
    updated_at: now,
  });
}

const of = <T extends QueueEvent['type']>(type: T) => events.filter((event): event is Extract<QueueEvent, { type: T }> => event.type === type);

beforeAll(async () => {
  t = await startTestHotline();
  for (const id of ['ana', 'bo', 'cy', 'dee', 'coord']) await insertUser(id, id === 'coord' ? 'coordinator' : 'volunteer');
});
afterAll(async () => {
  await queue.stop();
  await t.close();
});
beforeEach(async () => {
  await queue?.stop();
  t.clock.set(Date.UTC(2026, 10, 25, 4, 0, 0)); // 12:00 in China
  scheduler = fakeScheduler(t.clock);
  queue = new InboundQueue(t.runtime, { scheduler, config: { offerTimeoutSeconds: 15, missesBeforeAutoBreak: 2, overflowAnyLanguageAfterSeconds: 30, overflowToCoordinatorsAfterSeconds: 60, wrapUpSeconds: 10 } });
  await queue.start();
  events = [];
  queue.onEvent((event) => events.push(event));
});

describe('InboundQueue with a fake clock', () => {
  it('offers each call to the volunteer idle longest', async () => {
    await queue.goOnDuty({ agentId: 'ana', role: 'volunteer', languages: ['zh'] });
    scheduler.advance(10_000);
    await queue.goOnDuty({ agentId: 'bo', role: 'volunteer', languages: ['zh'] });
    scheduler.advance(10_000);
    await queue.goOnDuty({ agentId: 'cy', role: 'volunteer', languages: ['zh'] });
    const heard: unknown[] = [];
    const unsubscribe = t.runtime.hub.subscribe('agent:ana', (event) => heard.push(event));
    expect(await queue.callArrived({ callId: 'c1', language: 'zh' })).toContainEqual(expect.objectContaining({ type: 'offer', callId: 'c1', agentId: 'ana' }));
    expect(heard).toContainEqual(expect.objectContaining({ type: 'offer', callId: 'c1' }));
    unsubscribe();
    await queue.offerAccepted({ callId: 'c1', agentId: 'ana' });
    await queue.callAnswered({ callId: 'c1', agentId: 'ana' });
    expect(await queue.callArrived({ callId: 'c2', language: 'zh' })).toContainEqual(expect.objectContaining({ type: 'offer', agentId: 'bo' }));
    expect(await queue.callArrived({ callId: 'c3', language: 'zh' })).toContainEqual(expect.objectContaining({ type: 'offer', agentId: 'cy' }));
    for (const id of ['ana', 'bo', 'cy']) await queue.goOffDuty(id);
  });

  it('moves an unanswered offer on after the timeout, and puts a volunteer who misses twice on break, persisted', async () => {
    await queue.goOnDuty({ agentId: 'ana', role: 'volunteer', languages: ['zh'] });
    scheduler.advance(1000);
    await queue.goOnDuty({ agentId: 'bo', role: 'volunteer', languages: ['zh'] });
    await queue.callArrived({ callId: 'm1', language: 'zh' });
    expect(of('offer').at(-1)).toMatchObject({ callId: 'm1', agentId: 'ana' });
    scheduler.advance(14_999);
    expect(of('cancel-offer')).toEqual([]);
    scheduler.advance(1);
    expect(of('cancel-offer')).toContainEqual(expect.objectContaining({ callId: 'm1', agentId: 'ana', reason: 'timeout' }));
    expect(of('offer').at(-1)).toMatchObject({ callId: 'm1', agentId: 'bo' });
    await queue.offerAccepted({ callId: 'm1', agentId: 'bo' });
    await queue.callAnswered({ callId: 'm1', agentId: 'bo' });
    // ana misses a second call: auto-break
    await queue.callArrived({ callId: 'm2', language: 'zh' });
    expect(of('offer').at(-1)).toMatchObject({ callId: 'm2', agentId: 'ana' });
    scheduler.advance(15_000);
    expect(of('agent-auto-break')).toContainEqual(expect.objectContaining({ agentId: 'ana', consecutiveMisses: 2 }));
    await queue.flush();
    expect((await t.runtime.store.operations.shifts.findPresence('ana'))?.presence).toBe('break');
    // a restart restores who is on duty, and ana's break
    const restarted = new InboundQueue(t.runtime, { scheduler: fakeScheduler(t.clock) });
    await restarted.start();
    const agents = Object.fromEntries(restarted.snapshot().agents.map((agent) => [agent.agentId, agent.presence]));
    expect(agents).toEqual({ ana: 'break', bo: 'available' });
    await restarted.stop();
    await queue.callerAbandoned('m2');
    await queue.callEnded('m1');
    await queue.goOffDuty('ana');
    await queue.goOffDuty('bo');
    await queue.flush();
  });

  it('overflows a call in an unspoken language to any volunteer after 30 s, then to coordinators after 60 s', async () => {
    await queue.goOnDuty({ agentId: 'coord', role: 'coordinator', languages: ['yue'] });
    await queue.goOnDuty({ agentId: 'dee', role: 'volunteer', languages: ['zh'] });
    await queue.callArrived({ callId: 'o1', language: 'yue' });
    expect(of('offer')).toEqual([]);
    scheduler.advance(30_000);
    expect(of('call-overflowed')).toContainEqual({ type: 'call-overflowed', callId: 'o1', tier: 1 });
    expect(of('offer').at(-1)).toMatchObject({ callId: 'o1', agentId: 'dee', tier: 1 });
    await queue.offerDeclined({ callId: 'o1', agentId: 'dee', reason: 'busy' });
    scheduler.advance(30_000);
    expect(of('call-overflowed')).toContainEqual({ type: 'call-overflowed', callId: 'o1', tier: 2 });
    expect(of('offer').at(-1)).toMatchObject({ callId: 'o1', agentId: 'coord', tier: 2 });
    await queue.callerAbandoned('o1');
    await queue.goOffDuty('coord');
    await queue.goOffDuty('dee');
  });

  it('offers a callback when nobody is free, and the request becomes a claimable task', async () => {
    const decisions = await queue.callArrived({ callId: 'cb1', fromE164: '+8613912345678' });
    expect(decisions).toContainEqual({ type: 'offer-callback', callId: 'cb1' });
    const { taskId } = await queue.requestCallback({ callId: 'cb1' });
    expect(taskId).toBe('callback:cb1');
    expect(of('callback-created')).toEqual([{ type: 'callback-created', callId: 'cb1', taskId: 'callback:cb1' }]);
    expect(queue.snapshot().calls).toEqual([]);
    const claimed = await claimNextNumbers(t.runtime, { actor: { id: 'bo', role: 'volunteer', username: 'bo' }, campaignId: null, size: 5 });
    expect(claimed.tasks.map((task) => task.id)).toEqual(['callback:cb1']);
    expect(Buffer.from(claimed.tasks[0]!.phone_enc!).includes(Buffer.from('13912345678'))).toBe(false);
  });

  it('computes ASA, abandon rate, service level within 20 s and occupancy', async () => {
    const from = t.clock();
    await queue.goOnDuty({ agentId: 'ana', role: 'volunteer', languages: [] });
    await queue.callArrived({ callId: 'k1' });
    scheduler.advance(5_000);
    await queue.offerAccepted({ callId: 'k1', agentId: 'ana' });
    await queue.callAnswered({ callId: 'k1', agentId: 'ana' });
    await queue.callArrived({ callId: 'k2' });
    scheduler.advance(25_000);
    await queue.callEnded('k1');
    scheduler.advance(10_000); // wrap-up ends, k2 is offered to ana
    await queue.offerAccepted({ callId: 'k2', agentId: 'ana' });
    await queue.callAnswered({ callId: 'k2', agentId: 'ana' }); // waited 35 s
    await queue.callArrived({ callId: 'k3' });
    scheduler.advance(10_000);
    await queue.callerAbandoned('k3');
    await queue.callEnded('k2');
    scheduler.advance(10_000);
    const metrics = queue.metrics(from, t.clock());
    expect(metrics.answered).toBe(2);
    expect(metrics.abandoned).toBe(1);
    expect(metrics.averageSpeedOfAnswerMs).toBe((5_000 + 35_000) / 2);
    expect(metrics.abandonRate).toBeCloseTo(1 / 3);
    expect(metrics.serviceLevel).toBeCloseTo(1 / 3);
    // ana: on duty 60 s; on call 5..30 (25 s) + wrap 30..40 + call 40..50 + wrap 50..60 = 55 s busy
    expect(metrics.occupancy).toBeCloseTo(55 / 60);
    await queue.goOffDuty('ana');
  });
});
