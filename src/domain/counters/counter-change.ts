import type { CounterEntry, CounterValues } from '../../db/repositories/registry/index';
import type { Deps } from '../deps';

export type { CounterEntry, CounterValues } from '../../db/repositories/registry/index';

/** Topic on `deps.hub` that carries committed counter changes (`CountersChangedEvent`). */
export const COUNTERS_TOPIC = 'counters';

/** What `COUNTERS_TOPIC` carries: the additions (negative for removals) one transaction committed. */
export interface CountersChangedEvent {
  deltas: CounterEntry[];
  at: number;
}

/** The part of a statement the counters look at. */
export interface CountedStatement extends CounterValues {
  provinceCode: string;
  channel: string;
  /** The CST day it was published (counted) on. */
  day: string;
}

/**
 * The lock every registry write holds, taken in one order (the audit chain's first, then the
 * registry's) so that two transactions never wait on each other in a cycle. Holding it makes
 * publication numbers gapless and counter updates serial; group commit keeps that fast.
 */
export async function lockRegistry(deps: Deps): Promise<void> {
  await deps.store.lock('audit_log');
  await deps.store.lock('registry');
}

/** The four counters a statement moves. */
export function countersOf(statement: CountedStatement, sign: 1 | -1): CounterEntry[] {
  const values = {
    people: sign * statement.people,
    party: sign * statement.party,
    league: sign * statement.league,
    pioneers: sign * statement.pioneers,
  };
  return [
    { dimension: 'total', key: '', ...values },
    { dimension: 'day', key: statement.day, ...values },
    { dimension: 'province', key: statement.provinceCode, ...values },
    { dimension: 'channel', key: statement.channel, ...values },
  ];
}

/**
 * Applies counter additions inside the caller's transaction (`deps.store` must be a transaction
 * holding `lockRegistry`), one upsert per distinct counter in a fixed order, and announces them on
 * the hub once that transaction has committed.
 */
export async function applyCounterDeltas(deps: Deps, deltas: CounterEntry[]): Promise<void> {
  const merged = new Map<string, CounterEntry>();
  for (const delta of deltas) {
    const key = `${delta.dimension}\u0000${delta.key}`;
    const entry = merged.get(key);
    if (entry) {
      entry.people += delta.people;
      entry.party += delta.party;
      entry.league += delta.league;
      entry.pioneers += delta.pioneers;
    } else {
      merged.set(key, { ...delta });
    }
  }
  const sorted = [...merged.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, entry]) => entry);
  if (sorted.length === 0) return;
  for (const delta of sorted) {
    await deps.store.registry.counters.add(delta.dimension, delta.key, { people: delta.people, party: delta.party, league: delta.league, pioneers: delta.pioneers });
  }
  const at = deps.clock();
  deps.store.onCommit(() => {
    deps.hub.publish(COUNTERS_TOPIC, { deltas: sorted, at } satisfies CountersChangedEvent);
  });
}

/** Adds (sign 1) or removes (sign -1) one statement from the counters; see `applyCounterDeltas`. */
export async function moveCounters(deps: Deps, statement: CountedStatement, sign: 1 | -1): Promise<void> {
  await applyCounterDeltas(deps, countersOf(statement, sign));
}
