import type { Kysely } from 'kysely';
import { bigintType } from './helpers';

/**
 * Failed sign-ins are counted per account and client instead of per account, so a stranger who
 * knows a user name can slow down only their own guesses, never keep the owner out.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sign_in_throttles')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('client_key', 'text', (c) => c.notNull())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('locked_until', bigintType())
    .addColumn('updated_at', bigintType(), (c) => c.notNull())
    .addPrimaryKeyConstraint('sign_in_throttles_pk', ['user_id', 'client_key'])
    .execute();
  await db.schema.createIndex('sign_in_throttles_updated').on('sign_in_throttles').column('updated_at').execute();
}

/** Drops what `up` made. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('sign_in_throttles').execute();
}
