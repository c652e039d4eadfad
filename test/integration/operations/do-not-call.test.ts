import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimNextNumbers, createCampaign } from '../../../src/domain/operations/campaigns';
import { importCallList } from '../../../src/domain/operations/import-call-list';
import { rawDatabaseBytes } from '../../support/raw-database';
import { type StaffSession, signUpStaff } from '../../support/staff';
import { type TestHotline, startTestHotline } from '../../support/test-runtime';

let t: TestHotline;
let coordinator: StaffSession;
let volunteer: StaffSession;

beforeAll(async () => {
  t = await startTestHotline();
  coordinator = await signUpStaff(t, 'coordinator');
  volunteer = await signUpStaff(t, 'volunteer');
});
afterAll(async () => {
  await t.close();
});

async function auditOf(action: string) {
  return (await t.runtime.store.audit.recent(50)).filter((row) => row.action === action);
}

describe('the do-not-call list', () => {
  let firstId = '';

  it('coordinators add numbers (audited by id, never the number); a number is listed once', async () => {
    expect((await volunteer.request('POST', '/api/operations/do-not-call', { number: '+86 138 1234 5678' })).statusCode).toBe(403);
    const added = await coordinator.request('POST', '/api/operations/do-not-call', { number: '+86 138 1234 5678', reason: 'asked not to be called' });
    expect(added.statusCode).toBe(201);
    expect(added.json()).toEqual({ id: expect.any(String), added: true });
    firstId = added.json().id as string;
    // the same number written another way is the same entry
    const again = await coordinator.request('POST', '/api/operations/do-not-call', { number: '0086 13812345678' });
    expect(again.json()).toEqual({ id: firstId, added: false });
    t.clock.advance(60_000);
    expect((await coordinator.request('POST', '/api/operations/do-not-call', { number: '0731 8888 1234' })).json().added).toBe(true);
    expect((await coordinator.request('POST', '/api/operations/do-not-call', { number: 'not a number' })).statusCode).toBe(400);

    const audit = await auditOf('donotcall.add');
    expect(audit).toHaveLength(2);
    expect(audit.map((row) => row.actor_id)).toEqual([coordinator.userId, coordinator.userId]);
    expect(audit.map((row) => row.entity_id)).toContain(firstId);
    for (const row of audit) expect(row.details).not.toMatch(/1234|5678/);
    expect(rawDatabaseBytes(t).includes('13812345678')).toBe(false);
  });

  it('lists entries with the number masked, when and by whom, newest first; one number can be looked up', async () => {
    expect((await volunteer.request('GET', '/api/operations/do-not-call')).statusCode).toBe(403);
    const listed = await coordinator.request('GET', '/api/operations/do-not-call');
    expect(listed.statusCode).toBe(200);
    const body = listed.json() as { total: number; entries: { id: string; maskedNumber: string; reason: string | null; addedAt: number; addedBy: { displayName: string } | null }[] };
    expect(body.total).toBe(2);
    expect(body.entries.map((entry) => entry.maskedNumber)).toEqual(['+86 731****1234', '+86 138****5678']);
    expect(body.entries[1]).toEqual({
      id: firstId,
      maskedNumber: '+86 138****5678',
      reason: 'asked not to be called',
      addedAt: t.clock() - 60_000,
      addedBy: { id: coordinator.userId, displayName: expect.stringContaining('coordinator') },
    });
    expect(listed.body).not.toContain('13812345678');
    expect(listed.body).not.toContain('88881234');
    const found = await coordinator.request('POST', '/api/operations/do-not-call/search', { number: '138-1234-5678' });
    expect((found.json() as { entries: { id: string }[] }).entries.map((entry) => entry.id)).toEqual([firstId]);
    expect((await coordinator.request('POST', '/api/operations/do-not-call/search', { number: '+86 139 0000 0000' })).json().entries).toEqual([]);
  });

  it('a listed number is never handed out; removed, it is again (removal audited)', async () => {
    const csv = Readable.from(['number,organization,category\n', '+86 137 0000 0001,Office,police\n', '+86 137 0000 0002,Office,police\n']);
    const { listId } = await importCallList(t.runtime, { actor: null, name: 'List', source: csv, commit: true });
    const { campaign } = await createCampaign(t.runtime, { actor: { id: coordinator.userId, role: 'coordinator', username: coordinator.username }, input: { name: 'C', listIds: [listId!] } });
    const blocked = await coordinator.request('POST', '/api/operations/do-not-call', { number: '+86 137 0000 0002' });
    const blockedId = blocked.json().id as string;
    const actor = { id: volunteer.userId, role: 'volunteer' as const, username: volunteer.username };
    const first = await claimNextNumbers(t.runtime, { actor, campaignId: campaign.id, size: 10 });
    expect(first.tasks.map((task) => task.id)).toEqual([`${campaign.id}:${listId!}:1`]);

    expect((await volunteer.request('DELETE', `/api/operations/do-not-call/${blockedId}`)).statusCode).toBe(403);
    expect((await coordinator.request('DELETE', `/api/operations/do-not-call/${blockedId}`)).statusCode).toBe(204);
    expect((await coordinator.request('DELETE', `/api/operations/do-not-call/${blockedId}`)).statusCode).toBe(404);
    const removal = await auditOf('donotcall.remove');
    expect(removal.map((row) => [row.actor_id, row.entity_id])).toEqual([[coordinator.userId, blockedId]]);
    const second = await claimNextNumbers(t.runtime, { actor, campaignId: campaign.id, size: 10 });
    expect(second.tasks.map((task) => task.id)).toEqual([`${campaign.id}:${listId!}:2`]);
    expect((await coordinator.request('GET', '/api/operations/do-not-call')).json().total).toBe(2);
  });
});
