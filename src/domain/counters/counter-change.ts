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
 * Adds (sign 1) or removes (sign -1) a statement from the counters inside the caller's transaction
 * (`deps.store` must be a transaction holding `lockRegistry`), and announces the change on the hub
 * once that transaction has committed.
 */
export async function moveCounters(deps: Deps, statement: CountedStatement, sign: 1 | -1): Promise<void> {
  const deltas = countersOf(statement, sign);
  for (const delta of deltas) {
    await deps.store.registry.counters.add(delta.dimension, delta.key, { people: delta.people, party: delta.party, league: delta.league, pioneers: delta.pioneers });
  }
  const at = deps.clock();
  deps.store.onCommit(() => {
    deps.hub.publish(COUNTERS_TOPIC, { deltas, at } satisfies CountersChangedEvent);
  });
}
