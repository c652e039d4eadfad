import type { QueueScheduler } from '../../src/domain/operations/inbound-queue';
import type { fakeClock } from '../../src/shared/clock';

/** Timers that fire only when the test moves the fake clock with `advance`, in deadline order. */
export function fakeScheduler(clock: ReturnType<typeof fakeClock>): QueueScheduler & { advance(ms: number): void; pending(): number } {
  let nextId = 0;
  const timers = new Map<number, { at: number; run: () => void }>();
  return {
    setTimeout(run, ms) {
      nextId += 1;
      timers.set(nextId, { at: clock() + ms, run });
      return nextId;
    },
    clearTimeout(handle) {
      timers.delete(handle as number);
    },
    advance(ms) {
      const target = clock() + ms;
      for (;;) {
        let first: [number, { at: number; run: () => void }] | undefined;
        for (const entry of timers) if (entry[1].at <= target && (!first || entry[1].at < first[1].at)) first = entry;
        if (!first) break;
        timers.delete(first[0]);
        clock.set(Math.max(clock(), first[1].at));
        first[1].run();
      }
      clock.set(target);
    },
    pending: () => timers.size,
  };
}
