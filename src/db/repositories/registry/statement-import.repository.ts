import { type Insertable, sql } from 'kysely';
import type { StatementsTable } from '../../schema';
import type { Executor } from '../../store';
import type { CounterEntry } from './counter.repository';

/** Rows per INSERT statement: under SQLite's and PostgreSQL's bound-parameter limits for every column. */
const ROWS_PER_STATEMENT = 400;

/**
 * Bulk writes for `hotline import statements`: many statements and counter deltas per query, so
 * a batch of thousands costs a handful of round trips instead of thousands.
 */
export class StatementImportRepository {
  constructor(private readonly db: Executor) {}

  /**
   * Inserts statements, skipping those whose client id is already stored. Returns the client ids
   * that were inserted (the others were imported before).
   */
  async insertMany(rows: Insertable<StatementsTable>[]): Promise<Set<string>> {
    const inserted = new Set<string>();
    for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
      const chunk = rows.slice(start, start + ROWS_PER_STATEMENT);
      const result = await this.db
        .insertInto('statements')
        .values(chunk)
        .onConflict((oc) => oc.column('client_id').doNothing())
        .returning('client_id')
        .execute();
      for (const row of result) if (row.client_id !== null) inserted.add(row.client_id);
    }
    return inserted;
  }

  /** Which of these client ids are already stored. */
  async existingClientIds(clientIds: string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (let start = 0; start < clientIds.length; start += 5_000) {
      const chunk = clientIds.slice(start, start + 5_000);
      if (chunk.length === 0) continue;
      const rows = await this.db.selectFrom('statements').select('client_id').where('client_id', 'in', chunk).execute();
      for (const row of rows) if (row.client_id !== null) found.add(row.client_id);
    }
    return found;
  }

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
