import { AppError } from '../../shared/app-error';
import { CALL_OUTCOMES } from '../../shared/schemas/values';
import { type Actor, authorize } from '../auth/policy';
import { isCalendarDay } from '../counters/china-day';
import type { Deps } from '../deps';
import { plannedSlots, shiftMinimums } from '../operations/shifts';
import { defaultRoutingConfig } from '../routing/routing-config';
import { isKnownTimeZone, slotOccurrences, utcMinuteOfWeek, wallTimeToInstant, zoneOffsetMinutes } from '../../shared/shift-coverage';

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
  /** The inbound queue per day and per hour of day in `zone`. */
  queueDays: (QueueFigures & { day: string })[];
  queueHours: (QueueFigures & { hour: number })[];
  /** The answer within which a call counts for the service level. */
  serviceLevelSeconds: number;
  /** Hours volunteers were on duty against the hours the shift plan had them on, per day in `zone`. */
  dutyDays: { day: string; plannedHours: number; dutyHours: number; availableHours: number; volunteers: number }[];
  /** Past hours of the period with fewer volunteers on duty than the minimum (the first 500). */
  coverageGaps: { at: number; minimum: number; planned: number; onDuty: number }[];
  coverageGapCount: number;
}

/** The inbound queue's figures over some time. */
export interface QueueFigures {
  offered: number;
  answered: number;
  abandoned: number;
  callbacks: number;
  /** Mean wait of answered calls, in seconds. */
  averageSpeedOfAnswerSeconds: number | null;
  abandonRate: number | null;
  /** Answered within `serviceLevelSeconds`, over offered. */
  serviceLevel: number | null;
  /** Minutes on calls over minutes available. */
  occupancy: number | null;
}

/** Zero people and memberships. */
export const zeroCounts = (): Counts => ({ people: 0, party: 0, league: 0, pioneers: 0 });

/** Adds `values` into `target`. */
export function addCounts(target: Counts, values: Counts): void {
  target.people += values.people;
  target.party += values.party;
  target.league += values.league;
  target.pioneers += values.pioneers;
}

/**
 * The local day and hour of moments in [start, end): by the zone's offset at `start` when it is the
 * same at both ends (no clock change in the period: China never has one), from each moment's own
 * offset otherwise; each bucket's answer is kept, since every chart asks for the same buckets.
 */
function localPartsWithin(start: number, end: number, zone: string): (at: number) => { day: string; hour: number } {
  const offset = zoneOffsetMinutes(zone, start);
  const isFixed = offset === zoneOffsetMinutes(zone, end - 1);
  const known = new Map<number, { day: string; hour: number }>();
  return (at) => {
    let parts = known.get(at);
    if (parts === undefined) {
      const local = new Date(at + (isFixed ? offset : zoneOffsetMinutes(zone, at)) * 60_000);
      parts = { day: local.toISOString().slice(0, 10), hour: local.getUTCHours() };
      known.set(at, parts);
    }
    return parts;
  };
}

