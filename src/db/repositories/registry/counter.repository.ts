import { sql } from 'kysely';
import type { Executor } from '../../store';

/** A counter's four numbers. */
export interface CounterValues {
  people: number;
  party: number;
  league: number;
  pioneers: number;
}

/** One counter row's identity and values. */
export interface CounterEntry extends CounterValues {
  dimension: string;
  key: string;
}

/** Counter rollups. Additions are atomic upserts, so concurrent writers never lose an update. */
export class CounterRepository {
  constructor(private readonly db: Executor) {}

  /**
   * Adds `values` (possibly negative) to one counter. `insert ... on conflict do update` takes the
   * row lock on PostgreSQL and adds to the committed value, so no read-modify-write race exists.
   */
  async add(dimension: string, key: string, values: CounterValues): Promise<void> {
    await this.db
      .insertInto('counters')
      .values({ dimension, key, ...values })
      .onConflict((oc) =>
        oc.columns(['dimension', 'key']).doUpdateSet({
          people: sql`counters.people + ${values.people}`,
          party: sql`counters.party + ${values.party}`,
          league: sql`counters.league + ${values.league}`,
          pioneers: sql`counters.pioneers + ${values.pioneers}`,
        }),
      )
      .execute();
  }

  /** Counters of the given dimensions; `dayFrom` limits the 'day' dimension. */
  async read(dimensions: string[], options: { dayFrom?: string } = {}): Promise<CounterEntry[]> {
    let query = this.db
      .selectFrom('counters')
      .select((eb) => [
        'dimension',
        'key',
        eb.fn.sum<string | number | null>('people').as('people'),
        eb.fn.sum<string | number | null>('party').as('party'),
        eb.fn.sum<string | number | null>('league').as('league'),
        eb.fn.sum<string | number | null>('pioneers').as('pioneers'),
      ])
      .where('dimension', 'in', dimensions)
      .groupBy(['dimension', 'key']);
    if (options.dayFrom !== undefined) {
      const dayFrom = options.dayFrom;
      query = query.where((eb) => eb.or([eb('dimension', '!=', 'day'), eb('key', '>=', dayFrom)]));
    }
    const rows = await query.execute();
    return rows.map((row) => ({
      dimension: row.dimension,
      key: row.key,
      people: Number(row.people),
      party: Number(row.party),
      league: Number(row.league),
      pioneers: Number(row.pioneers),
    }));
  }

  /** One dimension's counters whose keys lie in [`fromKey`, `toKey`) (keys that start with a day sort by it). */
  async readRange(dimension: string, fromKey: string, toKey: string): Promise<CounterEntry[]> {
    const rows = await this.db
      .selectFrom('counters')
      .select(['dimension', 'key', 'people', 'party', 'league', 'pioneers'])
      .where('dimension', '=', dimension)
      .where('key', '>=', fromKey)
      .where('key', '<', toKey)
      .execute();
    return rows;
  }

  /** Sets one counter to `values`. */
  async replace(dimension: string, key: string, values: CounterValues): Promise<void> {
    await this.db.deleteFrom('counters').where('dimension', '=', dimension).where('key', '=', key).execute();
    await this.db.insertInto('counters').values({ dimension, key, ...values }).execute();
  }
}
