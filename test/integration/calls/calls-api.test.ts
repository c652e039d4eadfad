import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shredExpiredCallData } from '../../../src/domain/calls/shred-expired';
import { CounterCache } from '../../../src/domain/counters/counter-cache';
import { runCli } from '../../support/cli';
import { rawDatabaseBytes } from '../../support/raw-database';
import { type StaffSession, signUpStaff } from '../../support/staff';
import { type TestHotline, startTestHotline, testDatabase } from '../../support/test-runtime';

interface SavedCall {
  callId: string;
  registrations: { statementId: string; receiptCode: string | null }[];
}

const NOTES = 'Officer Wang, careful, colleague nearby';
const FOLLOWUP_PHONE = '13912345678';

function storyOneCall(t: TestHotline, clientId: string) {
  return {
    clientId,
    direction: 'outbound',
    phone: '010 6512 3456',
    orgType: 'police_station',
    occupation: 'police',
    outcome: 'registered',
    notes: NOTES,
    handedOut: { hotlineNumberGiven: true, circumventionTool: 'Freegate', materialsRequested: false },
    startedAt: t.clock() - 20 * 60_000,
    answeredAt: t.clock() - 19 * 60_000,
    endedAt: t.clock(),
    registrations: [
      { clientId: `${clientId}-r1`, nameKind: 'real', name: '王明', cohorts: [{ count: 1, organizations: ['party'] }], consent: 'personal' },
      {
        clientId: `${clientId}-r2`,
        nameKind: 'pseudonym',
        name: '金福',
        cohorts: [{ count: 1, organizations: ['league', 'pioneers'] }],
        consent: 'named_by_other',
        relation: 'coworker',
      },
    ],
    followups: [{ clientId: `${clientId}-f1`, name: '', howToReach: FOLLOWUP_PHONE, offered: 'warn before planned arrests' }],
  };
}

