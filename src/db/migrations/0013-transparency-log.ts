import type { Kysely } from 'kysely';
import { bigintType, bytesType, sql } from './helpers';

/**
 * The transparency log (docs/transparency-log.md): its entries, numbered in the transaction that
 * publishes or withdraws a statement; the hash tiles the sequencer builds from them; the head (the
 * latest signed checkpoint, its totals and witnesses' cosignatures); and the witnesses it asks.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const bytes = bytesType(db);
  const big = bigintType();
  await db.schema
    .createTable('log_entries')
    .addColumn('idx', big, (c) => c.primaryKey())
    .addColumn('sequence', big, (c) => c.notNull())
    .addColumn('withdrawal', 'integer', (c) => c.notNull())
    .addColumn('entry', bytes, (c) => c.notNull())
    // The commitment's salt (not secret on its own: the commitment covers the keyed blind index of
    // the real name, never the name); erasing the statement sets it to null.
    .addColumn('salt', bytes)
    .addColumn('created_at', big, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('log_entries_sequence').on('log_entries').columns(['sequence', 'idx']).execute();

  await db.schema
    .createTable('log_tiles')
    .addColumn('level', 'integer', (c) => c.notNull())
    .addColumn('idx', big, (c) => c.notNull())
    .addColumn('width', 'integer', (c) => c.notNull())
    .addColumn('hashes', bytes, (c) => c.notNull())
    .addPrimaryKeyConstraint('log_tiles_pk', ['level', 'idx', 'width'])
    .execute();

  await db.schema
    .createTable('log_head')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('size', big, (c) => c.notNull())
    .addColumn('root', bytes, (c) => c.notNull())
    .addColumn('checkpoint', 'text', (c) => c.notNull())
    .addColumn('cosignatures', 'text', (c) => c.notNull())
    .addColumn('totals', 'text', (c) => c.notNull())
    .addColumn('signed_at', big, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('log_witnesses')
    .addColumn('url', 'text', (c) => c.primaryKey())
    .addColumn('verifier_key', 'text', (c) => c.notNull())
    .addColumn('added_at', big, (c) => c.notNull())
    .addColumn('cosigned_size', big)
    .addColumn('last_error', 'text')
    .addColumn('last_attempt_at', big)
    .execute();

  // Statements published before the log existed are appended to it once, in public-number order,
  // before anything else is sequenced (see `logExistingStatements`).
  await sql`insert into meta (key, value) select 'log.backfill', 'pending' where exists (select 1 from statements where status = 'published')`.execute(db);
}

/** Drops what `up` made. */
export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['log_witnesses', 'log_head', 'log_tiles', 'log_entries']) await db.schema.dropTable(table).execute();
}