/** The moment a day (YYYY-MM-DD) begins in `zone`. */
export function startOfDay(day: string, zone: string): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return wallTimeToInstant(Date.UTC(y, m - 1, d), zone);
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
  if (!isKnownTimeZone(zone)) throw new AppError('VALIDATION_FAILED', `Unknown time zone: ${zone}`, { details: { field: 'zone' } });
  const start = startOfDay(from, zone);
  const end = startOfDay(nextDay(to), zone);

  const bucketMs = Number.isInteger(zoneOffsetMinutes(zone, start) / 60) && Number.isInteger(zoneOffsetMinutes(zone, end) / 60) ? 3_600_000 : 900_000;
  const serviceLevelSeconds = defaultRoutingConfig.serviceLevelSeconds;
  const [places, buckets, campaigns, queue, duty, slots, minimums] = await Promise.all([
    deps.store.registry.counters.readRange('day_place', from, nextDay(to)),
    deps.store.reports.callBuckets(start, end),
    deps.store.reports.campaignCalls(start, end),
    deps.store.reports.queueBuckets(start, end, bucketMs, serviceLevelSeconds * 1000),
    deps.store.reports.dutyPeriods(start, end),
    plannedSlots(deps),
    shiftMinimums(deps),
  ]);

  const statementDays = new Map<string, Dashboard['statementDays'][number]>(days.map((day) => [day, { day, ...zeroCounts(), channels: {} }]));
  const provinces = new Map<string, Counts & { code: string }>();
  const channels = new Map<string, Counts & { channel: string }>();
  const totals = zeroCounts();
  for (const row of places) {
    const [day, code, channel] = row.key.split('|') as [string, string, string];
    const dayRow = statementDays.get(day);
    if (dayRow === undefined) continue;
    addCounts(dayRow, row);
    dayRow.channels[channel] = (dayRow.channels[channel] ?? 0) + row.people;
    const province = provinces.get(code) ?? { code, ...zeroCounts() };
    addCounts(province, row);
    provinces.set(code, province);
    const byChannel = channels.get(channel) ?? { channel, ...zeroCounts() };
    addCounts(byChannel, row);
    channels.set(channel, byChannel);
    addCounts(totals, row);
  }

  const callDays = new Map<string, Dashboard['callDays'][number]>(
    days.map((day) => [day, { day, calls: 0, outbound: 0, inbound: 0, answered: 0, talkMinutes: 0, people: 0, outcomes: Object.fromEntries(CALL_OUTCOMES.map((o) => [o, 0])) }]),
  );
  const callHours = Array.from({ length: 24 }, (_, hour) => ({ hour, calls: 0, answered: 0 }));
  const partsAt = localPartsWithin(start, end, zone);
  for (const bucket of buckets) {
    const parts = partsAt(bucket.at);
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

  // The inbound queue, and occupancy: talk time over time available.
  const queueByDay = new Map(days.map((day) => [day, emptyQueue()]));
  const queueByHour = Array.from({ length: 24 }, () => emptyQueue());
  for (const bucket of queue) {
    const parts = partsAt(bucket.at);
    for (const sums of [queueByDay.get(parts.day), queueByHour[parts.hour]]) {
      if (sums === undefined) continue;
      sums.offered += bucket.calls;
      if (bucket.outcome === 'answered') {
        sums.answered += bucket.calls;
        sums.waitMs += bucket.waitMs;
        sums.within += bucket.within;
      } else if (bucket.outcome === 'abandoned') sums.abandoned += bucket.calls;
      else sums.callbacks += bucket.calls;
    }
  }
  for (const bucket of buckets) {
    const parts = partsAt(bucket.at);
    const day = queueByDay.get(parts.day);
    if (day) day.talkMs += bucket.talkSeconds * 1000;
    const hour = queueByHour[parts.hour];
    if (hour) hour.talkMs += bucket.talkSeconds * 1000;
  }

  // Hours on duty against the plan, and the hours short of the minimum.
  const now = deps.clock();
  const dutyByDay = new Map(days.map((day) => [day, { dutyMs: 0, availableMs: 0, plannedMs: 0, volunteers: new Set<string>() }]));
  const onDutyByHour = new Map<number, Map<string, number>>();
  const addSpan = (from: number, to: number, visit: (bucketStart: number, ms: number) => void) => {
    for (let at = Math.floor(from / bucketMs) * bucketMs; at < to; at += bucketMs) {
      const ms = Math.min(to, at + bucketMs) - Math.max(from, at);
      if (ms > 0) visit(at, ms);
    }
  };
  for (const period of duty) {
    const spanFrom = Math.max(period.from_at, start);
    const spanTo = Math.min(period.to_at ?? now, end, now);
    addSpan(spanFrom, spanTo, (at, ms) => {
      const parts = partsAt(at);
      const day = dutyByDay.get(parts.day);
      if (day) {
        day.dutyMs += ms;
        day.volunteers.add(period.user_id);
        if (period.presence === 'available') day.availableMs += ms;
      }
      const queueDay = queueByDay.get(parts.day);
      if (queueDay && period.presence === 'available') queueDay.availableMs += ms;
      const byHour = queueByHour[parts.hour];
      if (byHour && period.presence === 'available') byHour.availableMs += ms;
      const utcHour = Math.floor(at / 3_600_000) * 3_600_000;
      const users = onDutyByHour.get(utcHour) ?? new Map<string, number>();
      users.set(period.user_id, (users.get(period.user_id) ?? 0) + ms);
      onDutyByHour.set(utcHour, users);
    });
  }
  const plannedByHour = new Map<number, Set<string>>();
  for (const slot of slots) {
    for (const occurrence of slotOccurrences(slot, start, end)) {
      addSpan(Math.max(occurrence.start, start), Math.min(occurrence.end, end), (at, ms) => {
        const day = dutyByDay.get(partsAt(at).day);
        if (day) day.plannedMs += ms;
      });
      for (let hour = Math.ceil(occurrence.start / 3_600_000) * 3_600_000; hour + 3_600_000 <= occurrence.end; hour += 3_600_000) {
        const users = plannedByHour.get(hour) ?? new Set<string>();
        users.add(slot.userId);
        plannedByHour.set(hour, users);
      }
    }
  }
  const coverageGaps: Dashboard['coverageGaps'] = [];
  let coverageGapCount = 0;
  for (let hour = Math.ceil(start / 3_600_000) * 3_600_000; hour + 3_600_000 <= Math.min(end, now); hour += 3_600_000) {
    const minimum = minimums[Math.floor(utcMinuteOfWeek(hour) / 60)] ?? 0;
    // On duty for the hour: at least half of it.
    const onDuty = [...(onDutyByHour.get(hour)?.values() ?? [])].filter((ms) => ms >= 1_800_000).length;
    if (onDuty >= minimum) continue;
    coverageGapCount += 1;
    if (coverageGaps.length < 500) coverageGaps.push({ at: hour, minimum, planned: plannedByHour.get(hour)?.size ?? 0, onDuty });
  }
  const hours = (ms: number) => Math.round(ms / 36_000) / 100;

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
    queueDays: [...queueByDay].map(([day, sums]) => ({ day, ...queueFigures(sums) })),
    queueHours: queueByHour.map((sums, hour) => ({ hour, ...queueFigures(sums) })),
    serviceLevelSeconds,
    dutyDays: [...dutyByDay].map(([day, sums]) => ({ day, plannedHours: hours(sums.plannedMs), dutyHours: hours(sums.dutyMs), availableHours: hours(sums.availableMs), volunteers: sums.volunteers.size })),
    coverageGaps,
    coverageGapCount,
  };
}

interface QueueSums {
  offered: number;
  answered: number;
  abandoned: number;
  callbacks: number;
  waitMs: number;
  within: number;
  talkMs: number;
  availableMs: number;
}

const emptyQueue = (): QueueSums => ({ offered: 0, answered: 0, abandoned: 0, callbacks: 0, waitMs: 0, within: 0, talkMs: 0, availableMs: 0 });
const ratio = (numerator: number, denominator: number) => (denominator === 0 ? null : Math.round((numerator / denominator) * 1000) / 1000);

function queueFigures(sums: QueueSums): QueueFigures {
  return {
    offered: sums.offered,
    answered: sums.answered,
    abandoned: sums.abandoned,
    callbacks: sums.callbacks,
    averageSpeedOfAnswerSeconds: sums.answered === 0 ? null : Math.round(sums.waitMs / sums.answered / 100) / 10,
    abandonRate: ratio(sums.abandoned, sums.offered),
    serviceLevel: ratio(sums.within, sums.offered),
    // Time on calls counts as available (a call moves a volunteer out of available only for its length).
    occupancy: sums.availableMs === 0 ? null : Math.min(1, ratio(sums.talkMs, sums.availableMs) ?? 0),
  };
}
