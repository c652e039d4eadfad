import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/domain/auth/policy';
import { createCampaign } from '../../../src/domain/operations/campaigns';
import { importCallList } from '../../../src/domain/operations/import-call-list';
import { taskDialTarget } from '../../../src/shared/dial-target';
import { summarizeCall } from '../../../src/telephony/call-events';
import { sipPassword } from '../../../src/telephony/sip/credentials';
import { fakeScheduler } from '../../support/fake-scheduler';
import { type StaffSession, signUpStaff } from '../../support/staff';
import { type TestHotline, startTestHotline } from '../../support/test-runtime';

const SECRET = 'sip-edge-test-secret-0123456789';
const DOMAIN = '127.0.0.3';
const RING_SECONDS = 15;
const WAIT_SECONDS = 40;
const coordinatorActor: Actor = { id: 'coord-1', role: 'coordinator', username: 'coord' };
let t: TestHotline;
let scheduler: ReturnType<typeof fakeScheduler>;
let coordinator: StaffSession;
let seq = 0;

/** A request as Kamailio sends it: the shared secret in a header, everything in the query. */
function edge(method: 'GET' | 'POST', url: string, secret: string | null = SECRET) {
  const headers: Record<string, string> = secret === null ? {} : { 'x-hotline-sip-secret': secret };
  if (method === 'POST') return t.app.inject({ method, url, headers: { ...headers, 'content-type': 'text/plain' }, payload: 'event' });
  return t.app.inject({ method, url, headers });
}

/** Kamailio's question "whom does this call ring now?". */
async function route(callId: string, attempt: number, lang = ''): Promise<string> {
  return (await edge('GET', `/telephony/sip/route?call=${encodeURIComponent(callId)}&attempt=${attempt}&lang=${lang}`)).body;
}

/** A dialog event, as Kamailio posts it. */
async function event(callId: string, query: string): Promise<void> {
  expect((await edge('POST', `/telephony/sip/events?call=${encodeURIComponent(callId)}&${query}`)).body).toBe('ok');
}

async function record(callId: string) {
  await t.app.telephony.flush();
  return summarizeCall(await t.runtime.store.telephony.callEvents.forCall('sip', callId));
}

/** A volunteer (or coordinator) who went on duty from the console. */
async function onDuty(role: 'volunteer' | 'coordinator' = 'volunteer', languages?: string[]): Promise<StaffSession> {
  const session = await signUpStaff(t, role);
  const response = await session.request('POST', '/api/operations/presence', { presence: 'available', ...(languages ? { languages } : {}) });
  expect(response.statusCode).toBe(200);
  return session;
}

async function offDuty(...sessions: StaffSession[]): Promise<void> {
  for (const session of sessions) expect((await session.request('POST', '/api/operations/presence', { presence: 'offline' })).statusCode).toBe(200);
}

beforeAll(async () => {
  t = await startTestHotline({ env: { HOTLINE_SIP_SECRET: SECRET, HOTLINE_SIP_DOMAIN: DOMAIN, HOTLINE_SIP_RING_SECONDS: String(RING_SECONDS), HOTLINE_QUEUE_WAIT_SECONDS: String(WAIT_SECONDS) }, queue: { config: { wrapUpSeconds: 0 } } });
  // The server's one inbound queue, on timers that move with the test clock.
  scheduler = t.scheduler;
  coordinator = await signUpStaff(t, 'coordinator');
});
afterAll(async () => {
  await t.close();
});

