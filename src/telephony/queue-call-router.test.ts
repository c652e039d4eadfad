import { describe, expect, it } from 'vitest';
import { fakeScheduler } from '../../test/support/fake-scheduler';
import type { Deps } from '../domain/deps';
import { InboundQueue } from '../domain/operations/inbound-queue';
import type { RoutingConfig } from '../domain/routing/routing.types';
import { MemoryHub } from '../realtime/hub';
import { fakeClock } from '../shared/clock';
import { QueueCallRouter } from './queue-call-router';

/** A queue on a fake clock whose presence writes go nowhere (they are tested with a database elsewhere). */
async function setup(config: Partial<RoutingConfig> = {}, maxWaitSeconds = 90) {
  const clock = fakeClock();
  const scheduler = fakeScheduler(clock);
  const saved: string[] = [];
  const duty: string[] = [];
  const queued: string[] = [];
  const store = {
    operations: { shifts: { savePresence: async (row: { presence: string }) => { saved.push(row.presence); }, onDuty: async () => [] } },
    reports: {
      recordDuty: async (_userId: string, presence: string) => { duty.push(presence); },
      recordQueueCall: async (row: { call_id: string; outcome: string }) => { queued.push(`${row.call_id} ${row.outcome}`); },
    },
    transaction: async <T>(work: (tx: unknown) => Promise<T>) => work(store),
  };
  const deps = { store, hub: new MemoryHub(), clock } as unknown as Deps;
  const queue = new InboundQueue(deps, { scheduler, config: { offerTimeoutSeconds: 10, wrapUpSeconds: 0, ...config } });
  await queue.start();
  const router = new QueueCallRouter(queue, clock, { maxWaitSeconds });
  const agent = (id: string) => queue.snapshot().agents.find((a) => a.agentId === id);
  return { clock, scheduler, queue, router, agent, saved, duty, queued };
}

