import type { Kysely } from 'kysely';
import { bigintType } from './helpers';

/**
 * Corrections of published statements (when and by whom the latest was made: the public page marks
 * a corrected statement; the audit log keeps every correction's before and after), the archive's
 * search by day and channel, and follow-up contacts as a worklist (when to contact, when done).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('statements').addColumn('corrected_at', bigintType()).execute();
  await db.schema.alterTable('statements').addColumn('corrected_by', 'text').execute();
  await db.schema.createIndex('statements_created').on('statements').column('created_at').execute();
  await db.schema.alterTable('call_followups').addColumn('due_at', bigintType()).execute();
  await db.schema.alterTable('call_followups').addColumn('done_at', bigintType()).execute();
  await db.schema.alterTable('call_followups').addColumn('done_by', 'text').execute();
  await db.schema.createIndex('call_followups_open').on('call_followups').columns(['done_at', 'due_at']).execute();
}

/** Drops what `up` made. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('call_followups_open').execute();
  for (const column of ['done_by', 'done_at', 'due_at']) await db.schema.alterTable('call_followups').dropColumn(column).execute();
  await db.schema.dropIndex('statements_created').execute();
  for (const column of ['corrected_by', 'corrected_at']) await db.schema.alterTable('statements').dropColumn(column).execute();
}
