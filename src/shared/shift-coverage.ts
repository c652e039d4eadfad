/**
 * Browser-safe shift arithmetic. A weekly slot is kept in its volunteer's own time zone (Monday
 * 20:00 in Toronto); each week's occurrence is computed with that zone's rules, so the slot stays at
 * 20:00 in Toronto across daylight-saving changes and moves by an hour in UTC and China time.
 */

export const MINUTES_PER_WEEK = 7 * 24 * 60;
export const HOURS_PER_WEEK = 168;
/** Monday 2026-01-05 00:00 UTC: any Monday works as the origin of "minute of the week". */
const MONDAY_UTC = Date.UTC(2026, 0, 5);
/** China Standard Time, UTC+8 all year. */
export const CHINA_TIME_ZONE = 'Asia/Shanghai';

/** A weekly slot at a fixed UTC minute of the week (the old model, and minimums' hours). */
export interface WeeklySlot {
  userId: string;
  startMinuteUtc: number;
  durationMinutes: number;
}

/** A weekly slot in its volunteer's zone: `startMinuteLocal` is the minute of the local week (Monday 00:00 = 0). */
export interface LocalWeeklySlot {
  userId: string;
  startMinuteLocal: number;
  durationMinutes: number;
  timeZone: string;
}

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;

/** Formatters per zone: making one costs far more than using it, and a calendar asks thousands of times. */
const formatters = new Map<string, Intl.DateTimeFormat>();

/** Minutes `timeZone` is ahead of UTC at `instant` (negative west of Greenwich). */
export function zoneOffsetMinutes(timeZone: string, instant: number): number {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
    formatters.set(timeZone, formatter);
  }
  const parts = formatter.formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? 0);
  const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'));
  return Math.round((local - Math.floor(instant / 60_000) * 60_000) / 60_000);
}

/** Whether `timeZone` is an IANA zone this runtime knows. */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** The UTC minute of the week (0..10079) of a weekly time in a zone, with the zone's offset at `at`. */
export function localWeeklyTimeToUtcMinute(weekday: number, startMinute: number, timeZone: string, at: number): number {
  const local = weekday * 1440 + startMinute;
  return (((local - zoneOffsetMinutes(timeZone, at)) % MINUTES_PER_WEEK) + MINUTES_PER_WEEK) % MINUTES_PER_WEEK;
}

/**
 * The instant at which the clocks in `timeZone` show the wall-clock time `wallMs` (that time's
 * fields read as UTC, e.g. Date.UTC(2026, 2, 9, 20)). Two passes find the zone's offset at that
 * instant; a time skipped by a spring-forward change lands an hour off, a repeated one on its first
 * occurrence.
 */
export function wallTimeToInstant(wallMs: number, timeZone: string): number {
  const guess = wallMs - zoneOffsetMinutes(timeZone, wallMs) * 60_000;
  return wallMs - zoneOffsetMinutes(timeZone, guess) * 60_000;
}

/** Midnight starting the Monday of the week containing `instant` in `timeZone`, as wall-clock ms. */
export function localMondayWall(instant: number, timeZone: string): number {
  const wall = instant + zoneOffsetMinutes(timeZone, instant) * 60_000;
  const midnight = wall - (((wall % DAY_MS) + DAY_MS) % DAY_MS);
  const weekday = (new Date(midnight).getUTCDay() + 6) % 7;
  return midnight - weekday * DAY_MS;
}

/** The occurrences [start, end) of a local weekly slot that overlap [from, to). */
export function slotOccurrences(slot: LocalWeeklySlot, from: number, to: number): { start: number; end: number }[] {
  const occurrences: { start: number; end: number }[] = [];
  // Slots last at most a day: the local weeks around `from` up to `to` cover every overlap.
  for (let monday = localMondayWall(from, slot.timeZone) - WEEK_MS; monday < localMondayWall(to, slot.timeZone) + WEEK_MS; monday += WEEK_MS) {
    const start = wallTimeToInstant(monday + slot.startMinuteLocal * 60_000, slot.timeZone);
    const end = start + slot.durationMinutes * 60_000;
    if (start < to && end > from) occurrences.push({ start, end });
  }
  return occurrences;
}

/** How many distinct volunteers' occurrences cover the whole hour [instant, instant + 1 h). */
function volunteersAt(occurrences: readonly { userId: string; start: number; end: number }[], instant: number): number {
  const people = new Set<string>();
  for (const occurrence of occurrences) if (occurrence.start <= instant && occurrence.end >= instant + 3_600_000) people.add(occurrence.userId);
  return people.size;
}

/** The instant the UTC week containing `instant` begins (Monday 00:00 UTC). */
export function utcWeekStart(instant: number): number {
  return Math.floor(instant / 60_000) * 60_000 - utcMinuteOfWeek(instant) * 60_000;
}