describe(`calls API (${testDatabase})`, () => {
  let t: TestHotline;
  let cache: CounterCache;
  let alice: StaffSession;
  let bob: StaffSession;
  let coordinator: StaffSession;
  let admin: StaffSession;
  let callId: string;

  beforeAll(async () => {
    t = await startTestHotline();
    cache = await CounterCache.load(t.runtime);
    alice = await signUpStaff(t, 'volunteer');
    bob = await signUpStaff(t, 'volunteer');
    coordinator = await signUpStaff(t, 'coordinator');
    admin = await signUpStaff(t, 'admin');
  });
  afterAll(async () => {
    cache.close();
    await t.close();
  });

  it('saves a call with its registrations once, however often the save is retried', async () => {
    const before = cache.snapshot().total;
    const body = storyOneCall(t, 'call-story-one-0001');
    const first = await alice.request('POST', '/api/calls', body);
    expect(first.statusCode).toBe(200);
    const saved = first.json();
    callId = saved.callId;
    expect(saved.registrations).toHaveLength(2);
    for (const r of saved.registrations) expect(r.receiptCode).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);

    const retry = await alice.request('POST', '/api/calls', body);
    expect(retry.statusCode).toBe(200);
    expect(retry.json().callId).toBe(callId);
    const retried = retry.json() as SavedCall;
    expect(retried.registrations.map((r) => r.statementId)).toEqual((saved as SavedCall).registrations.map((r) => r.statementId));
    expect(retried.registrations.every((r) => r.receiptCode === null)).toBe(true);

    const after = cache.snapshot().total;
    expect(after.people - before.people).toBe(2);
    expect(after.party - before.party).toBe(1);
    expect(await t.runtime.store.registry.statements.count()).toBe(2);
    const mine = (await alice.request('GET', '/api/calls/mine')).json().calls;
    expect(mine).toHaveLength(1);
    expect(mine[0].peopleRegistered).toBe(2);
    expect(mine[0].phoneMasked).toBe('+86 106***3456');
    expect(mine[0].regionCode).toBe('110000');
  });

  it('carries the call in the statements’ provenance', async () => {
    const call = (await admin.request('GET', `/api/calls/${callId}`)).json() as { registrations: { statementId: string }[] };
    const statement = await t.runtime.store.registry.statements.findById(call.registrations[0]!.statementId);
    expect(JSON.stringify(statement)).toContain(callId);
  });

  it('keeps notes, the number and follow-up details out of the database file in plain text', async () => {
    if (testDatabase !== 'sqlite') return;
    const raw = rawDatabaseBytes(t);
    expect(raw.includes(Buffer.from(NOTES))).toBe(false);
    expect(raw.includes(Buffer.from(FOLLOWUP_PHONE))).toBe(false);
    expect(raw.includes(Buffer.from('65123456'))).toBe(false);
  });

  it('shows the owner their notes but no follow-up contact', async () => {
    const call = (await alice.request('GET', `/api/calls/${callId}`)).json();
    expect(call.notes).toBe(NOTES);
    expect(call.followups).toBeUndefined();
    expect(JSON.stringify(call)).not.toContain(FOLLOWUP_PHONE);
  });

  it('hides another volunteer’s call, notes and the call log from a volunteer', async () => {
    expect((await bob.request('GET', `/api/calls/${callId}`)).statusCode).toBe(403);
    expect((await bob.request('GET', '/api/calls')).statusCode).toBe(403);
    const mine = (await bob.request('GET', '/api/calls/mine')).json();
    expect(mine.calls).toEqual([]);
    expect((await bob.request('PATCH', `/api/calls/${callId}`, { notes: 'overwritten' })).statusCode).toBe(403);
    // The same client id cannot be used to overwrite someone else's call either.
    expect((await bob.request('POST', '/api/calls', { ...storyOneCall(t, 'call-story-one-0001'), notes: 'mine now' })).statusCode).toBe(403);
    expect((await alice.request('GET', `/api/calls/${callId}`)).json().notes).toBe(NOTES);
  });

  it('lets a coordinator read notes in the filtered log, but not follow-up contacts', async () => {
    const log = await coordinator.request('GET', `/api/calls?ownerId=${alice.userId}&outcome=registered`);
    expect(log.statusCode).toBe(200);
    const [call] = log.json().calls;
    expect(call.notes).toBe(NOTES);
    expect(call.followups).toBeUndefined();
    expect((await coordinator.request('GET', '/api/calls?outcome=busy')).json().calls).toEqual([]);
    expect((await coordinator.request('GET', `/api/calls?ownerId=${bob.userId}`)).json().calls).toEqual([]);
  });

  it('shows follow-up contacts to an admin only', async () => {
    const call = (await admin.request('GET', `/api/calls/${callId}`)).json();
    expect(call.followups).toEqual([expect.objectContaining({ howToReach: FOLLOWUP_PHONE, offered: 'warn before planned arrests', shredded: false })]);
  });

  it('refuses bad input with a 4xx and stores nothing', async () => {
    const count = (await coordinator.request('GET', '/api/calls')).json().calls.length;
    const bad = [
      { ...storyOneCall(t, 'call-bad-0001'), phone: '12' },
      { ...storyOneCall(t, 'call-bad-0002'), outcome: 'exploded' },
      { ...storyOneCall(t, 'call-bad-0003'), notes: 'x'.repeat(20_001) },
      { ...storyOneCall(t, 'bad id; drop table calls') },
      { ...storyOneCall(t, 'call-bad-0005'), registrations: [{ ...storyOneCall(t, 'x').registrations[1], clientId: 'call-bad-0005-r', name: '111' }] },
    ];
    for (const body of bad) {
      const response = await alice.request('POST', '/api/calls', body);
      expect(response.statusCode, JSON.stringify(body).slice(0, 80)).toBeGreaterThanOrEqual(400);
      expect(response.statusCode).toBeLessThan(500);
      expect(response.body).not.toContain(NOTES);
    }
    expect((await coordinator.request('GET', '/api/calls')).json().calls.length).toBe(count);
    expect(await t.runtime.store.registry.statements.count()).toBe(2);
  });

  it('lets the owner edit for 24 hours, then locks the call', async () => {
    expect((await alice.request('PATCH', `/api/calls/${callId}`, { outcome: 'callback_requested' })).statusCode).toBe(204);
    // Sessions would time out if the clock moved a day; the call is made a day older instead.
    await t.runtime.store.calls.calls.update(callId, { created_at: t.clock() - 25 * 3_600_000 });
    expect((await alice.request('GET', '/api/calls/mine')).json().calls[0].editable).toBe(false);
    expect((await alice.request('PATCH', `/api/calls/${callId}`, { outcome: 'listened' })).statusCode).toBe(403);
    expect((await alice.request('GET', `/api/calls/${callId}`)).json().outcome).toBe('callback_requested');
  });

  it('shreds notes and follow-up details after the retention period and keeps the outcome', async () => {
    const later = t.clock() + 91 * 86_400_000;
    const result = await shredExpiredCallData({ ...t.runtime, clock: () => later }, { retentionDays: 90 });
    expect(result).toEqual({ notes: 1, followups: 1 });
    const call = (await admin.request('GET', `/api/calls/${callId}`)).json();
    expect(call.notes).toBeNull();
    const cli = await runCli(['calls', 'shred-expired'], t.env);
    expect(cli.code).toBe(0);
    expect(cli.stdout).toContain('Shredded the notes of 0 call(s)');
    expect(call.notesShredded).toBe(true);
    expect(call.followups[0].shredded).toBe(true);
    expect(call.outcome).toBe('callback_requested');
    expect(call.peopleRegistered).toBe(2);
  });

  it('versions talking points; only coordinators edit them', async () => {
    const script = { titleZh: '开场', titleEn: 'Opening', bodyZh: '您好', bodyEn: 'Hello' };
    expect((await alice.request('PUT', '/api/call-scripts/opening', script)).statusCode).toBe(403);
    expect((await coordinator.request('PUT', '/api/call-scripts/opening', script)).json().version).toBe(1);
    expect((await coordinator.request('PUT', '/api/call-scripts/opening', { ...script, bodyEn: 'Hello again' })).json().version).toBe(2);
    const scripts = (await alice.request('GET', '/api/call-scripts')).json().scripts;
    expect(scripts).toEqual([expect.objectContaining({ key: 'opening', version: 2, bodyEn: 'Hello again' })]);
  });
});
