import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/domain/auth/policy';
import { claimNextNumbers, createCampaign, recordAttempt, releaseNumbers } from '../../../src/domain/operations/campaigns';
import { addDoNotCall } from '../../../src/domain/operations/do-not-call';
import { importCallList } from '../../../src/domain/operations/import-call-list';
import { type Runtime, openRuntime } from '../../../src/runtime';
import { type TestHotline, startTestHotline, testDatabase } from '../../support/test-runtime';

const NUMBERS = 300;
const coordinator: Actor = { id: 'coord-1', role: 'coordinator', username: 'coord' };
const volunteers: Actor[] = Array.from({ length: 12 }, (_, i) => ({ id: `vol-${i}`, role: 'volunteer', username: `vol${i}` }));
const chinaTime = (hour: number, minute = 0) => Date.UTC(2026, 10, 25, hour - 8, minute);

let t: TestHotline;
let second: Runtime;
let campaignId: string;

function numberCsv(count: number, offset = 0): Readable {
  const lines = ['number,organization,category\n'];
  for (let i = 0; i < count; i += 1) lines.push(`+86 137 ${String(offset + i).padStart(8, '0')},Office ${i},police\n`);
  return Readable.from(lines);
}

beforeAll(async () => {
  t = await startTestHotline();
  t.clock.set(chinaTime(6));
  // PostgreSQL: a second, separate pool on the same database, as a second server process would have.
  // SQLite has one writer per file: a second in-process connection would only wait on the first
  // (better-sqlite3 blocks the event loop), so its claims share the one connection.
  second = testDatabase === 'postgres' ? await openRuntime(t.config, { createKeysIfNew: false, migrate: false, clock: t.clock, poolSize: 10 }) : t.runtime;
  const report = await importCallList(t.runtime, { actor: null, name: 'Police stations', source: numberCsv(NUMBERS), commit: true });
  const { campaign, tasks } = await createCampaign(t.runtime, { actor: coordinator, input: { name: 'Autumn', listIds: [report.listId!], retrySpacingMinutes: 60 } });
  expect(tasks).toBe(NUMBERS);
  campaignId = campaign.id;
  // Added after the campaign was made: must still never be handed out.
  await addDoNotCall(t.runtime, { actor: null, number: '+86 137 00000007' });
});
afterAll(async () => {
  if (second !== t.runtime) await second.close();
  await t.close();
});

describe('claiming numbers of a campaign', () => {
  it('hands out nothing at 22:00 or 07:59 China time, and numbers at 08:00', async () => {
    t.clock.set(chinaTime(22));
    const late = await claimNextNumbers(t.runtime, { actor: volunteers[0]!, campaignId, size: 10 });
    expect(late.tasks).toEqual([]);
    expect(late.reason).toBe('OUTSIDE_CALLING_WINDOW');
    expect(late.windowOpensAt).toBe(chinaTime(32));
    t.clock.set(chinaTime(7, 59));
    expect((await claimNextNumbers(t.runtime, { actor: volunteers[0]!, campaignId, size: 10 })).tasks).toEqual([]);
    t.clock.set(chinaTime(8));
    const morning = await claimNextNumbers(t.runtime, { actor: volunteers[0]!, campaignId, size: 10 });
    expect(morning.tasks).toHaveLength(10);
    expect(await releaseNumbers(t.runtime, { actor: volunteers[0]!, taskIds: morning.tasks.map((task) => task.id) })).toBe(10);
  });

  it('many volunteers claiming at the same moment on two connections never get the same number, and never a do-not-call number', async () => {
    t.clock.set(chinaTime(10));
    const holder = new Map<string, string>();
    let rounds = 0;
    for (;;) {
      rounds += 1;
      const results = await Promise.all(
        volunteers.flatMap((volunteer, i) => [
          claimNextNumbers(i % 2 === 0 ? t.runtime : second, { actor: volunteer, campaignId, size: 7 }).then((result) => ({ volunteer, result })),
          claimNextNumbers(i % 2 === 0 ? second : t.runtime, { actor: volunteer, campaignId, size: 5 }).then((result) => ({ volunteer, result })),
        ]),
      );
      let got = 0;
      for (const { volunteer, result } of results) {
        for (const task of result.tasks) {
          expect(holder.get(task.id), `task ${task.id} handed out twice`).toBeUndefined();
          holder.set(task.id, volunteer.id);
          got += 1;
        }
      }
      if (got === 0 || rounds > 20) break;
    }
    expect(holder.size).toBe(NUMBERS - 1);
    const dncBidx = t.runtime.keyring.blindIndex('phone', '+8613700000007');
    const stored = await t.runtime.store.operations.campaigns.findTask([...holder.keys()][0]!);
    expect(stored?.claimed_by).toBe(holder.get(stored!.id));
    for (const id of holder.keys()) {
      const task = await t.runtime.store.operations.campaigns.findTask(id);
      expect(Buffer.from(task!.phone_bidx).equals(dncBidx)).toBe(false);
    }
  });

  it('an expired claim returns its numbers to the pool; a retryable outcome comes back after the spacing, up to the attempts', async () => {
    t.clock.advance(31 * 60_000);
    const mine = await claimNextNumbers(t.runtime, { actor: volunteers[0]!, campaignId, size: 1 });
    expect(mine.tasks).toHaveLength(1);
    const taskId = mine.tasks[0]!.id;
    expect(await recordAttempt(t.runtime, { actor: volunteers[0]!, taskId, outcome: 'no_answer' })).toEqual({ status: 'open', attempts: 1 });
    // someone else cannot record on a task they do not hold
    await expect(recordAttempt(t.runtime, { actor: volunteers[1]!, taskId, outcome: 'registered' })).rejects.toThrow('not claimed by you');
    const claimAll = async (actor: Actor) => {
      const ids: string[] = [];
      for (;;) {
        const batch = await claimNextNumbers(t.runtime, { actor, campaignId, size: 50 });
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
});
