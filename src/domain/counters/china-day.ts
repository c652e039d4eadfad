/** China Standard Time is UTC+8 all year (no daylight saving). */
const CST_OFFSET_MS = 8 * 3_600_000;

/** The calendar day (YYYY-MM-DD) in China Standard Time of a moment in milliseconds. */
export function chinaDay(ms: number): string {
  const dayNumber = Math.floor((ms + CST_OFFSET_MS) / 86_400_000);
  if (dayNumber === lastDay.number) return lastDay.text;
  const text = new Date(ms + CST_OFFSET_MS).toISOString().slice(0, 10);
  lastDay = { number: dayNumber, text };
  return text;
}

/** The day asked for last: an import's rows come in date order, and formatting a date is slow. */
let lastDay = { number: Number.NaN, text: '' };

/** The CST day `days` days before the day of `ms` (0 = that day). */
export function chinaDayBefore(ms: number, days: number): string {
  return chinaDay(ms - days * 86_400_000);
}

/** The first day the registry has statements for: the service began in 2004. */
export const FIRST_REGISTRY_DAY = '2004-01-01';

/** True when `day` is YYYY-MM-DD naming a date that exists (not 2026-02-30 or 2026-99-99). */
export function isCalendarDay(day: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return false;
  const [year, month, date] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const at = new Date(Date.UTC(year, month - 1, date));
  return at.getUTCFullYear() === year && at.getUTCMonth() === month - 1 && at.getUTCDate() === date;
}

/**
 * Why a day cannot have published statements, or undefined when it can: it must exist, and lie
 * between the registry's first day and tomorrow in China (partners east of China are a day ahead).
 */
export function registryDayProblem(day: string, now: number): 'NOT_A_DATE' | 'BEFORE_REGISTRY' | 'IN_THE_FUTURE' | undefined {
  if (!isCalendarDay(day)) return 'NOT_A_DATE';
  if (day < FIRST_REGISTRY_DAY) return 'BEFORE_REGISTRY';
  if (day > chinaDay(now + 86_400_000)) return 'IN_THE_FUTURE';
  return undefined;
}
