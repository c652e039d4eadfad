import type { Kysely } from 'kysely';
import { bigintType, bytesType } from './helpers';

/** Call lists and their staged imports, do-not-call, campaigns and call tasks, shifts, presence. */
export async function up(db: Kysely<unknown>): Promise<void> {
  const bytes = bytesType(db);
  const ms = bigintType();

  await db.schema
    .createTable('call_lists')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('entry_count', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('call_list_entries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('list_id', 'text', (c) => c.notNull().references('call_lists.id'))
    .addColumn('phone_enc', bytes, (c) => c.notNull())
    .addColumn('phone_bidx', bytes, (c) => c.notNull())
    .addColumn('organization_enc', bytes, (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('region_code', 'text')
    .addColumn('created_at', ms, (c) => c.notNull())
    .execute();
  // A number is stored once across all lists: duplicates are refused at import, found by this index.
  await db.schema.createIndex('call_list_entries_phone').on('call_list_entries').column('phone_bidx').unique().execute();
  await db.schema.createIndex('call_list_entries_list').on('call_list_entries').column('list_id').execute();

  await db.schema
    .createTable('call_list_imports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', ms, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('call_list_import_rows')
    .addColumn('import_id', 'text', (c) => c.notNull())
    .addColumn('row_no', 'integer', (c) => c.notNull())
    .addColumn('problem', 'text')
    .addColumn('problem_ref', 'text')
    .addColumn('phone_enc', bytes)
    .addColumn('phone_bidx', bytes)
    .addColumn('organization_enc', bytes)
    .addColumn('category', 'text')
    .addColumn('region_code', 'text')
    .addPrimaryKeyConstraint('call_list_import_rows_pk', ['import_id', 'row_no'])
    .execute();
  await db.schema.createIndex('call_list_import_rows_phone').on('call_list_import_rows').columns(['import_id', 'phone_bidx']).execute();

  await db.schema
    .createTable('do_not_call')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('phone_bidx', bytes, (c) => c.notNull().unique())
    .addColumn('phone_enc', bytes, (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('added_by', 'text')
    .addColumn('added_at', ms, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('campaigns')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('script_id', 'text')
    .addColumn('window_start_minute', 'integer', (c) => c.notNull())
    .addColumn('window_end_minute', 'integer', (c) => c.notNull())
    .addColumn('max_attempts', 'integer', (c) => c.notNull())
    .addColumn('retry_spacing_minutes', 'integer', (c) => c.notNull())
    .addColumn('priority', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', ms, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('campaign_lists')
    .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaigns.id'))
    .addColumn('list_id', 'text', (c) => c.notNull().references('call_lists.id'))
    .addPrimaryKeyConstraint('campaign_lists_pk', ['campaign_id', 'list_id'])
    .execute();

  await db.schema
    .createTable('call_tasks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('campaign_id', 'text', (c) => c.references('campaigns.id'))
    .addColumn('entry_id', 'text')
    .addColumn('phone_enc', bytes)
    .addColumn('phone_bidx', bytes, (c) => c.notNull())
    .addColumn('priority', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('max_attempts', 'integer', (c) => c.notNull())
    .addColumn('retry_spacing_minutes', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', ms, (c) => c.notNull())
    .addColumn('claimed_by', 'text')
    .addColumn('claim_token', 'text')
    .addColumn('claim_expires_at', ms)
    .addColumn('last_outcome', 'text')
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('call_tasks_queue').on('call_tasks').columns(['campaign_id', 'status', 'priority', 'next_attempt_at']).execute();
  await db.schema.createIndex('call_tasks_claim').on('call_tasks').columns(['claim_token']).execute();
  await db.schema.createIndex('call_tasks_phone').on('call_tasks').columns(['phone_bidx']).execute();

  await db.schema
    .createTable('call_task_attempts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('task_id', 'text', (c) => c.notNull().references('call_tasks.id'))
    .addColumn('campaign_id', 'text')
    .addColumn('volunteer_id', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('call_id', 'text')
    .addColumn('day_china', 'text', (c) => c.notNull())
    .addColumn('at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('call_task_attempts_campaign').on('call_task_attempts').columns(['campaign_id', 'day_china']).execute();

  await db.schema
    .createTable('shift_slots')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('start_minute_utc', 'integer', (c) => c.notNull())
    .addColumn('duration_minutes', 'integer', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('assigned_by', 'text')
    .addColumn('created_at', ms, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('shift_minimums')
    .addColumn('hour_of_week_utc', 'integer', (c) => c.primaryKey())
    .addColumn('minimum', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('presence')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id'))
    .addColumn('presence', 'text', (c) => c.notNull())
    .addColumn('since', ms, (c) => c.notNull())
    .addColumn('until', ms)
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('languages', 'text', (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .execute();
}

/** Drops what `up` made. */
export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'presence',
    'shift_minimums',
    'shift_slots',
    'call_task_attempts',
    'call_tasks',
    'campaign_lists',
    'campaigns',
    'do_not_call',
    'call_list_import_rows',
    'call_list_imports',
    'call_list_entries',
    'call_lists',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