describe('the SIP edge API (what Kamailio asks Hotline)', () => {
  it('refuses a request without the shared secret, or with a wrong one, and stores nothing', async () => {
    const before = await t.runtime.store.telephony.callEvents.count();
    for (const secret of [null, 'wrong-secret-0123456789abcdef']) {
      expect((await edge('GET', '/telephony/sip/route?call=abc@host&attempt=0', secret)).statusCode).toBe(403);
      expect((await edge('POST', '/telephony/sip/events?call=abc@host&kind=ended', secret)).statusCode).toBe(403);
      expect((await edge('GET', '/telephony/sip/credentials?user=someone', secret)).statusCode).toBe(403);
      expect((await edge('GET', '/telephony/sip/outbound?call=x@host&volunteer=someone&target=%2B862012345678', secret)).statusCode).toBe(403);
    }
    await t.app.telephony.flush();
    expect(await t.runtime.store.telephony.callEvents.count()).toBe(before);
  });

  it("gives the digest HA1 of an active staff member's phone and nothing for anyone else", async () => {
    const volunteer = await signUpStaff(t, 'volunteer');
    const known = await edge('GET', `/telephony/sip/credentials?user=${volunteer.userId}`);
    const expected = createHash('md5').update(`${volunteer.userId}:${DOMAIN}:${sipPassword(SECRET, volunteer.userId)}`).digest('hex');
    expect(known.body).toBe(`ha1 ${expected}`);
    expect((await edge('GET', '/telephony/sip/credentials?user=nobody-here')).body).toBe('none');
    expect((await edge('GET', '/telephony/sip/credentials?user=bad%20name')).statusCode).toBe(400);
  });
});

