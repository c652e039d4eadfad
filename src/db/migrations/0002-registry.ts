import type { Kysely } from 'kysely';
import { bigintType, bytesType } from './helpers';

/** Statements, counter rollups and receipt-code hashes. */
export async function up(db: Kysely<unknown>): Promise<void> {
  const bytes = bytesType(db);
  const ms = bigintType();

  await db.schema
    .createTable('statements')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.unique())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('name_kind', 'text', (c) => c.notNull())
    .addColumn('public_name', 'text', (c) => c.notNull())
    .addColumn('real_name_enc', bytes)
    .addColumn('real_name_index', 'text')
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('province_code', 'text', (c) => c.notNull())
    .addColumn('occupation', 'text')
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('cohorts', 'text', (c) => c.notNull())
    .addColumn('people', 'integer', (c) => c.notNull())
    .addColumn('party', 'integer', (c) => c.notNull())
    .addColumn('league', 'integer', (c) => c.notNull())
    .addColumn('pioneers', 'integer', (c) => c.notNull())
    .addColumn('provenance', 'text', (c) => c.notNull())
    .addColumn('registered_by', 'text')
    .addColumn('call_id', 'text')
    .addColumn('consent', 'text')
    .addColumn('relation', 'text')
    .addColumn('hold_reason', 'text')
    .addColumn('rejection_reason', 'text')
    .addColumn('duplicate_of', 'text')
    .addColumn('sequence', ms, (c) => c.unique())
    .addColumn('published_at', ms)
    .addColumn('published_day', 'text')
    .addColumn('moderated_by', 'text')
    .addColumn('moderated_at', ms)
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .execute();
  // The moderation queue reads by status, oldest first; duplicates by blind index; feeds by day.
  await db.schema.createIndex('statements_status_created').on('statements').columns(['status', 'created_at']).execute();
  await db.schema.createIndex('statements_real_name_index').on('statements').column('real_name_index').execute();
  await db.schema.createIndex('statements_published_day').on('statements').columns(['published_day', 'sequence']).execute();

  await db.schema
    .createTable('counters')
    .addColumn('dimension', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('people', ms, (c) => c.notNull().defaultTo(0))
    .addColumn('party', ms, (c) => c.notNull().defaultTo(0))
    .addColumn('league', ms, (c) => c.notNull().defaultTo(0))
    .addColumn('pioneers', ms, (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('counters_pk', ['dimension', 'key'])
    .execute();

  await db.schema
    .createTable('receipts')
    .addColumn('code_hash', 'text', (c) => c.primaryKey())
    .addColumn('statement_id', 'text', (c) => c.notNull().references('statements.id'))
    .addColumn('created_at', ms, (c) => c.notNull())
    .execute();
}

/** Drops what `up` made. */
export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['receipts', 'counters', 'statements']) await db.schema.dropTable(table).execute();
}
