import type { CounterEntry, CounterValues } from '../../db/repositories/registry/index';
import type { Deps } from '../deps';

export type { CounterEntry, CounterValues } from '../../db/repositories/registry/index';

/** Topic on `deps.hub` that carries committed counter changes (`CountersChangedEvent`). */
export const COUNTERS_TOPIC = 'counters';

/** What `COUNTERS_TOPIC` carries: the additions (negative for removals) one transaction committed. */
export interface CountersChangedEvent {
  deltas: CounterEntry[];
  at: number;
  /**
   * The end of the transparency log entries the same transaction appended: the public counters
   * show the change once a signed checkpoint holds that many entries. Absent for changes that
   * append nothing (a `stats rebuild`), which show at once.
   */
  logEnd?: number;
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
  await deps.store.lock(['audit_log', 'registry']);
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
    { dimension: 'day_place', key: dayPlaceKey(statement.day, statement.provinceCode, statement.channel), ...values },
  ];
}

/**
 * The key of the 'day_place' counter: people published on one China day in one province through
 * one channel. The dashboard reads a period's few hundred of them instead of summing statements.
 */
export function dayPlaceKey(day: string, provinceCode: string, channel: string): string {
  return `${day}|${provinceCode}|${channel}`;
}

/**
 * Sums counter additions by counter, without an object per statement: a bulk import adds a few
 * thousand statements per transaction. `sorted()` gives them in the one fixed order every counter
 * writer uses, so two transactions never lock counters in opposite orders.
 */
export class CounterTotals {
  /** Entries by dimension, then key: no key string is built per addition (an import adds four per row). */
  private readonly byDimension = new Map<string, Map<string, CounterEntry>>();

  /** Adds one counter's values. */
  add(dimension: string, key: string, values: CounterValues, sign: 1 | -1 = 1): void {
    let entries = this.byDimension.get(dimension);
    if (entries === undefined) {
      entries = new Map();
      this.byDimension.set(dimension, entries);
    }
    const entry = entries.get(key);
    if (entry) {
      entry.people += sign * values.people;
      entry.party += sign * values.party;
      entry.league += sign * values.league;
      entry.pioneers += sign * values.pioneers;
    } else {
      entries.set(key, { dimension, key, people: sign * values.people, party: sign * values.party, league: sign * values.league, pioneers: sign * values.pioneers });
    }
  }

  /** Adds the four counters a statement moves (see `countersOf`): its values, its day, province and channel. */
  addStatement(statement: CounterValues & { channel: string }, day: string, provinceCode: string, sign: 1 | -1): void {
    this.add('total', '', statement, sign);
    this.add('day', day, statement, sign);
    this.add('province', provinceCode, statement, sign);
    this.add('channel', statement.channel, statement, sign);
    this.add('day_place', dayPlaceKey(day, provinceCode, statement.channel), statement, sign);
  }

  /** The merged counters in their fixed order: by dimension, then by key. */
  sorted(): CounterEntry[] {
    const byOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    return [...this.byDimension.keys()].sort(byOrder).flatMap((dimension) => {
      const entries = this.byDimension.get(dimension) as Map<string, CounterEntry>;
      return [...entries.keys()].sort(byOrder).map((key) => entries.get(key) as CounterEntry);
    });
  }
}

/**
 * Applies counter additions inside the caller's transaction (`deps.store` must be a transaction
 * holding `lockRegistry`), one upsert per distinct counter in a fixed order, and announces them on
 * the hub once that transaction has committed.
 */
export async function applyCounterDeltas(deps: Deps, deltas: CounterEntry[]): Promise<void> {
  const totals = new CounterTotals();
  for (const delta of deltas) totals.add(delta.dimension, delta.key, delta);
  const sorted = totals.sorted();
  if (sorted.length === 0) return;
  for (const delta of sorted) {
    await deps.store.registry.counters.add(delta.dimension, delta.key, { people: delta.people, party: delta.party, league: delta.league, pioneers: delta.pioneers });
  }
  const at = deps.clock();
  const { store } = deps;
  store.onCommit(() => {
    // Read at commit: the transaction may append its log entries after moving the counters.
    deps.hub.publish(COUNTERS_TOPIC, { deltas: sorted, at, ...(store.logEnd === undefined ? {} : { logEnd: store.logEnd }) } satisfies CountersChangedEvent);
  });
}

/** Adds (sign 1) or removes (sign -1) one statement from the counters; see `applyCounterDeltas`. */
export async function moveCounters(deps: Deps, statement: CountedStatement, sign: 1 | -1): Promise<void> {
  await applyCounterDeltas(deps, countersOf(statement, sign));
}
