/** Browser-safe shift arithmetic: weekly slots stored as UTC minutes of the week, shown in any zone. */

export const MINUTES_PER_WEEK = 7 * 24 * 60;
export const HOURS_PER_WEEK = 168;
/** Monday 2026-01-05 00:00 UTC: any Monday works as the origin of "minute of the week". */
const MONDAY_UTC = Date.UTC(2026, 0, 5);
/** China Standard Time, UTC+8 all year. */
export const CHINA_TIME_ZONE = 'Asia/Shanghai';

/** A weekly slot as stored. */
export interface WeeklySlot {
  userId: string;
  startMinuteUtc: number;
  durationMinutes: number;
}

/** Minutes `timeZone` is ahead of UTC at `instant` (negative west of Greenwich). */
export function zoneOffsetMinutes(timeZone: string, instant: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
  }).formatToParts(new Date(instant));
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
 * The 7x24 grid in `timeZone` for the week containing `now`: each local hour mapped to the UTC hour
 * it falls in (at that week's offsets, so daylight saving is right for the week shown).
 */
export function coverageGrid(options: { timeZone: string; now: number; counts: readonly number[]; minimums: readonly number[] }): CoverageCell[][] {
  const offsetNow = zoneOffsetMinutes(options.timeZone, options.now);
  const localNow = options.now + offsetNow * 60_000;
  const localMidnight = localNow - (((localNow % 86_400_000) + 86_400_000) % 86_400_000);
  const weekdayNow = (new Date(localMidnight).getUTCDay() + 6) % 7;
  const localMonday = localMidnight - weekdayNow * 86_400_000;
  const grid: CoverageCell[][] = [];
  for (let weekday = 0; weekday < 7; weekday += 1) {
    const row: CoverageCell[] = [];
    for (let hour = 0; hour < 24; hour += 1) {
      const localInstant = localMonday + (weekday * 24 + hour) * 3_600_000;
      const guess = localInstant - offsetNow * 60_000;
      const instant = localInstant - zoneOffsetMinutes(options.timeZone, guess) * 60_000;
      const utcHourOfWeek = Math.floor(utcMinuteOfWeek(instant) / 60);
      const volunteers = options.counts[utcHourOfWeek] ?? 0;
      const minimum = options.minimums[utcHourOfWeek] ?? 1;
      row.push({ weekday, hour, utcHourOfWeek, volunteers, minimum, isGap: volunteers < minimum });
    }
    grid.push(row);
  }
  return grid;
}
