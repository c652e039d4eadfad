/** China Standard Time is UTC+8 all year (no daylight saving). */
export const CHINA_OFFSET_MS = 8 * 3_600_000;

/** Minutes after midnight in China at `instant`. */
export function chinaMinuteOfDay(instant: number): number {
  const local = instant + CHINA_OFFSET_MS;
  return Math.floor((((local % 86_400_000) + 86_400_000) % 86_400_000) / 60_000);
}

/** The China calendar date at `instant`, as YYYY-MM-DD. */
export function chinaDate(instant: number): string {
  return new Date(instant + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** Whether `instant` falls in [start, end) minutes of the China day. */
export function isInChinaWindow(instant: number, startMinute: number, endMinute: number): boolean {
  const minute = chinaMinuteOfDay(instant);
  return minute >= startMinute && minute < endMinute;
}
