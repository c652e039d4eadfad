/** China Standard Time is UTC+8 all year (no daylight saving). */
const CST_OFFSET_MS = 8 * 3_600_000;

/** The calendar day (YYYY-MM-DD) in China Standard Time of a moment in milliseconds. */
export function chinaDay(ms: number): string {
  return new Date(ms + CST_OFFSET_MS).toISOString().slice(0, 10);
}

/** The CST day `days` days before the day of `ms` (0 = that day). */
export function chinaDayBefore(ms: number, days: number): string {
  return chinaDay(ms - days * 86_400_000);
}
