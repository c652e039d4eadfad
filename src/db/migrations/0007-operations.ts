import type { Kysely } from 'kysely';
import { MINUTES_PER_WEEK, zoneOffsetMinutes } from '../../shared/shift-coverage';

interface SlotRow {
  id: string;
  start_minute_utc: number;
  time_zone: string;
}

/**
 * Operations, second round: the line each staged import row came from (the full report of refused
 * rows is kept after an import), an index for "claim the next numbers across campaigns", and shift
 * slots kept in their volunteer's own time zone so a slot stays at the same local time across
 * daylight-saving changes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('call_list_import_rows').addColumn('line_no', 'integer').execute();
  await db.schema.createIndex('call_tasks_next').on('call_tasks').columns(['status', 'priority', 'next_attempt_at']).execute();

  await db.schema.alterTable('shift_slots').addColumn('start_minute_local', 'integer').execute();
  // Existing slots were stored with the zone's offset of the day they were made; today's offset is
  // the best guess of the local time the volunteer meant.
  const typed = db as unknown as Kysely<{ shift_slots: SlotRow & { start_minute_local: number | null } }>;
  const now = Date.now();
  for (const slot of await typed.selectFrom('shift_slots').select(['id', 'start_minute_utc', 'time_zone']).execute()) {
    let offset = 0;
    try {
      offset = zoneOffsetMinutes(slot.time_zone, now);
    } catch {
      // An unknown zone (stored before zones were checked) stays in UTC.
    }
    const local = (((slot.start_minute_utc + offset) % MINUTES_PER_WEEK) + MINUTES_PER_WEEK) % MINUTES_PER_WEEK;
    await typed.updateTable('shift_slots').set({ start_minute_local: local }).where('id', '=', slot.id).execute();
  }
}

/** Drops what `up` added. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('shift_slots').dropColumn('start_minute_local').execute();
  await db.schema.dropIndex('call_tasks_next').execute();
  await db.schema.alterTable('call_list_import_rows').dropColumn('line_no').execute();
}
