import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/domain/auth/policy';
import { createCallbackRequest } from '../../../src/domain/operations/callback-requests';
import type { CallTaskRow } from '../../../src/db/repositories/operations/campaigns.repository';
import { OPERATIONS_FIELDS } from '../../../src/db/schema/operations';
import { CLAIM_TTL_MS, claimNextNumbers, createCampaign, recordAttempt, releaseNumbers, taskForDialing } from '../../../src/domain/operations/campaigns';
import { addDoNotCall, removeDoNotCall } from '../../../src/domain/operations/do-not-call';
import { importCallList } from '../../../src/domain/operations/import-call-list';
import { type ClaimWorker, startClaimWorker } from '../../support/claim-worker';
import { AppError } from '../../../src/shared/app-error';
import { type TestHotline, startTestHotline } from '../../support/test-runtime';

const NUMBERS = 200;
/** Callback requests left by callers whose numbers are also campaign numbers. */
const CALLBACKS = 40;
const ROUNDS = 3;
const coordinator: Actor = { id: 'coord-1', role: 'coordinator', username: 'coord' };
const volunteers: Actor[] = Array.from({ length: 12 }, (_, i) => ({ id: `vol-${i}`, role: 'volunteer', username: `vol${i}` }));
const chinaTime = (hour: number, minute = 0, second = 0) => Date.UTC(2026, 10, 25, hour - 8, minute, second);
const volunteerIds = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `vol-${from + i}`);
const numberOf = (i: number) => `+86 137 ${String(i).padStart(8, '0')}`;

let t: TestHotline;
let workers: ClaimWorker[] = [];
/** Two campaigns over the same list: every number is in a task of each. */
let campaignA: string;
let campaignB: string;

function numberCsv(count: number): Readable {
  const lines = ['number,organization,category\n'];
  for (let i = 0; i < count; i += 1) lines.push(`${numberOf(i)},Office ${i},police\n`);
  return Readable.from(lines);
}

async function allTasks() {
  return t.runtime.store.kysely.selectFrom('call_tasks').selectAll().execute();
}

beforeAll(async () => {
  t = await startTestHotline();
  t.clock.set(chinaTime(6));
  const report = await importCallList(t.runtime, { actor: null, name: 'Police stations', source: numberCsv(NUMBERS), commit: true });
  const a = await createCampaign(t.runtime, { actor: coordinator, input: { name: 'Autumn', listIds: [report.listId!], retrySpacingMinutes: 60 } });
  const b = await createCampaign(t.runtime, { actor: coordinator, input: { name: 'Winter', listIds: [report.listId!], priority: 40 } });
  expect([a.tasks, b.tasks]).toEqual([NUMBERS, NUMBERS]);
  campaignA = a.campaign.id;
  campaignB = b.campaign.id;
  for (let i = 0; i < CALLBACKS; i += 1) {
    expect(await createCallbackRequest(t.runtime, { fromE164: numberOf(NUMBERS - 1 - i * 3), callId: `call-${i}` })).not.toBeNull();
  }
  // Added after the campaigns were made: must still never be handed out.
  await addDoNotCall(t.runtime, { actor: null, number: '+86 137 00000007' });
  // Two more processes on the same database (SQLite file or PostgreSQL database), as two servers.
  workers = await Promise.all([startClaimWorker(t.env, t.dir), startClaimWorker(t.env, t.dir)]);
}, 120_000);
afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.close()));
  await t.close();
});

