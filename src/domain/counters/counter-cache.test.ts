import { describe, expect, it } from 'vitest';
import { MemoryHub } from '../../realtime/hub';
import { fakeClock } from '../../shared/clock';
import type { Deps } from '../deps';
import { chinaDay } from './china-day';
import { CounterCache } from './counter-cache';
import { COUNTERS_TOPIC, countersOf } from './counter-change';
import { LOG_TOPIC } from '../transparency/sequencer';

/** Deps whose counter table is a list in memory; `read` can be held open to overlap a change. */
function fakeDeps(rows: { dimension: string; key: string; people: number; party: number; league: number; pioneers: number }[]) {
  const clock = fakeClock(Date.UTC(2026, 10, 24, 17, 0)); // 01:00 on 25 Nov in China
  const hub = new MemoryHub();
  let hold: Promise<void> | undefined;
  const store = {
    registry: { counters: { read: async () => { await hold; return rows.map((row) => ({ ...row })); } } },
    transparency: { head: async () => undefined, entries: async () => [] },
    readSnapshot: async <T>(work: (tx: unknown) => Promise<T>): Promise<T> => work(store),
  };
  const deps = { store, clock, hub } as unknown as Deps;
  return { deps, clock, hub, holdReads: (until: Promise<void>) => { hold = until; } };
}

describe('CounterCache', () => {
  it('loads totals and days, then follows committed changes from the hub', async () => {
    const { deps, hub } = fakeDeps([
      { dimension: 'total', key: '', people: 100, party: 60, league: 30, pioneers: 20 },
      { dimension: 'day', key: '2026-11-25', people: 5, party: 5, league: 0, pioneers: 0 },
    ]);
    const cache = await CounterCache.load(deps);
    expect(cache.snapshot()).toMatchObject({ total: { people: 100 }, today: { people: 5 }, day: '2026-11-25' });
    hub.publish(COUNTERS_TOPIC, { deltas: countersOf({ people: 19, party: 8, league: 11, pioneers: 11, provinceCode: '430000', channel: 'outbound', day: '2026-11-25' }, 1), at: 1 });
    expect(JSON.parse(cache.snapshotJson())).toMatchObject({ total: { people: 119, party: 68, league: 41, pioneers: 31 }, today: { people: 24 } });
    const daily = cache.daily(3);
    expect(daily.map((d) => d.day)).toEqual(['2026-11-23', '2026-11-24', '2026-11-25']);
    expect(daily.map((d) => d.people)).toEqual([0, 0, 24]);
    cache.close();
    expect(hub.listenerCount(COUNTERS_TOPIC)).toBe(0);
  });

  it('rolls "today" over at midnight China time, not UTC', async () => {
    const { deps, clock } = fakeDeps([{ dimension: 'day', key: '2026-11-25', people: 5, party: 5, league: 0, pioneers: 0 }]);
    const cache = await CounterCache.load(deps);
    expect(cache.snapshot().today.people).toBe(5);
    clock.set(Date.UTC(2026, 10, 25, 16, 0)); // 00:00 on 26 Nov in China, still the 25th in UTC
    expect(chinaDay(clock())).toBe('2026-11-26');
    expect(JSON.parse(cache.snapshotJson())).toMatchObject({ day: '2026-11-26', today: { people: 0 } });
  });

  it('discards a periodic re-read that overlapped a change, so nothing is counted twice', async () => {
    const rows = [{ dimension: 'total', key: '', people: 10, party: 10, league: 0, pioneers: 0 }];
    const { deps, hub, holdReads } = fakeDeps(rows);
    const cache = await CounterCache.load(deps);
    let release: () => void = () => undefined;
    holdReads(new Promise((resolve) => (release = resolve)));
    const reloading = cache.reload();
    // The change commits (table says 11) and arrives on the hub while the read is in flight.
    rows[0] = { ...rows[0]!, people: 11, party: 11 };
    hub.publish(COUNTERS_TOPIC, { deltas: [{ dimension: 'total', key: '', people: 1, party: 1, league: 0, pioneers: 0 }], at: 2 });
    release();
    expect(await reloading).toBe(false);
    expect(cache.snapshot().total.people).toBe(11);
  });

  it('shows what a signed checkpoint adds, ignores the committing transaction\'s own announcement, and re-reads after a missed checkpoint', async () => {
    const rows = [{ dimension: 'total', key: '', people: 10, party: 10, league: 0, pioneers: 0 }];
    const { deps, hub } = fakeDeps(rows);
    const cache = await CounterCache.load(deps);
    const deltas = [{ dimension: 'total', key: '', people: 19, party: 8, league: 11, pioneers: 11 }];
    hub.publish(COUNTERS_TOPIC, { deltas, at: 1, logEnd: 1 });
    expect(cache.snapshot().total.people).toBe(10);
    hub.publish(LOG_TOPIC, { size: 1, previousSize: 0, totals: { statements: 1, people: 19, party: 8, league: 11, pioneers: 11 }, deltas, at: 2 });
    expect(cache.snapshot()).toMatchObject({ total: { people: 29 }, checkpointSize: 1 });
    // A checkpoint that does not follow the one shown: the counters are read again (here: 12 people, no checkpoint).
    rows[0] = { ...rows[0]!, people: 12 };
    hub.publish(LOG_TOPIC, { size: 5, previousSize: 3, totals: { statements: 5, people: 0, party: 0, league: 0, pioneers: 0 }, deltas, at: 3 });
    await expect.poll(() => cache.snapshot().total.people).toBe(12);
    cache.close();
  });
});
