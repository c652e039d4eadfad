import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeScheduler } from '../../support/fake-scheduler';
import { type StaffSession, signUpStaff } from '../../support/staff';
import { type TestHotline, startTestHotline } from '../../support/test-runtime';

let t: TestHotline;
let scheduler: ReturnType<typeof fakeScheduler>;
let coordinator: StaffSession;
let volunteer: StaffSession;

interface Board {
  waitingCalls: number;
  calls: { callId: string; state: string }[];
  agents: { agentId: string; presence: string }[];
}
interface SavedCallView {
  regionCode: string | null;
  startedAt: number;
  answeredAt: number | null;
  endedAt: number | null;
  durationSeconds: number | null;
  timesSource: string | null;
}

const board = async () => (await coordinator.request('GET', '/api/operations/board')).json() as Board;
const simulate = (body: Record<string, string>) => coordinator.request('POST', '/api/operations/queue/simulate', body);
const presenceOf = async (session: StaffSession) => (await board()).agents.find((agent) => agent.agentId === session.userId)?.presence;
const callOf = async (clientId: string) =>
  ((await volunteer.request('GET', '/api/calls/mine')).json() as { calls: (SavedCallView & { clientId: string })[] }).calls.find((call) => call.clientId === clientId);

beforeAll(async () => {
  t = await startTestHotline({ env: { HOTLINE_DEMO_CALLS: 'true', HOTLINE_QUEUE_WAIT_SECONDS: '90', HOTLINE_SESSION_IDLE_MINUTES: '600' }, queue: { config: { wrapUpSeconds: 30 } } });
  scheduler = t.scheduler;
  coordinator = await signUpStaff(t, 'coordinator');
  volunteer = await signUpStaff(t, 'volunteer');
});
afterAll(async () => {
  await t.close();
});

describe('the inbound queue never sticks', () => {
  it('a call nobody accepts becomes a callback request at the configured time-out, and the board shows 0 waiting', async () => {
    await simulate({ event: 'arrive', callId: 'nobody-1', language: 'zh', fromNumber: '+8613800138000' });
    expect((await board()).waitingCalls).toBe(1);
    scheduler.advance(89_000);
    expect((await board()).calls.map((call) => call.callId)).toEqual(['nobody-1']);
    scheduler.advance(2_000);
    const after = await board();
    expect(after.waitingCalls).toBe(0);
    expect(after.calls).toEqual([]);
    await t.app.services.queue.flush();
    const task = await t.runtime.store.operations.campaigns.findTask('callback:nobody-1');
    expect(task).toMatchObject({ kind: 'callback', status: 'open' });
  });

  it('a call offered to a volunteer who never answers also leaves the queue at the time-out', async () => {
    await volunteer.request('POST', '/api/operations/presence', { presence: 'available', languages: ['zh'] });
    const arrived = (await simulate({ event: 'arrive', callId: 'unanswered-1', language: 'zh' })).json() as { decisions: { type: string }[] };
    expect(arrived.decisions.map((decision) => decision.type)).toContain('offer');
    scheduler.advance(91_000);
    expect((await board()).calls).toEqual([]);
    // Two missed offers put the volunteer on break; they come back for the next test.
    await volunteer.request('POST', '/api/operations/presence', { presence: 'available' });
    expect(await presenceOf(volunteer)).toBe('available');
  });

  it('a call a phone answered ends when its telephony leg ends: the board drops it and the volunteer wraps up', async () => {
    const router = t.app.telephony.router;
    expect(await router.chooseVolunteer('leg-1', { language: 'zh' })).toEqual({ kind: 'ring', volunteerId: volunteer.userId });
    await router.answered('leg-1', volunteer.userId);
    expect((await board()).calls).toContainEqual(expect.objectContaining({ callId: 'leg-1', state: 'talking' }));
    scheduler.advance(300_000);
    // Long past the longest wait: an answered call is never timed out.
    expect((await board()).calls).toContainEqual(expect.objectContaining({ callId: 'leg-1', state: 'talking' }));
    await router.ended('leg-1');
    expect((await board()).calls).toEqual([]);
    expect(await presenceOf(volunteer)).toBe('wrap_up');
    scheduler.advance(31_000);
    expect(await presenceOf(volunteer)).toBe('available');
  });

  it('without demo mode, simulating calls is refused and says why', async () => {
    const plain = await startTestHotline();
    try {
      const admin = await signUpStaff(plain, 'admin');
      const refused = await admin.request('POST', '/api/operations/queue/simulate', { event: 'arrive', callId: 'x-1' });
      expect(refused.statusCode).toBe(404);
      expect(refused.json()).toMatchObject({ error: { code: 'DEMO_MODE_OFF' } });
      expect((await admin.request('GET', '/api/console/settings')).json()).toEqual({ telephony: null, demoCalls: false, hotlineNumber: null });
    } finally {
      await plain.close();
    }
  });
});

