import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/domain/auth/policy';
import * as migration0007 from '../../../src/db/migrations/0007-operations';
import { shiftCoverage, signUpForShift } from '../../../src/domain/operations/shifts';
import { zoneOffsetMinutes } from '../../../src/shared/shift-coverage';
import { type StaffSession, signUpStaff } from '../../support/staff';
import { type TestHotline, startTestHotline } from '../../support/test-runtime';

let t: TestHotline;
let toronto: StaffSession;
let other: StaffSession;
const actorOf = (session: StaffSession): Actor => ({ id: session.userId, role: session.role, username: session.username });
const covered = (counts: number[]) => counts.flatMap((count, hour) => (count > 0 ? [hour] : []));

beforeAll(async () => {
  t = await startTestHotline();
  toronto = await signUpStaff(t, 'volunteer');
  other = await signUpStaff(t, 'volunteer');
});
afterAll(async () => {
  await t.close();
});

describe('shift slots', () => {
  it("stay at the volunteer's local time across daylight saving: a Toronto Monday 20:00 slot is 01:00 UTC Tuesday in winter, 00:00 in summer", async () => {
    const created = await toronto.request('POST', '/api/operations/shifts', { weekday: 0, startMinute: 20 * 60, durationMinutes: 120, timeZone: 'America/Toronto' });
    expect(created.statusCode).toBe(201);
    // 25 November 2026: Toronto is on EST (UTC-5)
    expect(created.json().startMinuteUtc).toBe(1440 + 60);
    const november = (await toronto.request('GET', '/api/operations/shifts')).json() as { slots: unknown[]; counts: number[] };
    expect(november.slots).toEqual([
      {
        id: created.json().id,
        userId: toronto.userId,
        displayName: expect.any(String),
        weekday: 0,
        startMinute: 1200,
        durationMinutes: 120,
        timeZone: 'America/Toronto',
        startMinuteUtc: 1500,
        assignedBy: null,
      },
    ]);
    expect(covered(november.counts)).toEqual([25, 26]);

    // The same stored slot, seen in a July week (EDT, UTC-4) and a March week after the change.
    for (const [now, hours, startMinuteUtc] of [
      [Date.UTC(2027, 6, 14), [24, 25], 1440],
      [Date.UTC(2027, 2, 17), [24, 25], 1440],
      [Date.UTC(2027, 0, 13), [25, 26], 1500],
    ] as const) {
      t.clock.set(now);
      const coverage = await shiftCoverage(t.runtime, { actor: actorOf(toronto) });
      expect(covered(coverage.counts), new Date(now).toISOString()).toEqual(hours);
      expect(coverage.slots[0]!.startMinuteUtc).toBe(startMinuteUtc);
      expect(coverage.slots[0]!.startMinute).toBe(1200);
    }
    // Signed up in summer, the slot is still Monday 20:00 in Toronto in winter.
    t.clock.set(Date.UTC(2027, 6, 14));
    await signUpForShift(t.runtime, { actor: actorOf(other), input: { weekday: 2, startMinute: 9 * 60, durationMinutes: 60, timeZone: 'America/Toronto' } });
    t.clock.set(Date.UTC(2027, 0, 13));
    const winter = await shiftCoverage(t.runtime, { actor: actorOf(other) });
    // Wednesday 09:00 EST = Wednesday 14:00 UTC = hour 2 * 24 + 14
    expect(winter.counts[2 * 24 + 14]).toBe(1);
    expect(winter.counts[2 * 24 + 13]).toBe(0);
  });

  it('coordinators assign a slot to someone else in their zone; volunteers remove only their own; removals are audited', async () => {
    t.clock.set(Date.UTC(2026, 10, 25, 4));
    const session = await signUpStaff(t, 'coordinator');
    const volunteer = await signUpStaff(t, 'volunteer');
    const assigned = await session.request('POST', '/api/operations/shifts', { weekday: 4, startMinute: 22 * 60, durationMinutes: 180, timeZone: 'Europe/Berlin', userId: volunteer.userId });
    expect(assigned.statusCode).toBe(201);
    const slots = (await volunteer.request('GET', '/api/operations/shifts')).json().slots as { id: string; userId: string; assignedBy: string | null; timeZone: string }[];
    expect(slots.find((slot) => slot.id === assigned.json().id)).toMatchObject({ userId: volunteer.userId, assignedBy: session.userId, timeZone: 'Europe/Berlin' });
    expect((await volunteer.request('POST', '/api/operations/shifts', { weekday: 0, startMinute: 0, durationMinutes: 60, timeZone: 'UTC', userId: toronto.userId })).statusCode).toBe(403);

    const own = await volunteer.request('POST', '/api/operations/shifts', { weekday: 1, startMinute: 60, durationMinutes: 60, timeZone: 'UTC' });
    const othersSlot = slots.find((slot) => slot.userId === toronto.userId)!;
    expect((await volunteer.request('DELETE', `/api/operations/shifts/${othersSlot.id}`)).statusCode).toBe(403);
    expect((await volunteer.request('DELETE', `/api/operations/shifts/${own.json().id as string}`)).statusCode).toBe(204);
    // a slot a coordinator assigned is the volunteer's own, so they may drop it
    expect((await volunteer.request('DELETE', `/api/operations/shifts/${assigned.json().id as string}`)).statusCode).toBe(204);
    expect((await session.request('DELETE', `/api/operations/shifts/${othersSlot.id}`)).statusCode).toBe(204);
    expect((await session.request('DELETE', `/api/operations/shifts/${othersSlot.id}`)).statusCode).toBe(404);
    const remaining = (await session.request('GET', '/api/operations/shifts')).json().slots as { id: string }[];
    expect(remaining.map((slot) => slot.id)).not.toContain(othersSlot.id);
    const audit = (await t.runtime.store.audit.recent(30)).filter((row) => row.action === 'shift.remove');
    expect(audit.map((row) => [row.actor_id, row.entity_id])).toEqual(
      expect.arrayContaining([
        [volunteer.userId, own.json().id],
        [session.userId, othersSlot.id],
      ]),
    );
    expect(audit).toHaveLength(3);
  });

  it('the migration gives slots stored in UTC their local time, read at the offset of the day it runs', async () => {
    const db = t.runtime.store.kysely;
    await db.deleteFrom('shift_slots').execute();
    await migration0007.down(db as never);
    // A slot as the old code stored it: Monday 20:00 Toronto in November, i.e. Tuesday 01:00 UTC.
    await db
      .insertInto('shift_slots')
      .values({ id: 'old', user_id: toronto.userId, start_minute_utc: 1440 + 60, duration_minutes: 60, time_zone: 'America/Toronto', assigned_by: null, created_at: 0 } as never)
      .execute();
    await migration0007.up(db as never);
    const row = await db.selectFrom('shift_slots').selectAll().where('id', '=', 'old').executeTakeFirstOrThrow();
    // Toronto is UTC-5 in winter (Monday 20:00 local) and UTC-4 in summer (Monday 21:00).
    expect(row.start_minute_local).toBe(1440 + 60 + zoneOffsetMinutes('America/Toronto', Date.now()));
  });
});
