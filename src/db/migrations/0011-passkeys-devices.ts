import type { Kysely } from 'kysely';
import { bigintType, bytesType } from './helpers';

/**
 * Passkeys (WebAuthn credentials) as a second factor that cannot be phished, the challenge a
 * session is answering, and the devices each account has signed in from (so a sign-in from a new
 * one is audited and shown to the account's owner).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('passkeys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('public_key', bytesType(db), (c) => c.notNull())
    .addColumn('counter', bigintType(), (c) => c.notNull())
    .addColumn('transports', 'text', (c) => c.notNull())
    .addColumn('backed_up', 'integer', (c) => c.notNull())
    .addColumn('created_at', bigintType(), (c) => c.notNull())
    .addColumn('last_used_at', bigintType())
    .execute();
  await db.schema.createIndex('passkeys_user').on('passkeys').column('user_id').execute();
  await db.schema.alterTable('sessions').addColumn('challenge', 'text').execute();
  await db.schema
    .createTable('user_devices')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('device_hash', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('first_seen_at', bigintType(), (c) => c.notNull())
    .addColumn('last_seen_at', bigintType(), (c) => c.notNull())
    .addColumn('acknowledged_at', bigintType())
    .addPrimaryKeyConstraint('user_devices_pk', ['user_id', 'device_hash'])
    .execute();
}

/** Drops what `up` made. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('user_devices').execute();
  await db.schema.alterTable('sessions').dropColumn('challenge').execute();
  await db.schema.dropTable('passkeys').execute();
}
