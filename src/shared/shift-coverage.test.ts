import { describe, expect, it } from 'vitest';
import { type LocalWeeklySlot, coverageByUtcHour, coverageForWeek, coverageGrid, localWeeklyTimeToUtcMinute, slotOccurrences, wallTimeToInstant, zoneOffsetMinutes } from './shift-coverage';

const november = Date.UTC(2026, 10, 25, 12);

describe('shift coverage', () => {
  it('stores a Toronto Monday 20:00 slot as Tuesday 01:00 UTC in November (EST), 00:00 in July (EDT)', () => {
    expect(zoneOffsetMinutes('America/Toronto', november)).toBe(-300);
    expect(localWeeklyTimeToUtcMinute(0, 20 * 60, 'America/Toronto', november)).toBe(1440 + 60);
    expect(localWeeklyTimeToUtcMinute(0, 20 * 60, 'America/Toronto', Date.UTC(2026, 6, 1))).toBe(1440);
    // China: Monday 08:00 is Monday 00:00 UTC; Monday 02:00 is Sunday 18:00 UTC (wraps the week)
    expect(localWeeklyTimeToUtcMinute(0, 8 * 60, 'Asia/Shanghai', november)).toBe(0);
    expect(localWeeklyTimeToUtcMinute(0, 2 * 60, 'Asia/Shanghai', november)).toBe(6 * 1440 + 18 * 60);
  });

  it('counts a volunteer only for whole hours covered, and wraps slots over the end of the week', () => {
    const counts = coverageByUtcHour([
      { userId: 'a', startMinuteUtc: 60, durationMinutes: 90 },
      { userId: 'b', startMinuteUtc: 167 * 60, durationMinutes: 120 },
      { userId: 'a', startMinuteUtc: 60, durationMinutes: 60 },
    ]);
    expect(counts[1]).toBe(1);
    expect(counts[2]).toBe(0);
    expect(counts[167]).toBe(1);
    expect(counts[0]).toBe(1);
  });

  it('shows the same UTC hour at 08:00 Monday in China and 19:00 Sunday in Toronto', () => {
    const counts = new Array<number>(168).fill(1);
    counts[0] = 0;
    const minimums = new Array<number>(168).fill(1);
    const china = coverageGrid({ timeZone: 'Asia/Shanghai', now: november, counts, minimums });
    const toronto = coverageGrid({ timeZone: 'America/Toronto', now: november, counts, minimums });
    expect(china.flat().filter((cell) => cell.isGap).map((cell) => [cell.weekday, cell.hour])).toEqual([[0, 8]]);
    expect(toronto.flat().filter((cell) => cell.isGap).map((cell) => [cell.weekday, cell.hour])).toEqual([[6, 19]]);
  });

  const toronto: LocalWeeklySlot = { userId: 'a', startMinuteLocal: 20 * 60, durationMinutes: 120, timeZone: 'America/Toronto' };
  const coveredHours = (counts: number[]) => counts.flatMap((count, hour) => (count > 0 ? [hour] : []));
  const coveredCells = (grid: ReturnType<typeof coverageGrid>) => grid.flat().filter((cell) => cell.volunteers > 0).map((cell) => [cell.weekday, cell.hour]);

  it('keeps a Toronto Monday 20:00-22:00 slot at 20:00 in Toronto across daylight saving; in UTC and China time it moves by an hour', () => {
    // January (EST, UTC-5): Tuesday 01:00-03:00 UTC
    expect(coveredHours(coverageForWeek([toronto], Date.UTC(2026, 0, 14)))).toEqual([25, 26]);
    // July (EDT, UTC-4): Tuesday 00:00-02:00 UTC
    expect(coveredHours(coverageForWeek([toronto], Date.UTC(2026, 6, 15)))).toEqual([24, 25]);
    // The week clocks go forward (Sunday 8 March 2026): Monday 9 March is already EDT
    expect(coveredHours(coverageForWeek([toronto], Date.UTC(2026, 2, 11)))).toEqual([24, 25]);
    // and the week before is still EST
    expect(coveredHours(coverageForWeek([toronto], Date.UTC(2026, 2, 4)))).toEqual([25, 26]);
    for (const now of [Date.UTC(2026, 0, 14), Date.UTC(2026, 6, 15)]) {
      expect(coveredCells(coverageGrid({ timeZone: 'America/Toronto', now, slots: [toronto], minimums: [] }))).toEqual([[0, 20], [0, 21]]);
    }
    expect(coveredCells(coverageGrid({ timeZone: 'Asia/Shanghai', now: Date.UTC(2026, 0, 14), slots: [toronto], minimums: [] }))).toEqual([[1, 9], [1, 10]]);
    expect(coveredCells(coverageGrid({ timeZone: 'Asia/Shanghai', now: Date.UTC(2026, 6, 15), slots: [toronto], minimums: [] }))).toEqual([[1, 8], [1, 9]]);
  });

  it('finds occurrences across the end of the week and on the night clocks go back', () => {
    // Sunday 23:00 for two hours, in Toronto, on the night of 1 November 2026 (fall back at 02:00)
    const late: LocalWeeklySlot = { userId: 'b', startMinuteLocal: 6 * 1440 + 23 * 60, durationMinutes: 120, timeZone: 'America/Toronto' };
    const [occurrence] = slotOccurrences(late, Date.UTC(2026, 10, 2), Date.UTC(2026, 10, 2, 6));
    // Sunday 1 November 23:00 EST is Monday 2 November 04:00 UTC
    expect(occurrence).toEqual({ start: Date.UTC(2026, 10, 2, 4), end: Date.UTC(2026, 10, 2, 6) });
    expect(coveredHours(coverageForWeek([late], Date.UTC(2026, 10, 4)))).toEqual([4, 5]);
    // 01:30 happens twice that night: the first (EDT) is taken
    expect(wallTimeToInstant(Date.UTC(2026, 10, 1, 1, 30), 'America/Toronto')).toBe(Date.UTC(2026, 10, 1, 5, 30));
  });
});
