import { AppError } from '../../shared/app-error';
import { CALL_OUTCOMES } from '../../shared/schemas/values';
import { type Actor, authorize } from '../auth/policy';
import { isCalendarDay } from '../counters/china-day';
import type { Deps } from '../deps';

/** China's zone: the registry's days are China days. */
export const CHINA_ZONE = 'Asia/Shanghai';
/** The longest period the dashboard sums at once. */
export const MAX_DASHBOARD_DAYS = 400;

/** People and memberships. */
export interface Counts {
  people: number;
  party: number;
  league: number;
  pioneers: number;
}

/** The coordinators' dashboard for one period. */
export interface Dashboard {
  from: string;
  to: string;
  zone: string;
  /** Published statements per China day: organizations, and people by channel. */
  statementDays: (Counts & { day: string; channels: Record<string, number> })[];
  /** The period's published people by province (GB/T 2260 code, 'abroad', 'unknown'), largest first. */
  provinces: (Counts & { code: string })[];
  /** The period's people by channel. */
  channels: (Counts & { channel: string })[];
  totals: Counts;
  /** Calls per day in `zone`: by outcome, by direction, answered, talk time. */
  callDays: { day: string; calls: number; outbound: number; inbound: number; answered: number; talkMinutes: number; people: number; outcomes: Record<string, number> }[];
  /** Calls by hour of day in `zone` over the period. */
  callHours: { hour: number; calls: number; answered: number }[];
  /** Conversion of each campaign's calls in the period. */
  campaigns: { campaignId: string; name: string; calls: number; answered: number; registered: number; people: number; conversion: number | null }[];
}

const zero = (): Counts => ({ people: 0, party: 0, league: 0, pioneers: 0 });
const addTo = (target: Counts, values: Counts) => {
  target.people += values.people;
  target.party += values.party;
  target.league += values.league;
  target.pioneers += values.pioneers;
};

const formatters = new Map<string, Intl.DateTimeFormat>();

/** A formatter for `zone`, or VALIDATION_FAILED naming the zone. */
function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    } catch {
      throw new AppError('VALIDATION_FAILED', `Unknown time zone: ${zone}`, { details: { field: 'zone' } });
    }
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** The day (YYYY-MM-DD), hour and minute in `zone` of a moment. */
function localParts(ms: number, zone: string): { day: string; hour: number; minute: number } {
  const parts: Record<string, string> = {};
  for (const part of formatterFor(zone).formatToParts(ms)) parts[part.type] = part.value;
  return { day: `${parts.year}-${parts.month}-${parts.day}`, hour: Number(parts.hour), minute: Number(parts.minute) };
}

/** Minutes `zone` is ahead of UTC at `ms`. */
function offsetMinutes(ms: number, zone: string): number {
  const local = localParts(ms, zone);
  const [y, m, d] = local.day.split('-').map(Number) as [number, number, number];
  const asUtc = Date.UTC(y, m - 1, d, local.hour, local.minute);
  return Math.round((asUtc - Math.floor(ms / 60_000) * 60_000) / 60_000);
}

/** The moment a day begins in `zone`. */
export function startOfDay(day: string, zone: string): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const midnightUtc = Date.UTC(y, m - 1, d);
  let guess = midnightUtc - offsetMinutes(midnightUtc, zone) * 60_000;
  guess = midnightUtc - offsetMinutes(guess, zone) * 60_000;
  return guess;
}

/** The day after a YYYY-MM-DD day. */
export function nextDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

/** Every day from `from` to `to`, both included. */
function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let day = from; day <= to; day = nextDay(day)) days.push(day);
  return days;
}

/**
 * The dashboard for the days `from` to `to` (both included) in `zone`: statements from the
 * 'day_place' counters (China days, as the registry counts them), calls and campaigns from the calls
 * started in the period. Reads a few hundred counter rows and a few thousand call sums whatever the
 * registry's size.
 */
