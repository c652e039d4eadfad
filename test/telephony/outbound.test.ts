import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { taskDialTarget } from '../../src/shared/dial-target';
import type { StaffSession } from '../support/staff';
import { type ClaimedTask, type SipHarness, dialOut, startSipHarness, startTrunk, waitForEnd } from './support/harness';
import { expectSuccess, killAll } from './support/processes';

// Org 0 .. Org 3 of the test campaign, in this order.
const NUMBERS = ['+862012345670', '+862012345671', '+862012345672', '+862012345673'];
let harness: SipHarness;
let volunteer: StaffSession;
let colleague: StaffSession;
let coordinator: StaffSession;
let mine: ClaimedTask[];
let theirs: ClaimedTask[];

/** The number behind a claimed task of the test campaign (its organization says which). */
const numberOf = (task: ClaimedTask) => NUMBERS[Number(task.organization!.replace('Org ', ''))]!;

/** The last outbound call Hotline heard about, by event kind. */
async function lastCall(kind: 'arrived' | 'refused'): Promise<string | undefined> {
  await harness.app.telephony.flush();
  const [row] = await harness.runtime.store.telephony.callEvents.ofKind(kind, 1);
  return row?.call_id;
}

/** The volunteer's claimed tasks as the console lists them. */
async function myTasks(session: StaffSession): Promise<ClaimedTask[]> {
  return ((await session.request('GET', '/api/operations/my-tasks')).json() as { tasks: ClaimedTask[] }).tasks;
}

beforeAll(async () => {
  harness = await startSipHarness();
  [volunteer, colleague, coordinator] = await Promise.all([harness.staff('volunteer'), harness.staff('volunteer'), harness.staff('coordinator')]);
  const campaignId = await harness.campaign(NUMBERS);
  mine = await harness.claim(volunteer, campaignId, 3);
  theirs = await harness.claim(colleague, campaignId, 1);
  expect(mine).toHaveLength(3);
  expect(theirs).toHaveLength(1);
});
afterEach(() => {
  killAll();
});
afterAll(async () => {
  await harness?.close();
});

describe('outbound calls from a volunteer phone, allowed by the volunteer claims', () => {
  it('dials a claimed number by its task reference: the trunk gets the full E.164, the volunteer phone never had it', async () => {
    const task = mine[0]!;
    const trunk = startTrunk('answer', harness.dir);
    await expectSuccess(dialOut(volunteer.userId, taskDialTarget(task.id), { scenario: 'dial-out' }));
    await expectSuccess(trunk);
    expect(trunk.invitedUris()).toEqual([`sip:${numberOf(task)}@127.0.0.2:5080`]);
    const callId = (await lastCall('arrived'))!;
    const record = await waitForEnd(harness, async () => callId);
    expect(record).toMatchObject({ direction: 'outbound', outcome: 'answered', hangupBy: 'volunteer' });
    const [arrived] = await harness.runtime.store.telephony.callEvents.forCall('sip', callId);
    expect(arrived).toMatchObject({ kind: 'arrived', volunteer_id: volunteer.userId, campaign_id: expect.any(String) });
    // Answered: the claim stays until the volunteer records what the conversation gave.
    expect((await myTasks(volunteer)).map((t) => t.id)).toContain(task.id);
  });

  it('a far end that is busy is an attempt on the task: recorded as busy, and the number goes back to the pool', async () => {
    const task = mine[1]!;
    const trunk = startTrunk('busy', harness.dir);
    await expectSuccess(dialOut(volunteer.userId, taskDialTarget(task.id), { scenario: 'dial-out-refused-by-far-end' }));
    await expectSuccess(trunk);
    const row = await harness.runtime.store.operations.campaigns.findTask(task.id);
    expect(row).toMatchObject({ attempts: 1, last_outcome: 'busy', claimed_by: null, status: 'open' });
    expect((await myTasks(volunteer)).map((t) => t.id)).not.toContain(task.id);
  });

  it('dials a claimed number typed in full', async () => {
    const task = mine[2]!;
    const trunk = startTrunk('answer', harness.dir);
    await expectSuccess(dialOut(volunteer.userId, numberOf(task), { scenario: 'dial-out' }));
    await expectSuccess(trunk);
    expect(trunk.invitedUris()).toEqual([`sip:${numberOf(task)}@127.0.0.2:5080`]);
  });

  it.each([
    ['a number nobody claimed', () => '+862099999999', 'NOT_ASSIGNED'],
    ["a number another volunteer claimed, dialed in full", () => numberOf(theirs[0]!), 'NOT_ASSIGNED'],
    ["another volunteer's task reference", () => taskDialTarget(theirs[0]!.id), 'NOT_ASSIGNED'],
    ['something that is not a number', () => '12', 'INVALID_NUMBER'],
  ])('refuses %s with 403 and the reason code', async (_name, target, code) => {
    const call = dialOut(volunteer.userId, target(), { scenario: 'dial-out-refused' });
    await expectSuccess(call);
    expect(call.refusal()).toBe(code);
    const events = await harness.runtime.store.telephony.callEvents.forCall('sip', (await lastCall('refused'))!);
    expect(events.map((e) => [e.kind, e.reason])).toEqual([['refused', code]]);
  });

  it('refuses a claimed number once it is on the do-not-call list', async () => {
    const task = mine[0]!;
    expect((await coordinator.request('POST', '/api/operations/do-not-call', { number: numberOf(task) })).statusCode).toBe(201);
    const call = dialOut(volunteer.userId, taskDialTarget(task.id), { scenario: 'dial-out-refused' });
    await expectSuccess(call);
    expect(call.refusal()).toBe('DO_NOT_CALL');
  });

  it('refuses a phone that cannot prove it is the volunteer', async () => {
    const before = await harness.runtime.store.telephony.callEvents.count();
    // Wrong password: challenged again (the scenario checks the second 407), and Hotline is never
    // asked about the number.
    await expectSuccess(dialOut(volunteer.userId, taskDialTarget(mine[0]!.id), { scenario: 'dial-out-bad-password', password: 'not-the-password' }));
    await harness.app.telephony.flush();
    expect(await harness.runtime.store.telephony.callEvents.count()).toBe(before);
  });
});
