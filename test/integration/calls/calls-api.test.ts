import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shredExpiredCallData } from '../../../src/domain/calls/shred-expired';
import { CounterCache } from '../../../src/domain/counters/counter-cache';
import { runCli } from '../../support/cli';
import { rawDatabaseBytes } from '../../support/raw-database';
import { type StaffSession, signUpStaff } from '../../support/staff';
import { type TestHotline, startTestHotline, testDatabase } from '../../support/test-runtime';

interface SavedCall {
  callId: string;
  registrations: { statementId: string; receiptCode: string | null; isNew: boolean }[];
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
      {
        clientId: `${clientId}-r1`,
        nameKind: 'real',
        name: '王明',
        cohorts: [{ count: 1, organizations: ['party'] }],
        consent: 'personal',
      },
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
  let receiptCodes: string[];

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
    // The first answer may have been lost: the retry gives the volunteer the same codes to read out.
    receiptCodes = (saved as SavedCall).registrations.map((r) => r.receiptCode!);
    expect(retried.registrations.map((r) => r.receiptCode)).toEqual(receiptCodes);
    expect(retried.registrations.map((r) => r.isNew)).toEqual([false, false]);
    for (const code of receiptCodes) {
      const lookup = await t.app.inject({ method: 'POST', url: '/api/public/receipts/lookup', payload: { code } });
      expect(lookup.statusCode).toBe(200);
    }

    // The public counters are the sums at the latest signed log checkpoint.
    await t.app.services.log.sequenceNow();
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

  it('shows kept receipt codes to no one but the volunteer who registered them, and shreds them once read out', async () => {
    const body = storyOneCall(t, 'call-story-one-0001');
    // An admin may edit any call, but the codes are read out by the volunteer on the phone only.
    expect(((await admin.request('POST', '/api/calls', body)).json() as SavedCall).registrations.map((r) => r.receiptCode)).toEqual([
      null,
      null,
    ]);
    expect((await bob.request('POST', `/api/calls/${callId}/receipts-read`)).statusCode).toBe(404);
    expect((await alice.request('POST', `/api/calls/${callId}/receipts-read`)).json()).toEqual({ forgotten: 2 });
    const retried = (await alice.request('POST', '/api/calls', body)).json() as SavedCall;
    expect(retried.registrations.map((r) => r.receiptCode)).toEqual([null, null]);
    // Still registered once, and the codes still work for the caller.
    expect(await t.runtime.store.registry.statements.count()).toBe(2);
    const lookup = await t.app.inject({ method: 'POST', url: '/api/public/receipts/lookup', payload: { code: receiptCodes[0] } });
    expect(lookup.statusCode).toBe(200);
  });

  it('forgets kept receipt codes after a day even when nobody confirms', async () => {
    const story = storyOneCall(t, 'call-expiring-0001');
    const body = { ...story, notes: '', followups: [], registrations: [story.registrations[1]!] };
    const saved = (await alice.request('POST', '/api/calls', body)).json() as SavedCall;
    expect(saved.registrations[0]!.receiptCode).not.toBeNull();
    const result = await shredExpiredCallData({ ...t.runtime, clock: () => t.clock() + 24 * 3_600_000 + 1 }, { retentionDays: 90 });
    expect(result.receiptCodes).toBe(1);
    expect(((await alice.request('POST', '/api/calls', body)).json() as SavedCall).registrations[0]!.receiptCode).toBeNull();
  });

