import type { Kysely } from 'kysely';
import { bigintType } from './helpers';

/**
 * What the dashboard needs to compare the shift plan with the hours volunteers actually spent on
 * duty, and to show the inbound queue's figures for any past day: each on-duty stretch of a
 * volunteer (available or on a break; their calls are in `calls`), and each call that left the
 * inbound queue (answered, abandoned, turned into a callback). Written by the queue's lease holder,
 * only when the presence that a restart restores changes and once per queued call.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const big = bigintType();
  await db.schema
    .createTable('duty_periods')
    .addColumn('user_id', 'text', (c) => c.notNull())
    // 'available' or 'break'.
    .addColumn('presence', 'text', (c) => c.notNull())
    .addColumn('from_at', big, (c) => c.notNull())
    .addColumn('to_at', big)
    .execute();
  await db.schema.createIndex('duty_periods_from').on('duty_periods').columns(['from_at']).execute();
  await db.schema.createIndex('duty_periods_open').on('duty_periods').columns(['user_id', 'to_at']).execute();

  await db.schema
    .createTable('queue_calls')
    .addColumn('call_id', 'text', (c) => c.primaryKey())
    .addColumn('arrived_at', big, (c) => c.notNull())
    // 'answered', 'abandoned' or 'callback'.
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('left_at', big, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('queue_calls_arrived').on('queue_calls').columns(['arrived_at']).execute();
}

/** Drops what `up` made. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('queue_calls').execute();
  await db.schema.dropTable('duty_periods').execute();
}
