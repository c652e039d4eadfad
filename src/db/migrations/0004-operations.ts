import type { Kysely } from 'kysely';

/** Tables of the operations area (filled in by that area's work). */
export async function up(_db: Kysely<unknown>): Promise<void> {
  // nothing yet
}

/** Drops what `up` made. */
export async function down(_db: Kysely<unknown>): Promise<void> {
  // nothing yet
}
