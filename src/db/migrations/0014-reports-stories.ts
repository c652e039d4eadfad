import type { Kysely } from 'kysely';
import { bigintType, bytesType, sql } from './helpers';

/**
 * Reports and story drafts: a 'day_place' counter (published people per China day, province and
 * channel) so that the coordinators' dashboard reads a few hundred rows for any period instead of
 * summing statements; the quotable part of a call's notes, encrypted like the notes; and the
 * stories coordinators draft from calls, edit, approve and publish.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const bytes = bytesType(db);
  const big = bigintType();
  await sql`insert into counters (dimension, key, people, party, league, pioneers)
    select 'day_place', published_day || '|' || province_code || '|' || channel, sum(people), sum(party), sum(league), sum(pioneers)
    from statements where status = 'published' and published_day is not null
    group by published_day, province_code, channel`.execute(db);

  await db.schema.alterTable('calls').addColumn('quotable_enc', bytes).execute();

  await db.schema
    .createTable('stories')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // 'draft', 'approved', 'published' or 'withdrawn'.
    .addColumn('status', 'text', (c) => c.notNull())
    // JSON array of the call ids the draft was written from.
    .addColumn('call_ids', 'text', (c) => c.notNull())
    // JSON { titles, bodies } per language, encrypted: a draft may hold what must not be published.
    .addColumn('content_enc', bytes, (c) => c.notNull())
    // JSON list of the personal details the coordinator chose to keep (acknowledged at publishing).
    .addColumn('kept_details', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('created_by', 'text')
    .addColumn('approved_by', 'text')
    .addColumn('published_by', 'text')
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('updated_at', big, (c) => c.notNull())
    .addColumn('published_at', big)
    .execute();
  await db.schema.createIndex('stories_published').on('stories').columns(['status', 'published_at']).execute();
}

/** Drops what `up` made. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('stories').execute();
  await db.schema.alterTable('calls').dropColumn('quotable_enc').execute();
  await sql`delete from counters where dimension = 'day_place'`.execute(db);
}
