import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { AppError } from '../../shared/app-error';
import type { ShiftMinimumInput, ShiftSlotInput } from '../../shared/schemas/operations';
import {
  HOURS_PER_WEEK,
  type LocalWeeklySlot,
  MINUTES_PER_WEEK,
  type ShiftSlotView,
  coverageForWeek,
  isKnownTimeZone,
  localWeeklyTimeToUtcMinute,
  slotOccurrences,
  utcMinuteOfWeek,
  utcWeekStart,
  zoneOffsetMinutes,
} from '../../shared/shift-coverage';
import { appendAudit } from '../audit/append-audit';
import { type Actor, authorize } from '../auth/policy';
import { type Deps, inTransaction } from '../deps';

/** Hours without a minimum set want this many volunteers. */
export const DEFAULT_MINIMUM = 1;

/**
 * Signs a volunteer up for a weekly slot given in their own time zone (an IANA zone such as
 * America/Toronto), stored as the minute of the week in that zone: the slot stays at the same local
 * time across daylight-saving changes, and each week's occurrence in UTC is computed from the
 * zone's rules. Coordinators may assign a slot to someone else, in that person's zone.
 */
export async function signUpForShift(deps: Deps, options: { actor: Actor; input: z.infer<typeof ShiftSlotInput> }): Promise<{ id: string; startMinuteUtc: number }> {
  const now = deps.clock();
  const userId = options.input.userId ?? options.actor.id;
  authorize(options.actor, userId === options.actor.id ? 'shift.signup' : 'shift.assign', undefined, now);
  if (!isKnownTimeZone(options.input.timeZone)) throw new AppError('VALIDATION_FAILED', 'Unknown time zone', { details: { field: 'timeZone' } });
  const startMinuteUtc = localWeeklyTimeToUtcMinute(options.input.weekday, options.input.startMinute, options.input.timeZone, now);
  const id = randomUUID();
  await deps.store.transaction(async (tx) => {
    if (!(await tx.users.findById(userId))) throw new AppError('NOT_FOUND', 'No such staff member');
    await tx.operations.shifts.insertSlot({
      id,
      user_id: userId,
      start_minute_utc: startMinuteUtc,
      start_minute_local: options.input.weekday * 1440 + options.input.startMinute,
      duration_minutes: options.input.durationMinutes,
      time_zone: options.input.timeZone,
      assigned_by: userId === options.actor.id ? null : options.actor.id,
      created_at: now,
    });
    await appendAudit(inTransaction(deps, tx), { actorId: options.actor.id, action: 'shift.signup', entityType: 'shift_slot', entityId: id, details: { userId } });
  });
  return { id, startMinuteUtc };
}

/** Removes a slot: one's own, or anyone's for a coordinator. */
export async function removeShift(deps: Deps, options: { actor: Actor; slotId: string }): Promise<void> {
  await deps.store.transaction(async (tx) => {
    const slot = await tx.operations.shifts.findSlot(options.slotId);
    if (!slot) throw new AppError('NOT_FOUND', 'No such shift');
    authorize(options.actor, slot.user_id === options.actor.id ? 'shift.signup' : 'shift.assign', undefined, deps.clock());
    await tx.operations.shifts.deleteSlot(slot.id);
    await appendAudit(inTransaction(deps, tx), { actorId: options.actor.id, action: 'shift.remove', entityType: 'shift_slot', entityId: slot.id });
  });
}

/** Sets the minimum number of volunteers for some UTC hours of the week. */
export async function setShiftMinimums(deps: Deps, options: { actor: Actor; input: z.infer<typeof ShiftMinimumInput> }): Promise<void> {
  authorize(options.actor, 'shift.set-minimum', undefined, deps.clock());
  await deps.store.transaction(async (tx) => {
    await tx.operations.shifts.setMinimums(options.input.hoursOfWeekUtc, options.input.minimum);
    await appendAudit(inTransaction(deps, tx), {
      actorId: options.actor.id,
      action: 'shift.set-minimum',
      details: { hours: options.input.hoursOfWeekUtc, minimum: options.input.minimum },
    });
  });
}

