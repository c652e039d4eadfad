import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StaffSession, signUpStaff } from '../../support/staff';
import { type TestHotline, startTestHotline } from '../../support/test-runtime';

let t: TestHotline;
let coordinator: StaffSession;
let volunteer: StaffSession;

beforeAll(async () => {
  t = await startTestHotline({ env: { HOTLINE_DEMO_CALLS: 'true' } });
  coordinator = await signUpStaff(t, 'coordinator');
  volunteer = await signUpStaff(t, 'volunteer');
});
afterAll(async () => {
  await t.close();
});

async function callState(callId: string) {
  const queue = t.app.services.queue;
  return queue.snapshot().calls.find((call) => call.callId === callId);
}

describe('the languages a volunteer takes calls in', () => {
  it('are Mandarin until chosen, and are kept once chosen; unknown codes are refused', async () => {
    expect((await volunteer.request('GET', '/api/operations/presence/me')).json()).toEqual({ presence: 'offline', languages: ['zh'] });
    expect((await volunteer.request('PUT', '/api/operations/presence/languages', { languages: ['klingon'] })).statusCode).toBe(400);
    expect((await volunteer.request('PUT', '/api/operations/presence/languages', { languages: [] })).statusCode).toBe(400);
    const saved = await volunteer.request('PUT', '/api/operations/presence/languages', { languages: ['yue', 'en', 'yue'] });
    expect(saved.json()).toEqual({ languages: ['yue', 'en'] });
    expect((await volunteer.request('GET', '/api/operations/presence/me')).json()).toEqual({ presence: 'offline', languages: ['yue', 'en'] });
    expect(JSON.parse((await t.runtime.store.operations.shifts.findPresence(volunteer.userId))!.languages)).toEqual(['yue', 'en']);
  });

  it("going on duty uses them: a Cantonese caller rings the volunteer, a Mandarin one waits until the volunteer adds Mandarin", async () => {
    expect((await volunteer.request('POST', '/api/operations/presence', { presence: 'available' })).json()).toEqual({ presence: 'available' });
    const board = (await coordinator.request('GET', '/api/operations/board')).json() as { agents: { agentId: string; languages: string[] }[] };
    expect(board.agents.find((agent) => agent.agentId === volunteer.userId)?.languages).toEqual(['yue', 'en']);

    const cantonese = await coordinator.request('POST', '/api/operations/queue/simulate', { event: 'arrive', callId: 'c-yue', language: 'yue' });
    expect(cantonese.json().decisions).toContainEqual(expect.objectContaining({ type: 'offer', callId: 'c-yue', agentId: volunteer.userId }));
    await volunteer.request('POST', '/api/operations/offers/c-yue/accept', { clientId: 'accepted-c-yue' });
    await coordinator.request('POST', '/api/operations/queue/simulate', { event: 'end', callId: 'c-yue' });
    // after wrap-up the volunteer is free again
    t.clock.advance(120_000);
    await volunteer.request('POST', '/api/operations/presence', { presence: 'available' });

    const mandarin = await coordinator.request('POST', '/api/operations/queue/simulate', { event: 'arrive', callId: 'c-zh', language: 'zh' });
    expect(mandarin.json().decisions).not.toContainEqual(expect.objectContaining({ type: 'offer' }));
    expect(await callState('c-zh')).toMatchObject({ state: 'waiting' });
    // On duty, the volunteer adds Mandarin: the waiting call is offered to them at once.
    expect((await volunteer.request('PUT', '/api/operations/presence/languages', { languages: ['yue', 'en', 'zh'] })).statusCode).toBe(200);
    expect(await callState('c-zh')).toMatchObject({ state: 'offered', agentId: volunteer.userId });
    // Languages sent with a presence change are saved as well.
    await volunteer.request('POST', '/api/operations/presence', { presence: 'break', languages: ['zh'] });
    expect((await volunteer.request('GET', '/api/operations/presence/me')).json()).toEqual({ presence: 'break', languages: ['zh'] });
  });
});
