import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaDay } from '../../../src/domain/counters/china-day';
import { runCli } from '../../support/cli';
import { type StaffSession, signUpStaff } from '../../support/staff';
import { type TestHotline, startTestHotline } from '../../support/test-runtime';
import { publicCounters, registryTestEnv } from './helpers';

// Story 2 of DOMAIN.md as the console registers it: 19 people, 8 Party members, 11 League and Pioneers members.
const story2 = {
  clientId: 'story2-wanshun-01',
  nameKind: 'pseudonym',
  name: '万顺',
  cohorts: [
    { count: 8, organizations: ['party'] },
    { count: 11, organizations: ['league', 'pioneers'] },
  ],
  region: '430121',
  occupation: 'government',
  channel: 'outbound',
  text: '县政府会议室里十九人一起三退',
  provenance: { kind: 'volunteer', callId: 'call-story-2', consent: 'personal' },
};

type Counts = Record<'people' | 'party' | 'league' | 'pioneers', number>;
interface ArchivedStatement {
  id: string;
  status: string;
  sequence: number;
  counts: Counts;
  correctedAt: number | null;
  correctedBy: string | null;
}

describe('the statement archive and corrections of a published statement', () => {
  let t: TestHotline;
  let volunteer: StaffSession;
  let coordinator: StaffSession;
  let auditor: StaffSession;
  let receiptCode: string;
  let statementId: string;
  beforeAll(async () => {
    t = await startTestHotline({ env: registryTestEnv });
    volunteer = await signUpStaff(t, 'volunteer');
    coordinator = await signUpStaff(t, 'coordinator');
    auditor = await signUpStaff(t, 'auditor');
    const registered = await volunteer.request('POST', '/api/statements', { statements: [story2] });
    expect(registered.statusCode).toBe(201);
    receiptCode = registered.json<{ statements: { receiptCode: string }[] }>().statements[0]?.receiptCode ?? '';
    // Another statement of the same day elsewhere, which the searches below must leave out.
    await volunteer.request('POST', '/api/statements', {
      statements: [{ ...story2, clientId: 'other-beijing-01', name: '如意', cohorts: [{ count: 1, organizations: ['party'] }], region: '110000', channel: 'hotline' }],
    });
  });
  afterAll(async () => {
    await t.close();
  });

  const search = async (query: string) => {
    const response = await coordinator.request('GET', `/api/statements?${query}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ statements: ArchivedStatement[] }>().statements;
  };
  const provinceCounts = async (code: string) => {
    await t.app.services.log.sequenceNow();
    const { provinces } = (await t.app.inject({ url: '/api/public/provinces' })).json<{ provinces: ({ provinceCode: string } & Counts)[] }>();
    const found = provinces.find((p) => p.provinceCode === code);
    return { people: found?.people ?? 0, party: found?.party ?? 0, league: found?.league ?? 0, pioneers: found?.pioneers ?? 0 };
  };

  it('finds a statement by its receipt code as read out (any case, spaces), and by day, province, status and channel', async () => {
    const byCode = await search(`receiptCode=${encodeURIComponent(receiptCode.toLowerCase().replaceAll('-', ' '))}`);
    expect(byCode.map((s) => s.counts)).toEqual([{ people: 19, party: 8, league: 11, pioneers: 11 }]);
    statementId = byCode[0]?.id ?? '';
    expect(await search('receiptCode=ABCD-EFGH-JKMN')).toEqual([]);
    const today = chinaDay(t.clock());
    expect((await search(`day=${today}`)).length).toBe(2);
    expect((await search('day=2001-01-01')).length).toBe(0);
    expect((await search(`province=430000&status=published&channel=outbound`)).map((s) => s.id)).toEqual([statementId]);
    expect((await search('channel=hotline')).map((s) => s.counts.people)).toEqual([1]);
    // One page at a time, newest first.
    const first = (await coordinator.request('GET', '/api/statements?limit=1')).json<{ statements: ArchivedStatement[]; next: string }>();
    const second = (await coordinator.request('GET', `/api/statements?limit=1&cursor=${encodeURIComponent(first.next)}`)).json<{ statements: ArchivedStatement[] }>();
    expect([...first.statements, ...second.statements].map((s) => s.id)).toContain(statementId);
    expect(first.statements[0]?.id).not.toBe(second.statements[0]?.id);
    expect((await coordinator.request('GET', '/api/statements?status=nonsense')).statusCode).toBe(400);
    expect((await volunteer.request('GET', '/api/statements')).statusCode).toBe(403);
  });

  it('corrects 11 League and Pioneers members to 10: counters, the public statement (marked corrected) and the feeds follow', async () => {
    const before = await publicCounters(t);
    const beforeHunan = await provinceCounts('430000');
    const corrected = await coordinator.request('POST', `/api/statements/${statementId}/correction`, {
      cohorts: [
        { count: 8, organizations: ['party'] },
        { count: 10, organizations: ['league', 'pioneers'] },
      ],
      reason: 'The caller counted again: ten League members, not eleven',
    });
    expect(corrected.statusCode, corrected.body).toBe(200);
    expect(corrected.json()).toMatchObject({ counts: { people: 18, party: 8, league: 10, pioneers: 10 }, status: 'published' });
    const minusOne = { people: -1, party: 0, league: -1, pioneers: -1 };
    const after = await publicCounters(t);
    for (const scope of ['total', 'today'] as const) {
      const change = Object.fromEntries(Object.keys(minusOne).map((key) => [key, (after[scope][key] ?? 0) - (before[scope][key] ?? 0)]));
      expect(change).toEqual(minusOne);
    }
    const hunan = await provinceCounts('430000');
    expect(hunan.league - beforeHunan.league).toBe(-1);
    expect(hunan.people - beforeHunan.people).toBe(-1);

    const [archived] = await search(`receiptCode=${receiptCode}`);
    expect(archived).toMatchObject({ sequence: expect.any(Number), correctedBy: coordinator.userId });
    const sequence = archived?.sequence ?? 0;
    const latest = (await t.app.inject({ url: '/api/public/statements?limit=5' })).json<{ statements: { sequence: number; counts: Counts; correctedAt: number | null }[] }>();
    expect(latest.statements.find((s) => s.sequence === sequence)).toMatchObject({ counts: { people: 18, league: 10 }, correctedAt: expect.any(Number) });

    const day = chinaDay(t.clock());
    const json = (await t.app.inject({ url: `/feeds/statements/${day}.json` })).json<{ statements: { sequence: number; counts: Counts; correctedAt: number | null }[] }>();
    expect(json.statements.find((s) => s.sequence === sequence)).toMatchObject({ counts: { people: 18, party: 8, league: 10, pioneers: 10 }, correctedAt: expect.any(Number) });
    const csv = (await t.app.inject({ url: `/feeds/statements/${day}.csv` })).body;
    expect(csv.split('\r\n')[0]).toBe('sequence,publicName,provinceCode,publishedAt,day,people,party,league,pioneers,text,correctedAt');
    expect(csv).toMatch(new RegExp(`^"${sequence}","万顺","430000","[^"]+","${day}","18","8","10","10","[^"]+","\\d{4}-`, 'm'));
    const rss = (await t.app.inject({ url: `/feeds/statements/${day}.rss?lang=en` })).body;
    expect(rss).toContain(`<title>#${sequence} 万顺 (corrected)</title>`);
    expect(rss).toContain('18 people: Party 8, League 10, Young Pioneers 10');
    const home = (await t.app.inject({ url: '/en/' })).body;
    expect(home).toContain('<span class="corrected">corrected</span>');

    // The registry's own check agrees with the counters after the correction.
    const rebuild = await runCli(['stats', 'rebuild'], t.env);
    expect(rebuild.stdout).not.toMatch(/difference/);
  });

  it('names who corrected, when, why, and the counts before and after in the audit log', async () => {
    const entries = (await auditor.request('GET', `/api/audit?entityId=${statementId}`)).json<{
      entries: { action: string; actorId: string; actorName: string; at: number; details: Record<string, unknown> }[];
    }>().entries;
    const entry = entries.find((e) => e.action === 'statement.corrected');
    expect(entry).toMatchObject({
      actorId: coordinator.userId,
      at: expect.any(Number),
      details: { countsBefore: [19, 8, 11, 11], countsAfter: [18, 8, 10, 10], reason: 'The caller counted again: ten League members, not eleven', regionBefore: '430121', regionAfter: '430121' },
    });
  });

  it('refuses a correction without a reason or a change, a pseudonym that mocks, and statements that count nobody, changing nothing', async () => {
    const before = await publicCounters(t);
    const correct = (body: unknown, id = statementId) => coordinator.request('POST', `/api/statements/${id}/correction`, body);
    expect((await correct({ cohorts: [{ count: 1, organizations: ['party'] }] })).statusCode).toBe(400);
    expect((await correct({ reason: 'nothing to change' })).statusCode).toBe(400);
    expect((await correct({ cohorts: [{ count: 0, organizations: ['party'] }], reason: 'x' })).statusCode).toBe(400);
    expect((await correct({ region: '999999', reason: 'x' })).statusCode).toBe(400);
    const mocking = await correct({ name: '习近平', reason: 'x' });
    expect(mocking.statusCode).toBe(400);
    expect(mocking.json()).toMatchObject({ error: { code: 'NAME_REFUSED' } });
    expect((await correct({ reason: 'x', region: '110000' }, 'no-such-statement')).statusCode).toBe(404);
    expect((await volunteer.request('POST', `/api/statements/${statementId}/correction`, { reason: 'x', region: '110000' })).statusCode).toBe(403);
    expect((await publicCounters(t)).total).toEqual(before.total);
  });

  it('moves a corrected region from one province to the other', async () => {
    const beforeHunan = await provinceCounts('430000');
    const beforeBeijing = await provinceCounts('110000');
    const moved = await coordinator.request('POST', `/api/statements/${statementId}/correction`, { region: '110105', reason: 'The office is in Beijing' });
    expect(moved.statusCode).toBe(200);
    expect((await provinceCounts('430000')).people - beforeHunan.people).toBe(-18);
    expect((await provinceCounts('110000')).people - beforeBeijing.people).toBe(18);
  });
});