/**
 * Volunteers per UTC hour of the week for the concrete UTC week containing `now` (index 0 = Monday
 * 00:00 UTC): each slot's occurrences that week, by its zone's rules.
 */
export function coverageForWeek(slots: readonly LocalWeeklySlot[], now: number): number[] {
  const weekStart = utcWeekStart(now);
  const people: Set<string>[] = Array.from({ length: HOURS_PER_WEEK }, () => new Set<string>());
  for (const slot of slots) {
    for (const { start, end } of slotOccurrences(slot, weekStart, weekStart + WEEK_MS)) {
      for (let hour = Math.max(0, Math.ceil((start - weekStart) / 3_600_000)); hour < HOURS_PER_WEEK; hour += 1) {
        if (weekStart + (hour + 1) * 3_600_000 > end) break;
        people[hour]!.add(slot.userId);
      }
    }
  }
  return people.map((set) => set.size);
}

/** UTC minute of the week of an instant. */
export function utcMinuteOfWeek(instant: number): number {
  return ((Math.floor((instant - MONDAY_UTC) / 60_000) % MINUTES_PER_WEEK) + MINUTES_PER_WEEK) % MINUTES_PER_WEEK;
}

/** How many distinct volunteers cover each whole UTC hour of the week (index 0 = Monday 00:00 UTC). */
export function coverageByUtcHour(slots: readonly WeeklySlot[]): number[] {
  const people: Set<string>[] = Array.from({ length: HOURS_PER_WEEK }, () => new Set<string>());
  for (const slot of slots) {
    for (let hour = 0; hour < HOURS_PER_WEEK; hour += 1) {
      // does [slot.start, slot.start + duration) (wrapping the week) contain [hour*60, hour*60+60)?
      const offset = (((hour * 60 - slot.startMinuteUtc) % MINUTES_PER_WEEK) + MINUTES_PER_WEEK) % MINUTES_PER_WEEK;
      if (offset + 60 <= slot.durationMinutes) people[hour]!.add(slot.userId);
    }
  }
  return people.map((set) => set.size);
}

/** One hour cell of the calendar as a viewer in some zone sees it. */
export interface CoverageCell {
  /** 0 = Monday ... 6 = Sunday, in the viewer's zone. */
  weekday: number;
  hour: number;
  utcHourOfWeek: number;
  volunteers: number;
  minimum: number;
  isGap: boolean;
}

/**
 * The 7x24 grid in `timeZone` for the week containing `now`: each local hour mapped to the instant
 * and UTC hour it falls in (at that week's offsets, so daylight saving is right for the week shown).
 * With `slots`, each cell counts the slots' actual occurrences at that instant (exact in any zone,
 * across a daylight-saving change); otherwise `counts` by UTC hour of the week.
 */
export function coverageGrid(options: {
  timeZone: string;
  now: number;
  minimums: readonly number[];
  counts?: readonly number[];
  slots?: readonly LocalWeeklySlot[];
}): CoverageCell[][] {
  const localMonday = localMondayWall(options.now, options.timeZone);
  const spanStart = wallTimeToInstant(localMonday, options.timeZone);
  const occurrences = (options.slots ?? []).flatMap((slot) =>
    slotOccurrences(slot, spanStart - DAY_MS, spanStart + 8 * DAY_MS).map((occurrence) => ({ ...occurrence, userId: slot.userId })),
  );
  const grid: CoverageCell[][] = [];
  for (let weekday = 0; weekday < 7; weekday += 1) {
    const row: CoverageCell[] = [];
    for (let hour = 0; hour < 24; hour += 1) {
      const instant = wallTimeToInstant(localMonday + (weekday * 24 + hour) * 3_600_000, options.timeZone);
      const utcHourOfWeek = Math.floor(utcMinuteOfWeek(instant) / 60);
      const volunteers = options.slots ? volunteersAt(occurrences, instant) : (options.counts?.[utcHourOfWeek] ?? 0);
      const minimum = options.minimums[utcHourOfWeek] ?? 1;
      row.push({ weekday, hour, utcHourOfWeek, volunteers, minimum, isGap: volunteers < minimum });
    }
    grid.push(row);
  }
  return grid;
}

/** One slot as the calendar lists it: in its own zone, and where this week's occurrence falls in UTC. */
export interface ShiftSlotView {
  id: string;
  userId: string;
  displayName: string;
  /** 0 = Monday ... 6 = Sunday, and minutes after midnight, in `timeZone`. */
  weekday: number;
  startMinute: number;
  durationMinutes: number;
  timeZone: string;
  /** UTC minute of the week of this week's occurrence (it moves when the zone changes its clocks). */
  startMinuteUtc: number;
  assignedBy: string | null;
}
