import { type Actor, authorize } from '../auth/policy';
import type { Deps } from '../deps';

/** A volunteer's own figures: no one else's, no ranking. */
export interface MySummary {
  periods: { days: number; calls: number; answered: number; talkMinutes: number; people: number; registeredCalls: number; dutyMinutes: number }[];
  followups: { open: number; due: number };
  weeklyShiftMinutes: number;
}

/** The signed-in volunteer's hours on duty, calls, talk time and people registered over the last day, 7 and 30 days. */
export async function readMySummary(deps: Deps, args: { actor: Actor }): Promise<MySummary> {
  const now = deps.clock();
  authorize(args.actor, 'report.own', undefined, now);
  const periods = await Promise.all(
    [1, 7, 30].map(async (days) => {
      const from = now - days * 86_400_000;
      const row = await deps.store.reports.volunteerCalls(args.actor.id, from, now + 1);
      const duty = await deps.store.reports.dutyPeriods(from, now + 1, args.actor.id);
      const dutyMs = duty.reduce((sum, period) => sum + Math.max(0, Math.min(period.to_at ?? now, now) - Math.max(period.from_at, from)), 0);
      return {
        days,
        calls: row.calls,
        answered: row.answered,
        talkMinutes: Math.round(row.talkSeconds / 60),
        people: row.people,
        registeredCalls: row.registeredCalls,
        dutyMinutes: Math.round(dutyMs / 60_000),
      };
    }),
  );
  return { periods, followups: await deps.store.reports.openFollowupsOf(args.actor.id, now), weeklyShiftMinutes: await deps.store.reports.weeklyShiftMinutes(args.actor.id) };
}
