import { describe, expect, it } from 'vitest';
import { fakeClock } from '../shared/clock';
import { CoreCallRouter } from './core-call-router';

describe('CoreCallRouter', () => {
  it('offers the idle-longest volunteer and moves on after busy without a miss', async () => {
    const clock = fakeClock();
    const router = new CoreCallRouter(clock, { offerTimeoutSeconds: 10 });
    router.volunteerOnDuty('a');
    clock.advance(1000);
    router.volunteerOnDuty('b');
    expect(await router.chooseVolunteer('call-1')).toBe('a');
    await router.ringFailed('call-1', 'a', 'busy');
    expect(await router.chooseVolunteer('call-1')).toBe('b');
    expect(router.core.snapshot().agents.find((x) => x.agentId === 'a')?.consecutiveMisses).toBe(0);
    router.close();
  });

  it('counts a phone that rang out as a miss, and repeated misses put the volunteer on break', async () => {
    const clock = fakeClock();
    const router = new CoreCallRouter(clock, { offerTimeoutSeconds: 10, missesBeforeAutoBreak: 2, reofferSameAgentAfterSeconds: 0 });
    router.volunteerOnDuty('sleepy');
    for (const callId of ['c1', 'c2']) {
      expect(await router.chooseVolunteer(callId)).toBe('sleepy');
      clock.advance(10_000);
      await router.ringFailed(callId, 'sleepy', 'no-answer');
      await router.ended(callId);
    }
    expect(router.core.snapshot().agents.find((x) => x.agentId === 'sleepy')?.presence).toBe('break');
    expect(await router.chooseVolunteer('c3')).toBeNull();
    router.close();
  });

  it('treats a phone that stopped ringing early as a refusal, not a miss', async () => {
    const clock = fakeClock();
    const router = new CoreCallRouter(clock, { offerTimeoutSeconds: 10 });
    router.volunteerOnDuty('a');
    router.volunteerOnDuty('b');
    expect(await router.chooseVolunteer('c1')).toBe('a');
    clock.advance(2000);
    await router.ringFailed('c1', 'a', 'no-answer');
    expect(await router.chooseVolunteer('c1')).toBe('b');
    expect(router.core.snapshot().agents.find((x) => x.agentId === 'a')?.consecutiveMisses).toBe(0);
    router.close();
  });
});