describe('QueueCallRouter (providers on the inbound queue)', () => {
  it('rings the idle-longest volunteer on duty and moves on after busy without a miss', async () => {
    const { clock, queue, router, agent } = await setup();
    await queue.goOnDuty({ agentId: 'a', role: 'volunteer' });
    clock.advance(1000);
    await queue.goOnDuty({ agentId: 'b', role: 'volunteer' });
    expect(await router.chooseVolunteer('call-1')).toEqual({ kind: 'ring', volunteerId: 'a' });
    await router.ringFailed('call-1', 'a', 'busy');
    expect(await router.chooseVolunteer('call-1')).toEqual({ kind: 'ring', volunteerId: 'b' });
    expect(agent('a')?.consecutiveMisses).toBe(0);
    await router.answered('call-1', 'b');
    expect(agent('b')?.presence).toBe('on_call');
    await router.ended('call-1');
    expect(queue.metrics(0, clock() + 1)).toMatchObject({ offered: 1, answered: 1 });
  });

  it('counts a phone that rang out as a miss; repeated misses put the volunteer on break, and then nobody is coming', async () => {
    const { clock, queue, router, agent } = await setup({ missesBeforeAutoBreak: 2, reofferSameAgentAfterSeconds: 0 });
    await queue.goOnDuty({ agentId: 'sleepy', role: 'volunteer' });
    for (const callId of ['c1', 'c2']) {
      expect(await router.chooseVolunteer(callId)).toEqual({ kind: 'ring', volunteerId: 'sleepy' });
      clock.advance(10_000);
      await router.ringFailed(callId, 'sleepy', 'no-answer');
      await router.ended(callId);
    }
    expect(agent('sleepy')?.presence).toBe('break');
    expect(await router.chooseVolunteer('c3')).toEqual({ kind: 'none' });
    expect(queue.snapshot().calls).toEqual([]);
  });

  it('treats a phone that stopped ringing early as a refusal, not a miss', async () => {
    const { clock, queue, router, agent } = await setup();
    await queue.goOnDuty({ agentId: 'a', role: 'volunteer' });
    await queue.goOnDuty({ agentId: 'b', role: 'volunteer' });
    expect(await router.chooseVolunteer('c1')).toEqual({ kind: 'ring', volunteerId: 'a' });
    clock.advance(2000);
    await router.ringFailed('c1', 'a', 'no-answer');
    expect(await router.chooseVolunteer('c1')).toEqual({ kind: 'ring', volunteerId: 'b' });
    expect(agent('a')?.consecutiveMisses).toBe(0);
  });

  it('keeps a caller waiting while everyone is on a call, then rings whoever becomes free first', async () => {
    const { scheduler, queue, router } = await setup({ wrapUpSeconds: 5 });
    await queue.goOnDuty({ agentId: 'a', role: 'volunteer' });
    expect(await router.chooseVolunteer('first')).toEqual({ kind: 'ring', volunteerId: 'a' });
    await router.answered('first', 'a');
    expect(await router.chooseVolunteer('second')).toEqual({ kind: 'wait' });
    await router.ended('first');
    expect(await router.chooseVolunteer('second')).toEqual({ kind: 'wait' });
    // Wrap-up ends: the queue offers the waiting call by itself.
    scheduler.advance(5000);
    expect(await router.chooseVolunteer('second')).toEqual({ kind: 'ring', volunteerId: 'a' });
  });

  it('routes by the caller language first, then overflows to any volunteer', async () => {
    const { clock, scheduler, queue, router } = await setup({ overflowAnyLanguageAfterSeconds: 30, overflowToCoordinatorsAfterSeconds: 60 });
    await queue.goOnDuty({ agentId: 'mandarin', role: 'volunteer', languages: ['zh'] });
    clock.advance(1000);
    await queue.goOnDuty({ agentId: 'cantonese', role: 'volunteer', languages: ['yue'] });
    expect(await router.chooseVolunteer('yue-call', { language: 'yue' })).toEqual({ kind: 'ring', volunteerId: 'cantonese' });
    await router.answered('yue-call', 'cantonese');
    expect(await router.chooseVolunteer('yue-2', { language: 'yue' })).toEqual({ kind: 'wait' });
    scheduler.advance(30_000);
    expect(await router.chooseVolunteer('yue-2')).toEqual({ kind: 'ring', volunteerId: 'mandarin' });
  });

  it('gives up after the longest wait: the call leaves the queue, so no volunteer is offered a caller who is gone', async () => {
    const { scheduler, queue, router } = await setup({}, 20);
    await queue.goOnDuty({ agentId: 'a', role: 'volunteer' });
    await router.chooseVolunteer('talking');
    await router.answered('talking', 'a');
    expect(await router.chooseVolunteer('patient')).toEqual({ kind: 'wait' });
    scheduler.advance(20_000);
    expect(await router.chooseVolunteer('patient')).toEqual({ kind: 'none' });
    expect(queue.snapshot().calls.map((call) => call.callId)).toEqual(['talking']);
  });

  it('writes presence when a restart would need it, not on every call (each write is a disk sync)', async () => {
    const { queue, router, saved, duty, queued } = await setup({ wrapUpSeconds: 0 });
    await queue.goOnDuty({ agentId: 'a', role: 'volunteer' });
    for (const callId of ['c1', 'c2', 'c3']) {
      await router.chooseVolunteer(callId);
      await router.answered(callId, 'a');
      await router.ended(callId);
    }
    await queue.setPresence('a', 'break');
    await queue.goOffDuty('a');
    await queue.flush();
    expect(saved).toEqual(['available', 'break', 'offline']);
    // The same writes mark the volunteer's stretches on duty; each queued call is recorded once as it leaves the queue.
    expect(duty).toEqual(['available', 'break', 'offline']);
    expect(queued).toEqual(['c1 answered', 'c2 answered', 'c3 answered']);
  });
});