export type { ShiftSlotView };

/** The week's coverage: slots, volunteers per UTC hour, minimums per UTC hour, and the gaps. */
export interface ShiftCoverage {
  slots: ShiftSlotView[];
  /** Monday 00:00 UTC of the week the counts are for (the week containing now). */
  weekStartUtc: number;
  counts: number[];
  minimums: number[];
  gapHoursUtc: number[];
}

/**
 * Coverage of the 24x7 calendar for the current week (UTC hour 0 = Monday 00:00 UTC = Monday 08:00
 * China time), from each slot's occurrence that week in its own zone.
 */
/** Every volunteer's weekly shift slots, in their own zone (slots stored before zones were kept read at today's offset). */
export async function plannedSlots(deps: Deps): Promise<LocalWeeklySlot[]> {
  const now = deps.clock();
  return (await deps.store.operations.shifts.slots()).map((row) => ({
    userId: row.user_id,
    startMinuteLocal: row.start_minute_local ?? (((row.start_minute_utc + safeOffset(row.time_zone, now)) % MINUTES_PER_WEEK) + MINUTES_PER_WEEK) % MINUTES_PER_WEEK,
    durationMinutes: row.duration_minutes,
    timeZone: row.time_zone,
  }));
}

/** The minimum of volunteers on duty for each UTC hour of the week (index 0 = Monday 00:00 UTC). */
export async function shiftMinimums(deps: Deps): Promise<number[]> {
  const minimums = new Array<number>(HOURS_PER_WEEK).fill(DEFAULT_MINIMUM);
  for (const row of await deps.store.operations.shifts.minimums()) minimums[row.hour_of_week_utc] = row.minimum;
  return minimums;
}

export async function shiftCoverage(deps: Deps, options: { actor: Actor }): Promise<ShiftCoverage> {
  const now = deps.clock();
  authorize(options.actor, 'shift.view', undefined, now);
  const rows = await deps.store.operations.shifts.slots();
  const weekStartUtc = utcWeekStart(now);
  const slots = rows.map((row) => {
    // Slots stored before zones were kept: their UTC minute, read at today's offset.
    const local = row.start_minute_local ?? (((row.start_minute_utc + safeOffset(row.time_zone, now)) % MINUTES_PER_WEEK) + MINUTES_PER_WEEK) % MINUTES_PER_WEEK;
    const slot: LocalWeeklySlot = { userId: row.user_id, startMinuteLocal: local, durationMinutes: row.duration_minutes, timeZone: row.time_zone };
    const [occurrence] = slotOccurrences(slot, weekStartUtc, weekStartUtc + MINUTES_PER_WEEK * 60_000);
    return {
      view: {
        id: row.id,
        userId: row.user_id,
        displayName: row.display_name,
        weekday: Math.floor(local / 1440),
        startMinute: local % 1440,
        durationMinutes: row.duration_minutes,
        timeZone: row.time_zone,
        startMinuteUtc: occurrence ? utcMinuteOfWeek(occurrence.start) : row.start_minute_utc,
        assignedBy: row.assigned_by,
      },
      slot,
    };
  });
  const counts = coverageForWeek(
    slots.map((entry) => entry.slot),
    now,
  );
  const minimums = new Array<number>(HOURS_PER_WEEK).fill(DEFAULT_MINIMUM);
  for (const row of await deps.store.operations.shifts.minimums()) minimums[row.hour_of_week_utc] = row.minimum;
  const gapHoursUtc = counts.flatMap((count, hour) => (count < minimums[hour]! ? [hour] : []));
  return { slots: slots.map((entry) => entry.view), weekStartUtc, counts, minimums, gapHoursUtc };
}

function safeOffset(timeZone: string, at: number): number {
  return isKnownTimeZone(timeZone) ? zoneOffsetMinutes(timeZone, at) : 0;
}