  it('derives the region of a +86 mobile from its prefix, and of a fixed line from its area code', async () => {
    const cases: [string, string | null, string][] = [
      ['186 7311 2345', '430100', 'Changsha'],
      ['+86 139 1234 5678', '320400', 'Changzhou'],
      ['13800138000', '110000', 'Beijing'],
      ['0755 2345 6789', '440300', 'Shenzhen'],
    ];
    for (const [phone, regionCode, english] of cases) {
      const info = await alice.request('POST', '/api/calls/number-info', { phone });
      expect(info.statusCode, phone).toBe(200);
      expect(info.json().region).toEqual(expect.objectContaining({ code: regionCode }));
      expect(info.json().region.name.en).toBe(english);
    }
    const hunan = (await alice.request('POST', '/api/calls/number-info', { phone: '18673112345' })).json();
    expect(hunan.region.name).toEqual({ en: 'Changsha', 'zh-Hans': '长沙市', 'zh-Hant': '長沙市' });
    expect(hunan.masked).toBe('+86 186****2345');
    expect((await alice.request('POST', '/api/calls/number-info', { phone: '12' })).statusCode).toBe(400);

    const saved = (
      await alice.request('POST', '/api/calls', {
        ...storyOneCall(t, 'call-mobile-0001'),
        phone: '186 7311 2345',
        notes: '',
        registrations: [],
        followups: [],
      })
    ).json() as SavedCall;
    const call = (await alice.request('GET', `/api/calls/${saved.callId}`)).json();
    expect(call.regionCode).toBe('430100');
    expect(call.region.name['zh-Hans']).toBe('长沙市');
  });

  it('carries the call in the statements’ provenance', async () => {
    const call = (await admin.request('GET', `/api/calls/${callId}`)).json() as { registrations: { statementId: string }[] };
    const statement = await t.runtime.store.registry.statements.findById(call.registrations[0]!.statementId);
    expect(JSON.stringify(statement)).toContain(callId);
  });

  it('keeps notes, the number, follow-up details and receipt codes out of the database file (SQLite) or a pg_dump in plain text', async () => {
    const raw = rawDatabaseBytes(t);
    // Proves the search reads the data: the circumvention tool is stored in clear.
    expect(raw.includes(Buffer.from('Freegate'))).toBe(true);
    expect(raw.includes(Buffer.from(NOTES))).toBe(false);
    for (const code of receiptCodes) expect(raw.includes(Buffer.from(code))).toBe(false);
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
    // Someone else's call answers exactly as a call that does not exist: ids reveal nothing.
    const others = await bob.request('GET', `/api/calls/${callId}`);
    const missing = await bob.request('GET', '/api/calls/no-such-call-id');
    expect([others.statusCode, missing.statusCode]).toEqual([404, 404]);
    expect(others.json()).toEqual(missing.json());
    expect((await bob.request('GET', '/api/calls')).statusCode).toBe(403);
    const mine = (await bob.request('GET', '/api/calls/mine')).json();
    expect(mine.calls).toEqual([]);
    expect((await bob.request('PATCH', `/api/calls/${callId}`, { notes: 'overwritten' })).statusCode).toBe(404);
    // The same client id cannot be used to overwrite someone else's call either.
    expect((await bob.request('POST', '/api/calls', { ...storyOneCall(t, 'call-story-one-0001'), notes: 'mine now' })).statusCode).toBe(
      404,
    );
    expect((await alice.request('GET', `/api/calls/${callId}`)).json().notes).toBe(NOTES);
  });

  it('lets a coordinator read notes in the filtered log, but not follow-up contacts', async () => {
    const log = await coordinator.request('GET', `/api/calls?ownerId=${alice.userId}&outcome=registered`);
    expect(log.statusCode).toBe(200);
    const call = (log.json() as { calls: { id: string; notes: string | null; followups?: unknown }[] }).calls.find((c) => c.id === callId)!;
    expect(call.notes).toBe(NOTES);
    expect(call.followups).toBeUndefined();
    expect((await coordinator.request('GET', '/api/calls?outcome=busy')).json().calls).toEqual([]);
    expect((await coordinator.request('GET', `/api/calls?ownerId=${bob.userId}`)).json().calls).toEqual([]);
  });

  it('shows follow-up contacts to an admin only', async () => {
    const call = (await admin.request('GET', `/api/calls/${callId}`)).json();
    expect(call.followups).toEqual([
      expect.objectContaining({ howToReach: FOLLOWUP_PHONE, offered: 'warn before planned arrests', shredded: false }),
    ]);
  });