export async function readDashboard(deps: Deps, args: { actor: Actor; from: string; to: string; zone: string }): Promise<Dashboard> {
  authorize(args.actor, 'report.dashboard', undefined, deps.clock());
  const { from, to, zone } = args;
  if (!isCalendarDay(from) || !isCalendarDay(to)) throw new AppError('VALIDATION_FAILED', 'Days are YYYY-MM-DD', { details: { field: from === to ? 'from' : 'to' } });
  if (to < from) throw new AppError('VALIDATION_FAILED', 'The period ends before it starts', { details: { field: 'to' } });
  const days = daysBetween(from, to);
  if (days.length > MAX_DASHBOARD_DAYS) throw new AppError('VALIDATION_FAILED', `A period is at most ${MAX_DASHBOARD_DAYS} days`, { details: { field: 'from' } });
  formatterFor(zone);
  const start = startOfDay(from, zone);
  const end = startOfDay(nextDay(to), zone);

  const [places, buckets, campaigns] = await Promise.all([
    deps.store.registry.counters.readRange('day_place', from, nextDay(to)),
    deps.store.reports.callBuckets(start, end, Number.isInteger(offsetMinutes(start, zone) / 60) && Number.isInteger(offsetMinutes(end, zone) / 60) ? 3_600_000 : 900_000),
    deps.store.reports.campaignCalls(start, end),
  ]);

  const statementDays = new Map<string, Dashboard['statementDays'][number]>(days.map((day) => [day, { day, ...zero(), channels: {} }]));
  const provinces = new Map<string, Counts & { code: string }>();
  const channels = new Map<string, Counts & { channel: string }>();
  const totals = zero();
  for (const row of places) {
    const [day, code, channel] = row.key.split('|') as [string, string, string];
    const dayRow = statementDays.get(day);
    if (dayRow === undefined) continue;
    addTo(dayRow, row);
    dayRow.channels[channel] = (dayRow.channels[channel] ?? 0) + row.people;
    const province = provinces.get(code) ?? { code, ...zero() };
    addTo(province, row);
    provinces.set(code, province);
    const byChannel = channels.get(channel) ?? { channel, ...zero() };
    addTo(byChannel, row);
    channels.set(channel, byChannel);
    addTo(totals, row);
  }

  const callDays = new Map<string, Dashboard['callDays'][number]>(
    days.map((day) => [day, { day, calls: 0, outbound: 0, inbound: 0, answered: 0, talkMinutes: 0, people: 0, outcomes: Object.fromEntries(CALL_OUTCOMES.map((o) => [o, 0])) }]),
  );
  const callHours = Array.from({ length: 24 }, (_, hour) => ({ hour, calls: 0, answered: 0 }));
  const partsOf = new Map<number, { day: string; hour: number }>();
  for (const bucket of buckets) {
    let parts = partsOf.get(bucket.at);
    if (parts === undefined) {
      parts = localParts(bucket.at, zone);
      partsOf.set(bucket.at, parts);
    }
    const day = callDays.get(parts.day);
    if (day === undefined) continue;
    day.calls += bucket.calls;
    day.answered += bucket.answered;
    day.talkMinutes += bucket.talkSeconds / 60;
    day.people += bucket.people;
    if (bucket.direction === 'inbound') day.inbound += bucket.calls;
    else day.outbound += bucket.calls;
    day.outcomes[bucket.outcome] = (day.outcomes[bucket.outcome] ?? 0) + bucket.calls;
    const hour = callHours[parts.hour];
    if (hour) {
      hour.calls += bucket.calls;
      hour.answered += bucket.answered;
    }
  }

  return {
    from,
    to,
    zone,
    statementDays: [...statementDays.values()],
    provinces: [...provinces.values()].sort((a, b) => b.people - a.people || a.code.localeCompare(b.code)),
    channels: [...channels.values()].sort((a, b) => b.people - a.people),
    totals,
    callDays: [...callDays.values()].map((day) => ({ ...day, talkMinutes: Math.round(day.talkMinutes) })),
    callHours,
    campaigns: campaigns
      .map((row) => ({ ...row, conversion: row.answered === 0 ? null : row.registered / row.answered }))
      .sort((a, b) => b.calls - a.calls),
  };
}
