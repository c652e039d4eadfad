import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StaffSession, cookieHeader, signUpStaff } from '../../support/staff';
import { type TestHotline, startTestHotline } from '../../support/test-runtime';

let t: TestHotline;
let coordinator: StaffSession;
let volunteer: StaffSession;
let other: StaffSession;

const csv = ['number,organization,category', '+86 138 0013 8000,Changsha police,police', '0731 8888 1234,Furong court,court', 'oops,Bad row,police', '0731 8888 1234,Again,court'].join('\n');

function postCsv(session: StaffSession, url: string, body: string) {
  return t.app.inject({ method: 'POST', url, headers: { cookie: cookieHeader(session.cookies), 'x-csrf-token': session.csrf, 'content-type': 'text/csv' }, payload: body });
}

beforeAll(async () => {
  t = await startTestHotline({ env: { HOTLINE_DEMO_CALLS: 'true' } });
  coordinator = await signUpStaff(t, 'coordinator');
  volunteer = await signUpStaff(t, 'volunteer');
  other = await signUpStaff(t, 'volunteer');
});
afterAll(async () => {
  await t.close();
});

describe('operations API', () => {
  let taskId = '';

  it('previews and imports a CSV call list with per-row problems; volunteers may not import', async () => {
    expect((await postCsv(volunteer, '/api/operations/lists/import?name=x', csv)).statusCode).toBe(403);
    const preview = await postCsv(coordinator, '/api/operations/lists/preview?name=Hunan', csv);
    expect(preview.statusCode).toBe(200);
    expect(preview.json()).toMatchObject({ committed: false, rows: 4, accepted: 2, problems: [{ line: 4, problem: 'NUMBER_INVALID' }, { line: 5, problem: 'DUPLICATE_IN_FILE', ref: 'line 3' }] });
    expect((await coordinator.request('GET', '/api/operations/lists')).json().lists).toEqual([]);
    // the full report of refused rows, as CSV: lines and reasons, no number
    const reportUrl = `/api/operations/lists/reports/${preview.json().reportId as string}/refused.csv`;
    const full = await coordinator.request('GET', reportUrl);
    expect(full.statusCode).toBe(200);
    expect(full.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(full.headers['content-disposition']).toMatch(/^attachment; filename="refused-rows-[\w-]+\.csv"$/);
    expect(full.body).toBe('line,problem,reference\n4,NUMBER_INVALID,\n5,DUPLICATE_IN_FILE,line 3\n');
    expect((await volunteer.request('GET', reportUrl)).statusCode).toBe(403);
    expect((await coordinator.request('GET', '/api/operations/lists/reports/no-such-import/refused.csv')).statusCode).toBe(404);
    const imported = await postCsv(coordinator, '/api/operations/lists/import?name=Hunan', csv);
    expect(imported.statusCode).toBe(201);
    const listId = imported.json().listId as string;
    const created = await coordinator.request('POST', '/api/operations/campaigns', { name: 'Hunan autumn', listIds: [listId] });
    expect(created.statusCode).toBe(201);
    expect(created.json().tasks).toBe(2);
  });

  it('shows a claimed number masked, in full only to the claimant dialing it (audited), and records the outcome', async () => {
    const campaigns = (await volunteer.request('GET', '/api/operations/campaigns')).json().campaigns as { id: string }[];
    const claim = await volunteer.request('POST', `/api/operations/campaigns/${campaigns[0]!.id}/claim`, { size: 1 });
    expect(claim.statusCode).toBe(200);
    const task = claim.json().tasks[0];
    taskId = task.id;
    expect(task.maskedNumber).toMatch(/^\+86 \d{3}\*+\d{4}$/);
    expect(claim.body).not.toContain('13800138000');
    expect(claim.body).not.toContain('88881234');
    const url = `/api/operations/tasks/${encodeURIComponent(taskId)}/dial`;
    expect((await other.request('POST', url)).statusCode).toBe(403);
    expect((await coordinator.request('POST', url)).statusCode).toBe(403);
    const dial = await volunteer.request('POST', url);
    expect(dial.statusCode).toBe(200);
    expect(dial.json().number).toMatch(/^\+86(13800138000|73188881234)$/);
    const audit = await t.runtime.store.audit.recent(5);
    const reveal = audit.find((row) => row.action === 'calltask.reveal-number');
    expect(reveal?.actor_id).toBe(volunteer.userId);
    expect(reveal?.details).not.toContain('138');
    const attempt = await volunteer.request('POST', `/api/operations/tasks/${encodeURIComponent(taskId)}/attempts`, { outcome: 'listened' });
    expect(attempt.json()).toEqual({ status: 'done', attempts: 1 });
    // the claim is over: no more dialing
    expect((await volunteer.request('POST', url)).statusCode).toBe(403);
    const progress = await coordinator.request('GET', `/api/operations/campaigns/${campaigns[0]!.id}/progress`);
    expect(progress.json()).toEqual({ tasks: { done: 1, open: 1 }, days: [{ day: '2026-11-25', outcomes: { listened: 1 } }] });
    expect((await volunteer.request('POST', `/api/operations/tasks/${encodeURIComponent(taskId)}/attempts`, { outcome: 'nonsense' })).statusCode).toBe(400);
  });

  it('shift coverage counts sign-ups and shows gaps; only coordinators set minimums or assign', async () => {
    const signup = await volunteer.request('POST', '/api/operations/shifts', { weekday: 0, startMinute: 8 * 60, durationMinutes: 120, timeZone: 'Asia/Shanghai' });
    expect(signup.statusCode).toBe(201);
    expect(signup.json().startMinuteUtc).toBe(0);
    expect((await volunteer.request('POST', '/api/operations/shifts', { weekday: 0, startMinute: 0, durationMinutes: 60, timeZone: 'Mars/Olympus' })).statusCode).toBe(400);
    expect((await volunteer.request('POST', '/api/operations/shifts', { weekday: 0, startMinute: 0, durationMinutes: 60, timeZone: 'UTC', userId: other.userId })).statusCode).toBe(403);
    expect((await coordinator.request('POST', '/api/operations/shifts', { weekday: 0, startMinute: 0, durationMinutes: 60, timeZone: 'UTC', userId: other.userId })).statusCode).toBe(201);
    expect((await volunteer.request('PUT', '/api/operations/shifts/minimums', { hoursOfWeekUtc: [0], minimum: 2 })).statusCode).toBe(403);
    expect((await coordinator.request('PUT', '/api/operations/shifts/minimums', { hoursOfWeekUtc: [0], minimum: 2 })).statusCode).toBe(204);
    const coverage = (await volunteer.request('GET', '/api/operations/shifts')).json() as { counts: number[]; gapHoursUtc: number[] };
    expect(coverage.counts.slice(0, 3)).toEqual([2, 1, 0]);
    expect(coverage.gapHoursUtc).not.toContain(0);
    expect(coverage.gapHoursUtc).not.toContain(1);
    expect(coverage.gapHoursUtc).toContain(2);
  });

  it('a volunteer goes on duty, a simulated call is offered to them, and the coordinator sees it live over WebSocket', async () => {
    expect((await volunteer.request('POST', '/api/operations/presence', { presence: 'available', languages: ['zh'] })).json()).toEqual({ presence: 'available' });
    expect((await volunteer.request('GET', '/api/operations/board')).statusCode).toBe(403);
    const board = (await coordinator.request('GET', '/api/operations/board')).json();
    expect(board.agents).toContainEqual(expect.objectContaining({ agentId: volunteer.userId, presence: 'available', displayName: expect.any(String) }));
    const presenceRow = await t.runtime.store.operations.shifts.findPresence(volunteer.userId);
    expect(presenceRow?.presence).toBe('available');

    await expect(t.app.injectWS('/api/operations/live', { headers: { cookie: cookieHeader(coordinator.cookies), origin: 'http://evil.example' } })).rejects.toThrow();
    const ws = await t.app.injectWS('/api/operations/live', { headers: { cookie: cookieHeader(coordinator.cookies), origin: new URL(t.config.publicUrl).origin } });
    const messages: { type: string; board: { calls: { callId: string; state: string }[] } }[] = [];
    ws.on('message', (data: Buffer) => messages.push(JSON.parse(data.toString()) as (typeof messages)[number]));
    const simulated = await coordinator.request('POST', '/api/operations/queue/simulate', { event: 'arrive', callId: 'manual-1', language: 'zh' });
    expect(simulated.json().decisions).toContainEqual(expect.objectContaining({ type: 'offer', agentId: volunteer.userId }));
    const accepted = await volunteer.request('POST', '/api/operations/offers/manual-1/accept', { clientId: 'accepted-manual-1' });
    expect(accepted.json()).toMatchObject({ clientId: 'accepted-manual-1', direction: 'inbound', answeredAt: t.clock(), source: 'server' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(messages.at(-1)?.board.calls).toContainEqual(expect.objectContaining({ callId: 'manual-1', state: 'talking' }));
    ws.terminate();
  });
});
