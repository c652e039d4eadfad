import { chinaDay, isCalendarDay } from '../counters/china-day';
import type { Deps } from '../deps';
import { addCounts, CHINA_ZONE, type Counts, nextDay, startOfDay, zeroCounts } from './dashboard';
import { publishedStories, type PublishedStory } from './stories';

/** One China day's published people and memberships. */
export interface DayTotals extends Counts {
  day: string;
}

/** A month's report for partners: totals by organization, channel and province, and its stories. */
export interface MonthlyReport {
  month: string;
  days: DayTotals[];
  totals: Counts;
  channels: (Counts & { channel: string })[];
  provinces: (Counts & { code: string })[];
  stories: PublishedStory[];
}

/** True for a month written YYYY-MM. */
export function isMonth(month: string): boolean {
  return /^\d{4}-(0[1-9]|1[0-2])$/.test(month);
}

/** Each China day from `from` to `to` (both included) with what was published on it, zeros included. */
export async function dailyTotals(deps: Deps, from: string, to: string): Promise<DayTotals[]> {
  const rows = await deps.store.registry.counters.readRange('day', from, nextDay(to));
  const byDay = new Map(rows.map((row) => [row.key, row]));
  const days: DayTotals[] = [];
  for (let day = from; day <= to; day = nextDay(day)) {
    const row = byDay.get(day);
    days.push({ day, people: row?.people ?? 0, party: row?.party ?? 0, league: row?.league ?? 0, pioneers: row?.pioneers ?? 0 });
  }
  return days;
}

/** The last `count` China days up to today, oldest first. */
export async function recentDailyTotals(deps: Deps, count: number): Promise<DayTotals[]> {
  const today = chinaDay(deps.clock());
  return dailyTotals(deps, chinaDay(deps.clock() - (count - 1) * 86_400_000), today);
}

/** The report of one month (China days): from the 'day' and 'day_place' counters and the stories published in it. */
export async function monthlyReport(deps: Deps, month: string): Promise<MonthlyReport> {
  const from = `${month}-01`;
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(year, monthNumber, 0)).toISOString().slice(0, 10);
  const today = chinaDay(deps.clock());
  const to = last < today ? last : today;
  if (!isCalendarDay(from) || from > today) return { month, days: [], totals: zeroCounts(), channels: [], provinces: [], stories: [] };
  const [days, places, stories] = await Promise.all([
    dailyTotals(deps, from, to),
    deps.store.registry.counters.readRange('day_place', from, nextDay(to)),
    publishedStories(deps, { limit: 500, from: startOfDay(from, CHINA_ZONE), to: startOfDay(nextDay(last), CHINA_ZONE) }),
  ]);
  const totals = zeroCounts();
  const channels = new Map<string, Counts & { channel: string }>();
  const provinces = new Map<string, Counts & { code: string }>();
  for (const row of places) {
    const [, code = '', channel = ''] = row.key.split('|');
    addCounts(totals, row);
    const byChannel = channels.get(channel) ?? { channel, ...zeroCounts() };
    addCounts(byChannel, row);
    channels.set(channel, byChannel);
    const byProvince = provinces.get(code) ?? { code, ...zeroCounts() };
    addCounts(byProvince, row);
    provinces.set(code, byProvince);
  }
  return {
    month,
    days,
    totals,
    channels: [...channels.values()].sort((a, b) => b.people - a.people),
    provinces: [...provinces.values()].sort((a, b) => b.people - a.people || a.code.localeCompare(b.code)),
    stories,
  };
}
