import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/domain/auth/policy';
import { createCallbackRequest } from '../../../src/domain/operations/callback-requests';
import { campaignProgress, claimNextAcrossCampaigns, recordAttempt } from '../../../src/domain/operations/campaigns';
import { type StaffSession, cookieHeader, signUpStaff } from '../../support/staff';
import { type TestHotline, startTestHotline } from '../../support/test-runtime';

let t: TestHotline;
let coordinator: StaffSession;
let volunteer: StaffSession;
let volunteerActor: Actor;
const lists: Record<string, string> = {};
const campaigns: Record<string, string> = {};
/** The fake clock starts at 12:00 China time on 2026-11-25. */
const chinaTime = (day: number, hour: number, minute = 0) => Date.UTC(2026, 10, day, hour - 8, minute);

async function importList(name: string, numbers: string[]): Promise<string> {
  const body = ['number,organization,category', ...numbers.map((number, i) => `${number},${name} office ${i},police`)].join('\n');
  const response = await t.app.inject({
    method: 'POST',
    url: `/api/operations/lists/import?name=${encodeURIComponent(name)}`,
    headers: { cookie: cookieHeader(coordinator.cookies), 'x-csrf-token': coordinator.csrf, 'content-type': 'text/csv' },
    payload: body,
  });
  expect(response.statusCode).toBe(201);
  return response.json().listId as string;
}

beforeAll(async () => {
  t = await startTestHotline();
  coordinator = await signUpStaff(t, 'coordinator');
  volunteer = await signUpStaff(t, 'volunteer');
  volunteerActor = { id: volunteer.userId, role: 'volunteer', username: volunteer.username };
  lists.a = await importList('A', ['+86 137 0000 0001', '+86 137 0000 0002']);
  lists.b = await importList('B', ['+86 137 0000 0003']);
  lists.c = await importList('C', ['+86 137 0000 0004', '+86 137 0000 0005']);
});
afterAll(async () => {
  await t.close();
});

describe('campaigns', () => {
  it('are created with every field: several lists, a script, a calling window, attempts, spacing and priority', async () => {
    const scripts = (await coordinator.request('GET', '/api/call-scripts')).json().scripts as { id: string }[];
    const input = {
      name: 'Evening, two lists',
      listIds: [lists.a, lists.b],
      scriptId: scripts[0]!.id,
      windowStartMinute: 13 * 60 + 30,
      windowEndMinute: 20 * 60,
      maxAttempts: 2,
      retrySpacingMinutes: 90,
      priority: 80,
    };
    expect((await volunteer.request('POST', '/api/operations/campaigns', input)).statusCode).toBe(403);
    expect((await coordinator.request('POST', '/api/operations/campaigns', { ...input, scriptId: 'no-such-script' })).statusCode).toBe(400);
    expect((await coordinator.request('POST', '/api/operations/campaigns', { ...input, windowStartMinute: 20 * 60 })).statusCode).toBe(400);
    expect((await coordinator.request('POST', '/api/operations/campaigns', { ...input, listIds: ['no-such-list'] })).statusCode).toBe(404);
    const created = await coordinator.request('POST', '/api/operations/campaigns', input);
    expect(created.statusCode).toBe(201);
    expect(created.json().tasks).toBe(3);
    campaigns.high = created.json().id as string;
    const low = await coordinator.request('POST', '/api/operations/campaigns', { name: 'All day', listIds: [lists.c], priority: 20 });
    campaigns.low = low.json().id as string;

    const listed = (await volunteer.request('GET', '/api/operations/campaigns')).json().campaigns as Record<string, unknown>[];
    expect(listed.find((campaign) => campaign.id === campaigns.high)).toEqual({
      id: campaigns.high,
      name: 'Evening, two lists',
      listIds: [lists.a, lists.b].sort(),
      scriptId: scripts[0]!.id,
      windowStartMinute: 810,
      windowEndMinute: 1200,
      maxAttempts: 2,
      retrySpacingMinutes: 90,
      priority: 80,
      status: 'active',
      createdAt: expect.any(Number),
    });
    expect(listed.find((campaign) => campaign.id === campaigns.low)).toMatchObject({ windowStartMinute: 480, windowEndMinute: 1260, maxAttempts: 3, priority: 20 });
  });

  it('"the next numbers" come by priority: callback requests, then the higher campaign, then the lower; a closed window is skipped', async () => {
    expect(await createCallbackRequest(t.runtime, { fromE164: '+86 139 0000 0009', callId: 'call-1' })).not.toBeNull();
    // 12:00 China time: the evening campaign's window (13:30-20:00) is closed
    const noon = await volunteer.request('POST', '/api/operations/claim-next', { size: 10 });
    expect(noon.statusCode).toBe(200);
    const noonTasks = noon.json().tasks as { id: string; kind: string; campaignId: string | null }[];
    expect(noonTasks.map((task) => task.campaignId)).toEqual([null, campaigns.low, campaigns.low]);
    expect(noonTasks[0]!.kind).toBe('callback');
    expect(noon.body).not.toContain('1390000000');

    // 14:00: every claim above has expired (30 minutes), the evening campaign is open
    t.clock.set(chinaTime(25, 14));
    const afternoon = await claimNextAcrossCampaigns(t.runtime, { actor: volunteerActor, size: 10 });
    expect(afternoon.tasks.map((task) => task.campaign_id)).toEqual([null, campaigns.high, campaigns.high, campaigns.high, campaigns.low, campaigns.low]);
    // 21:30: nothing is open; the answer says when the next window opens (08:00 the next morning)
    t.clock.set(chinaTime(25, 21, 30));
    expect(await claimNextAcrossCampaigns(t.runtime, { actor: volunteerActor, size: 10 })).toEqual({ tasks: [], reason: 'OUTSIDE_CALLING_WINDOW', windowOpensAt: chinaTime(26, 8) });
  });

  it('progress counts numbers by state and outcomes per China day', async () => {
    const coordinatorActor: Actor = { id: coordinator.userId, role: 'coordinator', username: coordinator.username };
    t.clock.set(chinaTime(26, 14));
    const first = await claimNextAcrossCampaigns(t.runtime, { actor: volunteerActor, size: 3 });
    const high = first.tasks.filter((task) => task.campaign_id === campaigns.high);
    expect(high).toHaveLength(2);
    await recordAttempt(t.runtime, { actor: volunteerActor, taskId: high[0]!.id, outcome: 'no_answer' });
    await recordAttempt(t.runtime, { actor: volunteerActor, taskId: high[1]!.id, outcome: 'registered' });
    t.clock.set(chinaTime(27, 14));
    const second = await claimNextAcrossCampaigns(t.runtime, { actor: volunteerActor, size: 10 });
    for (const task of second.tasks.filter((row) => row.campaign_id === campaigns.high)) await recordAttempt(t.runtime, { actor: volunteerActor, taskId: task.id, outcome: 'listened' });
    const progress = await campaignProgress(t.runtime, { actor: coordinatorActor, campaignId: campaigns.high! });
    expect(progress.days).toEqual([
      { day: '2026-11-26', outcomes: { no_answer: 1, registered: 1 } },
      { day: '2026-11-27', outcomes: { listened: 2 } },
    ]);
    // all three done: the one not answered on the 26th was tried again on the 27th
    expect(progress.tasks).toEqual({ done: 3 });
  });
});
