import { describe, expect, it } from 'vitest';
import { coverageByUtcHour, coverageGrid, localWeeklyTimeToUtcMinute, zoneOffsetMinutes } from './shift-coverage';

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
});