describe('inbound calls on the operations inbound queue', () => {
  it('rings whoever went on duty from the console, idle longest first, moves on after busy, and feeds the queue metrics', async () => {
    const from = t.clock();
    const first = await onDuty();
    t.clock.advance(1000);
    const second = await onDuty();
    const call = 'a84b4c76e66710@pc33.example';
    expect(await route(call, 0)).toBe(`ring ${first.userId}`);
    await event(call, `kind=failed&volunteer=${first.userId}&code=486`);
    expect(await route(call, 1)).toBe(`ring ${second.userId}`);
    await event(call, `kind=ringing&volunteer=${second.userId}`);
    t.clock.advance(3000);
    await event(call, 'kind=answered');
    // The console's board shows the volunteer on the call.
    const board = (await coordinator.request('GET', '/api/operations/board')).json() as { agents: { agentId: string; presence: string }[] };
    expect(board.agents.find((agent) => agent.agentId === second.userId)?.presence).toBe('on_call');
    t.clock.advance(42_000);
    await event(call, 'kind=ended&by=callee');
    expect(await record(call)).toMatchObject({
      outcome: 'answered',
      answeredBy: second.userId,
      hangupBy: 'volunteer',
      talkSeconds: 42,
      attempts: [
        { volunteerId: first.userId, result: 'busy' },
        { volunteerId: second.userId, result: 'answered' },
      ],
    });
    const metrics = (await coordinator.request('GET', `/api/operations/queue/metrics?from=${from}&to=${t.clock() + 1}`)).json() as Record<string, unknown>;
    expect(metrics).toMatchObject({ offered: 1, answered: 1, abandoned: 0, averageSpeedOfAnswerMs: 3000, serviceLevel: 1 });
    await offDuty(first, second);
  });

  it('does not ring a volunteer on break; a phone that rang out is a missed offer', async () => {
    const resting = await onDuty();
    const sleepy = await onDuty();
    const awake = await onDuty();
    expect((await resting.request('POST', '/api/operations/presence', { presence: 'break' })).statusCode).toBe(200);
    const call = 'missed@host';
    expect(await route(call, 0)).toBe(`ring ${sleepy.userId}`);
    scheduler.advance(RING_SECONDS * 1000);
    await event(call, `kind=failed&volunteer=${sleepy.userId}&code=408`);
    expect(await route(call, 1)).toBe(`ring ${awake.userId}`);
    const board = (await coordinator.request('GET', '/api/operations/board')).json() as { agents: { agentId: string; consecutiveMisses: number }[] };
    expect(board.agents.find((agent) => agent.agentId === sleepy.userId)?.consecutiveMisses).toBe(1);
    await event(call, 'kind=ended&by=caller');
    expect((await record(call))?.outcome).toBe('abandoned');
    await offDuty(resting, sleepy, awake);
  });

  it('keeps a caller waiting while everyone is busy, rings the first volunteer free, and gives up after the longest wait', async () => {
    const only = await onDuty();
    expect(await route('talking@host', 0)).toBe(`ring ${only.userId}`);
    await event('talking@host', `kind=answered&volunteer=${only.userId}`);
    expect(await route('patient@host', 0)).toBe('wait');
    expect(await route('late@host', 0)).toBe('wait');
    scheduler.advance(5000);
    expect(await route('patient@host', 5)).toBe('wait');
    await event('talking@host', 'kind=ended&by=caller');
    expect(await route('patient@host', 6)).toBe(`ring ${only.userId}`);
    await event('patient@host', `kind=answered&volunteer=${only.userId}`);
    scheduler.advance(WAIT_SECONDS * 1000);
    expect(await route('late@host', 40)).toBe('none');
    // Kamailio then ends the call as "nobody available".
    await event('late@host', 'kind=ended');
    expect(await record('late@host')).toMatchObject({ outcome: 'unanswered', hangupBy: 'system' });
    const queue = t.app.services.queue;
    expect(queue.snapshot().calls.map((call) => call.callId)).toEqual(['patient@host']);
    await event('patient@host', 'kind=ended&by=caller');
    await offDuty(only);
  });

  it('takes a caller who hangs up while queued out of the queue (their CANCEL), as abandoned', async () => {
    const only = await onDuty();
    expect(await route('busy-line@host', 0)).toBe(`ring ${only.userId}`);
    await event('busy-line@host', `kind=answered&volunteer=${only.userId}`);
    expect(await route('gives-up@host', 0)).toBe('wait');
    await event('gives-up@host', 'kind=cancel');
    expect(await record('gives-up@host')).toMatchObject({ outcome: 'abandoned', hangupBy: 'caller' });
    const queue = t.app.services.queue;
    expect(queue.snapshot().calls.map((call) => call.callId)).toEqual(['busy-line@host']);
    await event('busy-line@host', 'kind=ended&by=caller');
    await offDuty(only);
  });

  it("rings a volunteer who speaks the caller's language first, whoever has been idle longer", async () => {
    const mandarin = await onDuty('volunteer', ['zh']);
    t.clock.advance(1000);
    const cantonese = await onDuty('volunteer', ['yue']);
    expect(await route('cantonese-caller@host', 0, 'yue-HK')).toBe(`ring ${cantonese.userId}`);
    await event('cantonese-caller@host', 'kind=ended&by=caller');
    // Back on duty without naming languages (as the softphone does): the ones last given count.
    await offDuty(cantonese);
    t.clock.advance(1000);
    expect((await cantonese.request('POST', '/api/operations/presence', { presence: 'available' })).statusCode).toBe(200);
    expect(await route('cantonese-again@host', 0, 'yue')).toBe(`ring ${cantonese.userId}`);
    await event('cantonese-again@host', 'kind=ended&by=caller');
    await offDuty(mandarin, cantonese);
  });

  it('transfers a call to the free coordinator: the REFER target rings them, once', async () => {
    const volunteer = await onDuty();
    const stranger = await onDuty();
    const call = 'to-transfer@host';
    expect(await route(call, 0)).toBe(`ring ${volunteer.userId}`);
    await event(call, 'kind=answered');
    // No coordinator on duty yet.
    expect((await volunteer.request('POST', '/telephony/sip/transfers', { callId: call })).statusCode).toBe(404);
    const boss = await onDuty('coordinator');
    // Only the volunteer on the call may transfer it.
    expect((await stranger.request('POST', '/telephony/sip/transfers', { callId: call })).statusCode).toBe(404);
    const issued = await volunteer.request('POST', '/telephony/sip/transfers', { callId: call });
    expect(issued.statusCode).toBe(201);
    const { target } = issued.json() as { target: string };
    expect(target).toMatch(/^xfer-[A-Za-z0-9_-]{24}$/);
    // The trunk follows the REFER: a new call to the target, which rings the coordinator.
    const transferred = (await edge('GET', `/telephony/sip/route?call=transferred@host&attempt=0&lang=&to=${target}`)).body;
    expect(transferred).toBe(`ring ${boss.userId}`);
    await event(call, 'kind=ended&by=caller');
    await event('transferred@host', 'kind=answered');
    await event('transferred@host', 'kind=ended&by=caller');
    expect(await record('transferred@host')).toMatchObject({ outcome: 'answered', answeredBy: boss.userId });
    // A target is good for one call: used again, the call goes into the queue like any other.
    expect((await edge('GET', `/telephony/sip/route?call=again@host&attempt=0&lang=&to=${target}`)).body).toBe(`ring ${stranger.userId}`);
    await event('again@host', 'kind=ended&by=caller');
    await offDuty(volunteer, stranger, boss);
  });

  it('says none when nobody is on duty', async () => {
    expect(await route('lonely@host', 0)).toBe('none');
  });
});