  it('refuses bad input with a 4xx and stores nothing', async () => {
    const count = (await coordinator.request('GET', '/api/calls')).json().calls.length;
    const bad = [
      { ...storyOneCall(t, 'call-bad-0001'), phone: '12' },
      { ...storyOneCall(t, 'call-bad-0002'), outcome: 'exploded' },
      { ...storyOneCall(t, 'call-bad-0003'), notes: 'x'.repeat(20_001) },
      { ...storyOneCall(t, 'bad id; drop table calls') },
      {
        ...storyOneCall(t, 'call-bad-0005'),
        registrations: [{ ...storyOneCall(t, 'x').registrations[1], clientId: 'call-bad-0005-r', name: '111' }],
      },
    ];
    for (const body of bad) {
      const response = await alice.request('POST', '/api/calls', body);
      expect(response.statusCode, JSON.stringify(body).slice(0, 80)).toBeGreaterThanOrEqual(400);
      expect(response.statusCode).toBeLessThan(500);
      expect(response.body).not.toContain(NOTES);
    }
    expect((await coordinator.request('GET', '/api/calls')).json().calls.length).toBe(count);
    expect(await t.runtime.store.registry.statements.count()).toBe(3);
  });

  it('lets the owner correct who answered, what was handed out and add a forgotten person for 24 hours, then locks the call', async () => {
    const before = cache.snapshot().total;
    const edit = await alice.request('PATCH', `/api/calls/${callId}`, {
      outcome: 'callback_requested',
      orgType: 'court',
      occupation: 'judiciary',
      listeners: 3,
      handedOut: { hotlineNumberGiven: false, circumventionTool: 'Tor', materialsRequested: true },
      registrations: [
        {
          clientId: `${callId}-late`,
          nameKind: 'pseudonym',
          name: '平安',
          cohorts: [{ count: 1, organizations: ['pioneers'] }],
          consent: 'personal',
        },
      ],
    });
    expect(edit.statusCode).toBe(200);
    const [late] = (edit.json() as SavedCall).registrations;
    expect(late!.receiptCode).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    await t.app.services.log.sequenceNow();
    expect(cache.snapshot().total.people - before.people).toBe(1);
    const edited = (await alice.request('GET', `/api/calls/${callId}`)).json();
    expect(edited).toMatchObject({
      outcome: 'callback_requested',
      orgType: 'court',
      occupation: 'judiciary',
      listeners: 3,
      handedOut: { hotlineNumberGiven: false, circumventionTool: 'Tor', materialsRequested: true },
      peopleRegistered: 3,
      notes: NOTES,
    });
    // A correction with a careless pseudonym is refused whole: nothing of it is stored.
    const refused = await alice.request('PATCH', `/api/calls/${callId}`, {
      orgType: 'hospital',
      registrations: [
        {
          clientId: `${callId}-bad`,
          nameKind: 'pseudonym',
          name: '111',
          cohorts: [{ count: 1, organizations: ['party'] }],
          consent: 'personal',
        },
      ],
    });
    expect(refused.statusCode).toBe(400);
    expect((await alice.request('GET', `/api/calls/${callId}`)).json()).toMatchObject({ orgType: 'court', peopleRegistered: 3 });
    // Sessions would time out if the clock moved a day; the call is made a day older instead.
    await t.runtime.store.calls.calls.update(callId, { created_at: t.clock() - 25 * 3_600_000 });
    expect((await alice.request('GET', `/api/calls/${callId}`)).json().editable).toBe(false);
    const locked = await alice.request('PATCH', `/api/calls/${callId}`, { outcome: 'listened' });
    expect(locked.statusCode).toBe(403);
    expect(locked.json().error.code).toBe('CALL_LOCKED');
    expect(locked.json().error.details.lockedAt).toBeLessThan(t.clock());
    // A draft of the call retried after the lock says so too, instead of a bare refusal.
    const retried = await alice.request('POST', '/api/calls', storyOneCall(t, 'call-story-one-0001'));
    expect(retried.json().error.code).toBe('CALL_LOCKED');
    expect((await alice.request('GET', `/api/calls/${callId}`)).json().outcome).toBe('callback_requested');
  });

