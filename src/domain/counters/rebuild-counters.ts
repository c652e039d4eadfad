import { appendAudit } from '../audit/append-audit';
import { type Deps, inTransaction } from '../deps';
import { COUNTERS_TOPIC, type CounterEntry, type CountersChangedEvent, lockRegistry } from './counter-change';

/** A counter whose stored value differed from what the statements add up to. */
export interface CounterDifference {
  dimension: string;
  key: string;
  stored: { people: number; party: number; league: number; pioneers: number };
  computed: { people: number; party: number; league: number; pioneers: number };
}

/** What a rebuild found and did. */
export interface RebuildResult {
  checked: number;
  differences: CounterDifference[];
  fixed: boolean;
}

const DIMENSIONS = [
  { dimension: 'total', column: null },
  { dimension: 'day', column: 'published_day' },
  { dimension: 'province', column: 'province_code' },
  { dimension: 'channel', column: 'channel' },
  { dimension: 'day_place', column: 'day_place' },
] as const;

const zero = { people: 0, party: 0, league: 0, pioneers: 0 };
const same = (a: typeof zero, b: typeof zero) => a.people === b.people && a.party === b.party && a.league === b.league && a.pioneers === b.pioneers;

/**
 * Recomputes every counter from the published statements, reports each difference, and (unless
 * `dryRun`) sets the stored counters to the computed values, in one transaction that holds the
 * registry lock so no publication slips in between. Running servers correct their in-memory copy
 * from the hub event, or at their next periodic refresh when the rebuild ran in another process.
 */
export async function rebuildCounters(
  deps: Deps,
  options: { dryRun?: boolean; actorId?: string | null; progress?: { start(total: number): void; advance(count: number): void } } = {},
): Promise<RebuildResult> {
  return deps.store.transaction(async (tx) => {
    const txDeps = inTransaction(deps, tx);
    await lockRegistry(txDeps);
    options.progress?.start(DIMENSIONS.length);
    const stored = new Map<string, CounterEntry>();
    for (const row of await tx.registry.counters.read(DIMENSIONS.map((d) => d.dimension))) stored.set(`${row.dimension}\u0000${row.key}`, row);
    const differences: CounterDifference[] = [];
    let checked = 0;
    for (const { dimension, column } of DIMENSIONS) {
      const computed = new Map<string, typeof zero>();
      for (const row of await tx.registry.statements.publishedSums(column)) {
        computed.set(row.key, { people: row.people, party: row.party, league: row.league, pioneers: row.pioneers });
      }
      const keys = new Set([...computed.keys(), ...[...stored.values()].filter((row) => row.dimension === dimension).map((row) => row.key)]);
      for (const key of [...keys].sort()) {
        checked += 1;
        const storedRow = stored.get(`${dimension}\u0000${key}`);
        const storedValues = storedRow ? { people: storedRow.people, party: storedRow.party, league: storedRow.league, pioneers: storedRow.pioneers } : zero;
        const computedValues = computed.get(key) ?? zero;
        if (!same(storedValues, computedValues)) differences.push({ dimension, key, stored: storedValues, computed: computedValues });
      }
      options.progress?.advance(1);
    }
    if (options.dryRun || differences.length === 0) return { checked, differences, fixed: false };
    for (const difference of differences) await tx.registry.counters.replace(difference.dimension, difference.key, difference.computed);
    await appendAudit(txDeps, {
      actorId: options.actorId ?? null,
      action: 'counters.rebuilt',
      details: { differences: differences.length },
    });
    const deltas: CounterEntry[] = differences.map((d) => ({
      dimension: d.dimension,
      key: d.key,
      people: d.computed.people - d.stored.people,
      party: d.computed.party - d.stored.party,
      league: d.computed.league - d.stored.league,
      pioneers: d.computed.pioneers - d.stored.pioneers,
    }));
    const at = deps.clock();
    tx.onCommit(() => {
      deps.hub.publish(COUNTERS_TOPIC, { deltas, at } satisfies CountersChangedEvent);
    });
    return { checked, differences, fixed: true };
  });
}