describe('outbound calls on the volunteers claims', () => {
  let volunteer: StaffSession;
  let colleague: StaffSession;
  let manager: StaffSession;
  let numbers: Map<string, string>;
  let mine: { id: string; organization: string }[];
  let theirs: { id: string; organization: string }[];
  const outbound = async (session: StaffSession, target: string) => {
    seq += 1;
    return (await edge('GET', `/telephony/sip/outbound?call=out-${seq}@host&volunteer=${session.userId}&target=${encodeURIComponent(target)}`)).body;
  };

  beforeAll(async () => {
    // 20:40 China time: inside the default calling window (08:00-21:00), which closes in 20 minutes.
    t.clock.set(Date.UTC(2026, 10, 25, 12, 40, 0));
    const list = ['+862012345670', '+862012345671', '+862012345672', '+862012345673', '+862012345674'];
    numbers = new Map(list.map((number, i) => [`Org ${i}`, number]));
    const csv = Readable.from(['number,organization,category\n', ...list.map((number, i) => `${number},Org ${i},police\n`)]);
    const report = await importCallList(t.runtime, { actor: null, name: 'Outbound', source: csv, commit: true });
    const { campaign } = await createCampaign(t.runtime, { actor: coordinatorActor, input: { name: 'Day', listIds: [report.listId!] } });
    volunteer = await signUpStaff(t, 'volunteer');
    colleague = await signUpStaff(t, 'volunteer');
    manager = await signUpStaff(t, 'coordinator');
    mine = ((await volunteer.request('POST', `/api/operations/campaigns/${campaign.id}/claim`, { size: 4 })).json() as { tasks: typeof mine }).tasks;
    theirs = ((await colleague.request('POST', `/api/operations/campaigns/${campaign.id}/claim`, { size: 1 })).json() as { tasks: typeof theirs }).tasks;
    expect(mine).toHaveLength(4);
    expect(theirs).toHaveLength(1);
  });

  it('allows a claimed number by task reference or in full, answering the E.164 for the trunk', async () => {
    expect(await outbound(volunteer, taskDialTarget(mine[0]!.id))).toBe(`allow ${numbers.get(mine[0]!.organization)}`);
    expect(await outbound(volunteer, numbers.get(mine[1]!.organization)!.replace('+86', '0'))).toBe(`allow ${numbers.get(mine[1]!.organization)}`);
    // The dial is audited like the console's Dial button.
    const audit = await t.runtime.store.audit.recent(50);
    expect(audit.some((row) => row.action === 'calltask.reveal-number' && row.entity_id === mine[0]!.id && row.actor_id === volunteer.userId)).toBe(true);
  });

  it('refuses what the volunteer does not hold: unclaimed, claimed by another, malformed', async () => {
    expect(await outbound(volunteer, '+862099999999')).toBe('deny NOT_ASSIGNED');
    expect(await outbound(volunteer, numbers.get(theirs[0]!.organization)!)).toBe('deny NOT_ASSIGNED');
    expect(await outbound(volunteer, taskDialTarget(theirs[0]!.id))).toBe('deny NOT_ASSIGNED');
    expect(await outbound(volunteer, 'task-A')).toBe('deny INVALID_NUMBER');
    expect(await outbound(volunteer, taskDialTarget('no-such-task'))).toBe('deny NOT_ASSIGNED');
    expect(await outbound(volunteer, '12')).toBe('deny INVALID_NUMBER');
    expect((await edge('GET', '/telephony/sip/outbound?call=bad@host&volunteer=x&target=not-a-number')).statusCode).toBe(400);
    await t.app.telephony.flush();
    const refused = await t.runtime.store.telephony.callEvents.forCall('sip', `out-${seq}@host`);
    expect(refused.map((row) => [row.kind, row.reason])).toEqual([['refused', 'INVALID_NUMBER']]);
  });

  it('refuses a claimed number on the do-not-call list', async () => {
    expect((await manager.request('POST', '/api/operations/do-not-call', { number: numbers.get(mine[2]!.organization)! })).statusCode).toBe(201);
    expect(await outbound(volunteer, taskDialTarget(mine[2]!.id))).toBe('deny DO_NOT_CALL');
  });

  it('refuses a claimed number while its campaign is paused, and allows it again once resumed', async () => {
    const campaignId = (await t.runtime.store.operations.campaigns.findTask(mine[1]!.id))?.campaign_id;
    const pause = (status: 'paused' | 'active') => manager.request('POST', `/api/operations/campaigns/${campaignId}/status`, { status });
    expect((await pause('paused')).statusCode).toBeLessThan(300);
    expect(await outbound(volunteer, taskDialTarget(mine[1]!.id))).toBe('deny NOT_ASSIGNED');
    expect((await pause('active')).statusCode).toBeLessThan(300);
    expect(await outbound(volunteer, taskDialTarget(mine[1]!.id))).toMatch(/^allow /);
  });

  it("records a far end's busy as an attempt on the task, which goes back to the pool", async () => {
    const task = mine[3]!;
    const callId = `busy-far-end-${seq}@host`;
    const presence = async () => t.app.services.queue.snapshot().agents.find((agent) => agent.agentId === volunteer.userId)?.presence;
    expect((await volunteer.request('POST', '/api/operations/presence', { presence: 'available' })).statusCode).toBe(200);
    expect((await edge('GET', `/telephony/sip/outbound?call=${callId}&volunteer=${volunteer.userId}&target=${taskDialTarget(task.id)}`)).body).toMatch(/^allow /);
    // Dialing out, the volunteer is on a call: the inbound queue offers them nothing until it ends.
    expect(await presence()).toBe('on_call');
    await event(callId, `kind=failed&dir=outbound&volunteer=${volunteer.userId}&code=486`);
    await event(callId, 'kind=ended&dir=outbound&by=callee');
    expect(await presence()).not.toBe('on_call');
    expect((await volunteer.request('POST', '/api/operations/presence', { presence: 'offline' })).statusCode).toBe(200);
    expect(await t.runtime.store.operations.campaigns.findTask(task.id)).toMatchObject({ attempts: 1, last_outcome: 'busy', claimed_by: null });
    const [arrived] = await t.runtime.store.telephony.callEvents.forCall('sip', callId);
    expect(arrived).toMatchObject({ kind: 'arrived', direction: 'outbound', volunteer_id: volunteer.userId, campaign_id: expect.any(String) });
    // No longer held: dialing it again is refused.
    expect(await outbound(volunteer, taskDialTarget(task.id))).toBe('deny NOT_ASSIGNED');
  });

  it('refuses a claimed number once the calling window has closed in China time, and every number once the claim expired', async () => {
    expect(await outbound(volunteer, taskDialTarget(mine[0]!.id))).toMatch(/^allow /);
    // 21:00 China time: the window has closed, though the claim (until 21:10) still holds.
    t.clock.set(Date.UTC(2026, 10, 25, 13, 0, 0));
    expect(await outbound(volunteer, taskDialTarget(mine[0]!.id))).toBe('deny OUTSIDE_CALLING_WINDOW');
    // The next morning the claim is long gone.
    t.clock.set(Date.UTC(2026, 10, 26, 1, 0, 0));
    expect(await outbound(volunteer, taskDialTarget(mine[0]!.id))).toBe('deny NOT_ASSIGNED');
  });
});

describe('the console softphone account', () => {
  it('gives a volunteer their own SIP account and refuses an auditor', async () => {
    const volunteer = await signUpStaff(t, 'volunteer');
    const response = await volunteer.request('GET', '/telephony/sip/account');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ username: volunteer.userId, password: sipPassword(SECRET, volunteer.userId), domain: DOMAIN, websocketUrl: 'ws://127.0.0.3:5066' });
    const auditor = await signUpStaff(t, 'auditor');
    expect((await auditor.request('GET', '/telephony/sip/account')).statusCode).toBe(403);
  });
});
