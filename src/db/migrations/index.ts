import type { Migration } from 'kysely';
import * as foundation from './0001-foundation';

/**
 * Every migration, in order. One set for SQLite and PostgreSQL. Imported statically (not read from
 * a folder) so that the CLI, the server and tests run the same list however they are started.
 */
export const migrations: Record<string, Migration> = {
  '0001-foundation': foundation,
};
