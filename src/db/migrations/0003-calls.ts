import type { Kysely } from 'kysely';
import { bigintType, bytesType } from './helpers';

/** Calls, the statements registered in them, follow-up contacts and talking-point scripts. */
export async function up(db: Kysely<unknown>): Promise<void> {
  const bytes = bytesType(db);
  const ms = bigintType();
  await db.schema
    .createTable('calls')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.notNull().unique())
    .addColumn('owner_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('direction', 'text', (c) => c.notNull())
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('phone_enc', bytes)
    .addColumn('phone_blind', bytes)
    .addColumn('region_code', 'text')
    .addColumn('org_type', 'text')
    .addColumn('occupation', 'text')
    .addColumn('listeners', 'integer')
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('notes_enc', bytes)
    .addColumn('handed_out', 'text', (c) => c.notNull())
    .addColumn('script_id', 'text')
    .addColumn('people_registered', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('started_at', ms, (c) => c.notNull())
    .addColumn('answered_at', ms)
    .addColumn('ended_at', ms)
    .addColumn('shredded_at', ms)
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('calls_owner_started').on('calls').columns(['owner_id', 'started_at']).execute();
  await db.schema.createIndex('calls_started').on('calls').column('started_at').execute();
  await db.schema.createIndex('calls_phone_blind').on('calls').column('phone_blind').execute();

  await db.schema
    .createTable('call_registrations')
    .addColumn('call_id', 'text', (c) => c.notNull().references('calls.id'))
    .addColumn('client_id', 'text', (c) => c.notNull().unique())
    .addColumn('statement_id', 'text', (c) => c.notNull())
    .addColumn('people', 'integer', (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('call_registrations_call').on('call_registrations').column('call_id').execute();

  await db.schema
    .createTable('call_followups')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('call_id', 'text', (c) => c.notNull().references('calls.id'))
    .addColumn('client_id', 'text', (c) => c.notNull().unique())
    .addColumn('owner_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('details_enc', bytes)
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('shredded_at', ms)
    .execute();
  await db.schema.createIndex('call_followups_call').on('call_followups').column('call_id').execute();

  await db.schema
    .createTable('call_scripts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('title_zh', 'text', (c) => c.notNull())
    .addColumn('title_en', 'text', (c) => c.notNull())
    .addColumn('body_zh', 'text', (c) => c.notNull())
    .addColumn('body_en', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', ms, (c) => c.notNull())
    .addUniqueConstraint('call_scripts_key_version', ['key', 'version'])
    .execute();
}

/** Drops what `up` made. */
export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['call_scripts', 'call_followups', 'call_registrations', 'calls'])
    await db.schema.dropTable(table).ifExists().execute();
}
