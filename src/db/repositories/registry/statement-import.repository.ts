import { sql } from 'kysely';
import type { Executor } from '../../store';
import type { CounterEntry } from './counter.repository';

/**
 * Bulk counter writes for `hotline import statements`: historical rows of one batch may touch
 * thousands of days, so all of a batch's counter deltas go in a few multi-row upserts.
 */
export class StatementImportRepository {
  constructor(private readonly db: Executor) {}

  /** Adds many counter deltas in one upsert (each (dimension, key) at most once). */
  async addCounters(entries: CounterEntry[]): Promise<void> {
    for (let start = 0; start < entries.length; start += 1_000) {
      const chunk = entries.slice(start, start + 1_000);
      await this.db
        .insertInto('counters')
        .values(chunk)
        .onConflict((oc) =>
          oc.columns(['dimension', 'key']).doUpdateSet({
            people: sql`counters.people + excluded.people`,
            party: sql`counters.party + excluded.party`,
            league: sql`counters.league + excluded.league`,
            pioneers: sql`counters.pioneers + excluded.pioneers`,
          }),
        )
        .execute();
    }
  }
}