describe('claiming numbers of a campaign', () => {
  it('hands out nothing at 22:00 or 07:59 China time, and numbers at 08:00', async () => {
    t.clock.set(chinaTime(22));
    const late = await claimNextNumbers(t.runtime, { actor: volunteers[0]!, campaignId: campaignA, size: 10 });
    expect(late.tasks).toEqual([]);
    expect(late.reason).toBe('OUTSIDE_CALLING_WINDOW');
    expect(late.windowOpensAt).toBe(chinaTime(32));
    t.clock.set(chinaTime(7, 59));
    expect((await claimNextNumbers(t.runtime, { actor: volunteers[0]!, campaignId: campaignA, size: 10 })).tasks).toEqual([]);
    t.clock.set(chinaTime(8));
    const morning = await claimNextNumbers(t.runtime, { actor: volunteers[0]!, campaignId: campaignA, size: 10 });
    expect(morning.tasks).toHaveLength(10);
    expect(await releaseNumbers(t.runtime, { actor: volunteers[0]!, taskIds: morning.tasks.map((task) => task.id) })).toBe(10);
  });

  it('volunteers claiming at the same moment in two server processes never hold one number twice: one campaign, two campaigns over one list, callbacks for campaign numbers', async () => {
    const campaignTasks = new Map<string, string>();
    for (const task of await allTasks()) campaignTasks.set(task.id, Buffer.from(task.phone_bidx).toString('hex'));
    const dncBidx = t.runtime.keyring.blindIndex('phone', '+8613700000007').toString('hex');
    const distinctNumbers = NUMBERS - 1;
    // Each round starts after every earlier claim expired; within a round claims only accumulate,
    // so a number may appear at most once across everything the round handed out.
    for (let round = 0; round < ROUNDS; round += 1) {
      const now = chinaTime(10) + round * (CLAIM_TTL_MS + 60_000);
      const holderOfNumber = new Map<string, string>();
      const holderOfTask = new Map<string, string>();
      for (let wave = 0; ; wave += 1) {
        const at = Date.now() + 150;
        const [first, second] = await Promise.all([
          workers[0]!.round(at, now, [
            { volunteerId: 'w0-cb', target: 'callbacks', size: 5 },
            { volunteerId: 'w0-next', target: 'next', size: 5 },
            ...volunteerIds(0, 5).map((volunteerId) => ({ volunteerId, target: campaignA, size: 7 })),
          ]),
          workers[1]!.round(at, now, [
            { volunteerId: 'w1-cb', target: 'callbacks', size: 5 },
            ...volunteerIds(5, 10).map((volunteerId) => ({ volunteerId, target: campaignB, size: 7 })),
            { volunteerId: 'w1-a', target: campaignA, size: 5 },
          ]),
        ]);
        let got = 0;
        for (const result of [...first, ...second]) {
          for (const task of result.tasks) {
            got += 1;
            expect(holderOfTask.get(task.id), `task ${task.id} handed out twice`).toBeUndefined();
            holderOfTask.set(task.id, result.volunteerId);
            const holder = holderOfNumber.get(task.bidx);
            expect(holder, `round ${round}: a number went to ${holder ?? ''} and to ${result.volunteerId} at once`).toBeUndefined();
            holderOfNumber.set(task.bidx, result.volunteerId);
            expect(task.bidx).not.toBe(dncBidx);
          }
        }
        if (got === 0) break;
        expect(wave).toBeLessThan(60);
      }
      // Every callable number was handed out, each exactly once, whichever of its tasks carried it.
      expect(holderOfNumber.size).toBe(distinctNumbers);
      const live = (await allTasks()).filter((task) => task.claimed_by !== null && task.claim_expires_at! > now);
      const liveByNumber = new Map<string, number>();
      for (const task of live) {
        const key = Buffer.from(task.phone_bidx).toString('hex');
        liveByNumber.set(key, (liveByNumber.get(key) ?? 0) + 1);
      }
      expect([...liveByNumber.values()].filter((n) => n > 1)).toEqual([]);
      expect(live.length).toBe(distinctNumbers);
      // Both campaigns and the callbacks took part in the race.
      const kinds = new Set([...holderOfTask.keys()].map((id) => (id.startsWith('callback:') ? 'callback' : id.startsWith(campaignA) ? 'A' : 'B')));
      expect(kinds).toEqual(new Set(['A', 'B', 'callback']));
      expect(campaignTasks.size).toBe(2 * NUMBERS + CALLBACKS);
    }
  }, 240_000);

  it('an expired claim returns its numbers to the pool; a retryable outcome comes back after the spacing, up to the attempts', async () => {
    // Every claim the worker processes made has expired by noon.
    t.clock.set(chinaTime(12));
    const mine = await claimNextNumbers(t.runtime, { actor: volunteers[0]!, campaignId: campaignA, size: 1 });
    expect(mine.tasks).toHaveLength(1);
    const taskId = mine.tasks[0]!.id;
    expect(await recordAttempt(t.runtime, { actor: volunteers[0]!, taskId, outcome: 'no_answer' })).toEqual({ status: 'open', attempts: 1 });
    // someone else cannot record on a task they do not hold
    await expect(recordAttempt(t.runtime, { actor: volunteers[1]!, taskId, outcome: 'registered' })).rejects.toThrow('not claimed by you');
    const claimAll = async (actor: Actor) => {
      const ids: string[] = [];
      for (;;) {
        const batch = await claimNextNumbers(t.runtime, { actor, campaignId: campaignA, size: 50 });
        if (batch.tasks.length === 0) return ids;
        ids.push(...batch.tasks.map((task) => task.id));
      }
    };
    expect(await claimAll(volunteers[2]!)).not.toContain(taskId);
    t.clock.advance(59 * 60_000);
    // before the 60-minute spacing is over, the number stays out even though every claim expired
    expect(await claimAll(volunteers[3]!)).not.toContain(taskId);
    t.clock.advance(31 * 60_000);
    const again = await claimAll(volunteers[4]!);
    expect(again).toContain(taskId);
    expect(again).toHaveLength(NUMBERS - 1);
    expect(await recordAttempt(t.runtime, { actor: volunteers[4]!, taskId, outcome: 'registered' })).toEqual({ status: 'done', attempts: 2 });
  });

  it('a number claimed at 20:59 China time is not revealed at 21:05; one put on do-not-call after the claim is not revealed at all', async () => {
    const volunteer = volunteers[11]!;
    t.clock.set(chinaTime(20, 59));
    const claimed = await claimNextNumbers(t.runtime, { actor: volunteer, campaignId: campaignA, size: 2 });
    expect(claimed.tasks).toHaveLength(2);
    const [late, listed] = claimed.tasks as [CallTaskRow, CallTaskRow];
    expect((await taskForDialing(t.runtime, { actor: volunteer, taskId: late.id })).id).toBe(late.id);
    t.clock.set(chinaTime(21, 5));
    const refusal = await taskForDialing(t.runtime, { actor: volunteer, taskId: late.id }).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(AppError);
    expect((refusal as AppError).code).toBe('OUTSIDE_CALLING_WINDOW');
    expect((refusal as AppError).details).toEqual({ windowOpensAt: chinaTime(32) });

    t.clock.set(chinaTime(20, 59, 30));
    const [entry] = await t.runtime.store.operations.callLists.entriesByIds([listed.entry_id!]);
    const number = t.runtime.keyring.decrypt(entry!.phone_enc, OPERATIONS_FIELDS.entryPhone);
    const { id } = await addDoNotCall(t.runtime, { actor: coordinator, number });
    await expect(taskForDialing(t.runtime, { actor: volunteer, taskId: listed.id })).rejects.toMatchObject({ code: 'DO_NOT_CALL' });
    await removeDoNotCall(t.runtime, { actor: coordinator, id });
    expect((await taskForDialing(t.runtime, { actor: volunteer, taskId: listed.id })).id).toBe(listed.id);
    const reveals = (await t.runtime.store.audit.recent(20)).filter((row) => row.action === 'calltask.reveal-number' && row.actor_id === volunteer.id);
    // only the two reveals that were allowed are in the audit log
    expect(reveals.map((row) => row.entity_id).sort()).toEqual([late.id, listed.id].sort());
  });
});
