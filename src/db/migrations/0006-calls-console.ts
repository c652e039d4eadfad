import type { Kysely } from 'kysely';
import { bigintType, bytesType } from './helpers';

/**
 * Receipt codes waiting to be read out (encrypted, kept at most a day, so that a save whose answer
 * was lost can show them again), and the script version a call used.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('call_receipt_codes')
    .addColumn('registration_client_id', 'text', (c) => c.primaryKey())
    .addColumn('call_id', 'text', (c) => c.notNull().references('calls.id'))
    .addColumn('owner_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('code_enc', bytesType(db), (c) => c.notNull())
    .addColumn('expires_at', bigintType(), (c) => c.notNull())
    .execute();
  await db.schema.createIndex('call_receipt_codes_call').on('call_receipt_codes').column('call_id').execute();
  await db.schema.createIndex('call_receipt_codes_expires').on('call_receipt_codes').column('expires_at').execute();
  await db.schema.alterTable('calls').addColumn('script_version', 'integer').execute();
}

/** Drops what `up` made. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('calls').dropColumn('script_version').execute();
  await db.schema.dropTable('call_receipt_codes').execute();
}
