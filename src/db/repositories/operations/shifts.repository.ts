import type { Insertable, Selectable } from 'kysely';
import type { PresenceTable, ShiftSlotsTable } from '../../schema';
import type { Executor } from '../../store';

/** A stored shift slot. */
export type ShiftSlotRow = Selectable<ShiftSlotsTable>;
/** A stored presence row. */
export type PresenceRow = Selectable<PresenceTable>;

/** Shift slots, minimums and persisted presence. */
export class ShiftsRepository {
  constructor(private readonly db: Executor) {}

  /** Stores a slot. */
  async insertSlot(row: Insertable<ShiftSlotsTable>): Promise<void> {
    await this.db.insertInto('shift_slots').values(row).execute();
  }

  /** Every slot with the volunteer's display name. */
  slots(): Promise<(ShiftSlotRow & { display_name: string })[]> {
    return this.db
      .selectFrom('shift_slots')
      .innerJoin('users', 'users.id', 'shift_slots.user_id')
      .selectAll('shift_slots')
      .select('users.display_name')
      .orderBy('start_minute_utc')
      .execute();
  }

  /** One slot. */
  findSlot(id: string): Promise<ShiftSlotRow | undefined> {
    return this.db.selectFrom('shift_slots').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Deletes a slot. */
  async deleteSlot(id: string): Promise<void> {
    await this.db.deleteFrom('shift_slots').where('id', '=', id).execute();
  }

  /** Minimums set per UTC hour of the week. */
  minimums(): Promise<{ hour_of_week_utc: number; minimum: number }[]> {
    return this.db.selectFrom('shift_minimums').selectAll().orderBy('hour_of_week_utc').execute();
  }

  /** Sets the minimum for some hours. */
  async setMinimums(hours: number[], minimum: number): Promise<void> {
    for (const hour of hours) {
      await this.db
        .insertInto('shift_minimums')
        .values({ hour_of_week_utc: hour, minimum })
        .onConflict((oc) => oc.column('hour_of_week_utc').doUpdateSet({ minimum }))
        .execute();
    }
  }

  /** Writes a volunteer's presence (insert or replace). */
  async savePresence(row: PresenceRow): Promise<void> {
    const { user_id: _id, ...changes } = row;
    await this.db
      .insertInto('presence')
      .values(row)
      .onConflict((oc) => oc.column('user_id').doUpdateSet(changes))
      .execute();
  }

  /**
   * Remembers the languages a staff member takes calls in (the presence row keeps them while off
   * duty too); a new row starts offline.
   */
  async saveLanguages(userId: string, role: string, languages: string, now: number): Promise<void> {
    await this.db
      .insertInto('presence')
      .values({ user_id: userId, presence: 'offline', since: now, until: null, role, languages, updated_at: now })
      .onConflict((oc) => oc.column('user_id').doUpdateSet({ languages, updated_at: now }))
      .execute();
  }

  /** Everyone not offline, with display names. */
  onDuty(): Promise<(PresenceRow & { display_name: string })[]> {
    return this.db
      .selectFrom('presence')
      .innerJoin('users', 'users.id', 'presence.user_id')
      .selectAll('presence')
      .select('users.display_name')
      .where('presence.presence', '<>', 'offline')
      .orderBy('users.display_name')
      .execute();
  }

  /** One volunteer's presence. */
  findPresence(userId: string): Promise<PresenceRow | undefined> {
    return this.db.selectFrom('presence').selectAll().where('user_id', '=', userId).executeTakeFirst();
  }
}
