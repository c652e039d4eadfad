import { type ColumnDataType, type Kysely, PostgresAdapter, sql } from 'kysely';

/** Whether a migration runs on PostgreSQL (otherwise SQLite). */
export function isPostgres(db: Kysely<unknown>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** Column type for bytes: BYTEA on PostgreSQL, BLOB on SQLite. */
export function bytesType(db: Kysely<unknown>): ColumnDataType {
  return isPostgres(db) ? 'bytea' : 'blob';
}

/** Column type for millisecond timestamps and large counters. */
export function bigintType(): ColumnDataType {
  return 'bigint';
}

/** A raw SQL fragment helper re-exported so migrations import one module. */
export { sql };