  it('shreds notes and follow-up details after the retention period and keeps the outcome', async () => {
    const later = t.clock() + 91 * 86_400_000;
    const result = await shredExpiredCallData({ ...t.runtime, clock: () => later }, { retentionDays: 90 });
    expect(result).toMatchObject({ notes: 1, followups: 1 });
    const call = (await admin.request('GET', `/api/calls/${callId}`)).json();
    expect(call.notes).toBeNull();
    const cli = await runCli(['calls', 'shred-expired'], t.env);
    expect(cli.code).toBe(0);
    expect(cli.stdout).toContain('Shredded the notes of 0 call(s)');
    expect(call.notesShredded).toBe(true);
    expect(call.followups[0].shredded).toBe(true);
    expect(call.outcome).toBe('callback_requested');
    expect(call.peopleRegistered).toBe(3);
  });

  it('versions talking points; only coordinators edit them', async () => {
    const script = { titleZh: '开场', titleEn: 'Opening', bodyZh: '您好', bodyEn: 'Hello' };
    expect((await alice.request('PUT', '/api/call-scripts/opening', script)).statusCode).toBe(403);
    expect((await coordinator.request('PUT', '/api/call-scripts/opening', script)).json().version).toBe(1);
    expect((await coordinator.request('PUT', '/api/call-scripts/opening', { ...script, bodyEn: 'Hello again' })).json().version).toBe(2);
    const scripts = (await alice.request('GET', '/api/call-scripts')).json().scripts;
    expect(scripts).toEqual([expect.objectContaining({ key: 'opening', version: 2, bodyEn: 'Hello again' })]);
  });

  it('keeps every version of every script, restores one as a new version, and converts the Chinese text for zh-Hant readers', async () => {
    const closing = { titleZh: '结束语', titleEn: 'Closing', bodyZh: '祝您全家平安，万事顺利。', bodyEn: 'Wishing your family safety.' };
    expect((await coordinator.request('PUT', '/api/call-scripts/closing', closing)).json().version).toBe(1);
    expect((await alice.request('GET', '/api/call-scripts/opening/versions')).statusCode).toBe(403);
    const { versions } = (await coordinator.request('GET', '/api/call-scripts/opening/versions')).json() as {
      versions: { version: number }[];
    };
    expect(versions.map((v) => v.version)).toEqual([2, 1, 0]);
    const restored = await coordinator.request('POST', '/api/call-scripts/opening/versions/1/restore');
    expect(restored.json().version).toBe(3);
    const { scripts } = (await alice.request('GET', '/api/call-scripts')).json() as {
      scripts: { key: string; version: number; bodyEn: string }[];
    };
    expect(scripts.map((s) => `${s.key}@${s.version}`)).toEqual(['closing@1', 'opening@3']);
    expect(scripts[1]!.bodyEn).toBe('Hello');
    const traditional = (await alice.request('GET', '/api/call-scripts?zh=hant')).json().scripts;
    expect(traditional[0].bodyZh).toBe('祝您全家平安，萬事順利。');
    expect(traditional[0].bodyEn).toBe('Wishing your family safety.');

    // A call stores the script and the version the volunteer had on screen; an unknown version is refused.
    const body = { ...storyOneCall(t, 'call-scripted-0001'), registrations: [], followups: [], scriptId: 'opening', scriptVersion: 2 };
    const saved = (await alice.request('POST', '/api/calls', body)).json() as SavedCall;
    expect((await alice.request('GET', `/api/calls/${saved.callId}`)).json().script).toEqual({ id: 'opening', version: 2 });
    expect((await alice.request('POST', '/api/calls', { ...body, clientId: 'call-scripted-0002', scriptVersion: 9 })).statusCode).toBe(400);
  });
});
