import type { Kysely } from 'kysely';
import { bigintType, bytesType } from './helpers';

/** The telephony providers' event log (see `TelephonyCallEventsTable`). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('telephony_call_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('call_id', 'text', (c) => c.notNull())
    .addColumn('direction', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('volunteer_id', 'text')
    .addColumn('reason', 'text')
    .addColumn('hangup_by', 'text')
    .addColumn('campaign_id', 'text')
    .addColumn('party_number_enc', bytesType(db))
    .addColumn('at', bigintType(), (c) => c.notNull())
    .execute();
  await db.schema.createIndex('telephony_call_events_call').on('telephony_call_events').columns(['provider', 'call_id', 'at']).execute();
}

/** Drops what `up` made. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('telephony_call_events').execute();
}