describe('the call record: times from the server, ended with the call', () => {
  it('accepting starts the record at the caller’s arrival, answered now; ending it ends the queue call; the saved call keeps the server’s times', async () => {
    const arrivedAt = t.clock();
    await simulate({ event: 'arrive', callId: 'story-2', language: 'zh', fromNumber: '+8673188881234' });
    scheduler.advance(4_000);
    const accepted = await volunteer.request('POST', '/api/operations/offers/story-2/accept', { clientId: 'client-story-2' });
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json()).toMatchObject({ startedAt: arrivedAt, answeredAt: arrivedAt + 4_000, endedAt: null, source: 'server' });
    // Accepting twice (a retried request) answers the same record.
    expect((await volunteer.request('POST', '/api/operations/offers/story-2/accept', { clientId: 'client-story-2' })).json()).toMatchObject({ answeredAt: arrivedAt + 4_000 });
    expect((await board()).calls).toContainEqual(expect.objectContaining({ callId: 'story-2', state: 'talking' }));
    expect(await presenceOf(volunteer)).toBe('on_call');

    scheduler.advance(66 * 60_000);
    const ended = (await volunteer.request('POST', '/api/calls/live/client-story-2/end')).json() as { endedAt: number };
    expect(ended.endedAt).toBe(arrivedAt + 4_000 + 66 * 60_000);
    expect((await board()).calls).toEqual([]);
    expect(await presenceOf(volunteer)).toBe('wrap_up');

    // The browser's clock was wrong: the server's times win.
    const saved = await volunteer.request('POST', '/api/calls', {
      clientId: 'client-story-2',
      direction: 'inbound',
      outcome: 'registered',
      startedAt: 1_000,
      answeredAt: 2_000,
      endedAt: 3_000,
      listeners: 19,
    });
    expect(saved.statusCode).toBe(200);
    expect(await callOf('client-story-2')).toMatchObject({
      startedAt: arrivedAt,
      answeredAt: arrivedAt + 4_000,
      endedAt: arrivedAt + 4_000 + 66 * 60_000,
      durationSeconds: 66 * 60,
      timesSource: 'server',
      // Where the caller rang from (Changsha), though their number is not kept.
      regionCode: '430100',
    });
    scheduler.advance(31_000);
    expect(await presenceOf(volunteer)).toBe('available');
  });

  it('saving an accepted call that was never ended ends it', async () => {
    await simulate({ event: 'arrive', callId: 'saved-open', language: 'zh' });
    await volunteer.request('POST', '/api/operations/offers/saved-open/accept', { clientId: 'client-saved-open' });
    scheduler.advance(120_000);
    await volunteer.request('POST', '/api/calls', { clientId: 'client-saved-open', direction: 'inbound', outcome: 'listened', startedAt: t.clock() });
    expect((await board()).calls).toEqual([]);
    expect(await callOf('client-saved-open')).toMatchObject({ durationSeconds: 120 });
    scheduler.advance(31_000);
  });

  it('a call the volunteer places keeps them on a call until it ends; a late accept of a gone offer says so', async () => {
    const begun = (await volunteer.request('POST', '/api/calls/live', { clientId: 'client-outbound-1', direction: 'outbound' })).json() as { startedAt: number };
    expect(begun.startedAt).toBe(t.clock());
    expect(await presenceOf(volunteer)).toBe('on_call');
    scheduler.advance(10_000);
    expect((await volunteer.request('POST', '/api/calls/live/client-outbound-1/answer')).json()).toMatchObject({ answeredAt: t.clock() });
    scheduler.advance(50_000);
    await volunteer.request('POST', '/api/calls/live/client-outbound-1/end');
    expect(await presenceOf(volunteer)).toBe('wrap_up');
    const late = await volunteer.request('POST', '/api/operations/offers/not-offered/accept', { clientId: 'client-late' });
    expect(late.json()).toMatchObject({ error: { code: 'OFFER_GONE' } });
    // Another volunteer cannot end someone else's call.
    const other = await signUpStaff(t, 'volunteer');
    expect((await other.request('POST', '/api/calls/live/client-outbound-1/end')).statusCode).toBe(404);
    scheduler.advance(31_000);
  });

  it('a volunteer corrects the times of their own call; the correction is audited and the duration follows', async () => {
    const call = (await volunteer.request('GET', '/api/calls/mine')).json() as { calls: { id: string; clientId: string; startedAt: number }[] };
    const target = call.calls.find((c) => c.clientId === 'client-saved-open')!;
    const bad = await volunteer.request('PATCH', `/api/calls/${target.id}`, { startedAt: target.startedAt, endedAt: target.startedAt - 1 });
    expect(bad.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED', details: { field: 'endedAt' } } });
    // The volunteer forgot the timer: the call began 45 minutes before the record did.
    const begun = target.startedAt - 45 * 60_000;
    const fixed = await volunteer.request('PATCH', `/api/calls/${target.id}`, { startedAt: begun, answeredAt: begun, endedAt: target.startedAt });
    expect(fixed.statusCode).toBe(200);
    expect(await callOf('client-saved-open')).toMatchObject({ durationSeconds: 45 * 60, timesSource: 'corrected' });
    const audit = await t.runtime.store.audit.recent(5);
    const entry = audit.find((row) => row.action === 'call.edit' && row.entity_id === target.id);
    expect(JSON.parse(entry!.details ?? '{}')).toMatchObject({ timesAfter: [begun, begun, target.startedAt] });
  });

  it('the coordinators’ CSV export has duration, outcome and listeners, and never a number or a note', async () => {
    const response = await coordinator.request('GET', '/api/calls/export.csv');
    expect(response.headers['content-type']).toContain('text/csv');
    const lines = response.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toContain('duration_seconds');
    const story = lines.find((line) => line.includes(',3960,'));
    expect(story).toContain(',inbound,');
    expect(story).toContain(',registered,');
    expect(story).toContain(',19,');
    expect((await volunteer.request('GET', '/api/calls/export.csv')).statusCode).toBe(403);
  });
});
