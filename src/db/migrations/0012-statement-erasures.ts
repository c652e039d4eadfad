import type { Kysely } from 'kysely';
import { bigintType } from './helpers';

/**
 * Statements erased at the person's request: when, by whom, and whether the statement still counts.
 * The erased fields themselves are gone from the statement row; this is what remains to show.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('statement_erasures')
    .addColumn('statement_id', 'text', (c) => c.primaryKey().references('statements.id'))
    .addColumn('erased_at', bigintType(), (c) => c.notNull())
    .addColumn('erased_by', 'text')
    .addColumn('counted', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('statement_erasures_at').on('statement_erasures').column('erased_at').execute();
}

/** Drops what `up` made. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('statement_erasures').execute();
}
