import type { CreateTableBuilder, Kysely } from 'kysely';
import { bigintType, sql } from './helpers';

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

  // Calls summed per UTC hour of their start, by direction and outcome, and by campaign: the
  // dashboard reads a month in a few thousand rows however many calls there were. Kept by the calls
  // repository in the transaction that inserts or changes a call.
  for (const [table, keys] of [
    ['call_hours', ['direction', 'outcome']],
    ['campaign_hours', ['campaign_id']],
  ] as const) {
    // Columns added in a loop: the builder's type cannot follow them, so it is widened to string names.
    let builder: CreateTableBuilder<string, string> = db.schema.createTable(table).addColumn('hour', big, (c) => c.notNull());
    for (const key of keys) builder = builder.addColumn(key, 'text', (c) => c.notNull());
    for (const sum of ['calls', 'answered', 'talk_ms', 'people', 'registered_calls']) builder = builder.addColumn(sum, big, (c) => c.notNull());
    await builder.addPrimaryKeyConstraint(`${table}_pk`, ['hour', ...keys]).execute();
  }
  const sumsOf = sql.raw(`count(*), sum(case when answered_at is not null then 1 else 0 end),
      sum(case when answered_at is not null and ended_at is not null and ended_at > answered_at then ended_at - answered_at else 0 end),
      sum(people_registered), sum(case when people_registered > 0 then 1 else 0 end)`);
  await sql`insert into call_hours (hour, direction, outcome, calls, answered, talk_ms, people, registered_calls)
    select (started_at / 3600000) * 3600000, direction, outcome, ${sumsOf} from calls group by (started_at / 3600000) * 3600000, direction, outcome`.execute(db);
  await sql`insert into campaign_hours (hour, campaign_id, calls, answered, talk_ms, people, registered_calls)
    select (started_at / 3600000) * 3600000, campaign_id, ${sumsOf} from calls where campaign_id is not null group by (started_at / 3600000) * 3600000, campaign_id`.execute(db);
}

/** Drops what `up` made. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('campaign_hours').execute();
  await db.schema.dropTable('call_hours').execute();
  await db.schema.dropTable('queue_calls').execute();
  await db.schema.dropTable('duty_periods').execute();
}
