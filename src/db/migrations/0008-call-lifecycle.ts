import type { Kysely } from 'kysely';
import { bigintType } from './helpers';

/**
 * The call record as a lifecycle: a call started in the console is kept on the server from its
 * first moment (`live_calls`), so its start, answer and end come from the server's clock or the
 * telephony events rather than the browser; a saved call names the campaign task it was an attempt
 * on and where its times came from.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('live_calls')
    .addColumn('client_id', 'text', (c) => c.primaryKey())
    .addColumn('owner_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('direction', 'text', (c) => c.notNull())
    .addColumn('queue_call_id', 'text')
    .addColumn('telephony_call_id', 'text')
    .addColumn('task_id', 'text')
    .addColumn('region_code', 'text')
    .addColumn('started_at', bigintType(), (c) => c.notNull())
    .addColumn('answered_at', bigintType())
    .addColumn('ended_at', bigintType())
    .execute();
  await db.schema.createIndex('live_calls_owner').on('live_calls').column('owner_id').execute();
  await db.schema.alterTable('calls').addColumn('task_id', 'text').execute();
  await db.schema.alterTable('calls').addColumn('campaign_id', 'text').execute();
  await db.schema.alterTable('calls').addColumn('times_source', 'text').execute();
  await db.schema.createIndex('calls_campaign_started').on('calls').columns(['campaign_id', 'started_at']).execute();
}

/** Drops what `up` made. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('calls_campaign_started').execute();
  for (const column of ['times_source', 'campaign_id', 'task_id']) await db.schema.alterTable('calls').dropColumn(column).execute();
  await db.schema.dropTable('live_calls').execute();
}
