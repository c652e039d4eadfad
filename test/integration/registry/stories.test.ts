import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaDay } from '../../../src/domain/counters/china-day';
import { runCli } from '../../support/cli';
import { type StaffSession, signUpStaff } from '../../support/staff';
import { type TestHotline, startTestHotline } from '../../support/test-runtime';
import { publicCounters, registryTestEnv } from './helpers';

// The two acceptance stories of DOMAIN.md, entered the way the console sends them.
const story1 = [
  {
    clientId: 'story1-wang-0001',
    nameKind: 'real',
    name: '王建国',
    cohorts: [{ count: 1, organizations: ['party'] }],
    region: '110000',
    occupation: 'police',
    channel: 'outbound',
    text: '我是北京的警察，自愿退出中共',
    provenance: { kind: 'volunteer', callId: 'call-story-1', consent: 'personal' },
  },
  {
    clientId: 'story1-cowk-0002',
    nameKind: 'pseudonym',
    name: '如意',
    cohorts: [{ count: 1, organizations: ['league', 'pioneers'] }],
    region: '110000',
    channel: 'outbound',
    text: '',
    provenance: { kind: 'volunteer', callId: 'call-story-1', consent: 'named_by_other', relation: 'co-worker' },
  },
];
const story2 = [
  {
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
  },
];

type Counts = Record<'people' | 'party' | 'league' | 'pioneers', number>;
const diff = (after: Counts, before: Counts) => ({
  people: after.people - before.people,
  party: after.party - before.party,
  league: after.league - before.league,
  pioneers: after.pioneers - before.pioneers,
});

describe('the two stories of DOMAIN.md through the API', () => {
  let t: TestHotline;
  let volunteer: StaffSession;
  beforeAll(async () => {
    t = await startTestHotline({ env: registryTestEnv });
    volunteer = await signUpStaff(t, 'volunteer');
  });
  afterAll(async () => {
    await t.close();
  });

  const provinceCounts = async (code: string): Promise<Counts> => {
    const row = (await t.runtime.store.registry.counters.read(['province'])).find((entry) => entry.key === code);
    return { people: row?.people ?? 0, party: row?.party ?? 0, league: row?.league ?? 0, pioneers: row?.pioneers ?? 0 };
  };
  /** Every channel's counts; a channel never counted reads as zeros. */
  const channelCounts = async (): Promise<Record<string, Counts>> => {
    const rows = await t.runtime.store.registry.counters.read(['channel']);
    const zero = { people: 0, party: 0, league: 0, pioneers: 0 };
    const all: Record<string, Counts> = Object.fromEntries(['web', 'hotline', 'outbound', 'service_point', 'email', 'letter', 'fax', 'volunteer_batch'].map((channel) => [channel, zero]));
    for (const row of rows) all[row.key] = { people: row.people, party: row.party, league: row.league, pioneers: row.pioneers };
    return all;
  };
  /** Only `channel` moved, by `expected`. */
  const expectOnlyChannelMoved = (after: Record<string, Counts>, before: Record<string, Counts>, channel: string, expected: Counts) => {
    for (const [name, counts] of Object.entries(after)) {
      const previous = before[name] ?? { people: 0, party: 0, league: 0, pioneers: 0 };
      expect(diff(counts, previous), name).toEqual(name === channel ? expected : { people: 0, party: 0, league: 0, pioneers: 0 });
    }
  };
  const dailyToday = async (): Promise<Counts> => {
    const { days } = (await t.app.inject({ method: 'GET', url: '/api/public/daily?days=7' })).json<{ days: (Counts & { day: string })[] }>();
    const today = days.find((day) => day.day === chinaDay(t.clock()));
    return { people: today?.people ?? 0, party: today?.party ?? 0, league: today?.league ?? 0, pioneers: today?.pioneers ?? 0 };
  };

  it('story 1 moves the public total by +2 (party +1, League +1, Pioneers +1), today and Beijing too', async () => {
    const before = await publicCounters(t);
    const beforeDaily = await dailyToday();
    const beforeBeijing = await provinceCounts('110000');
    const beforeChannels = await channelCounts();
    const response = await volunteer.request('POST', '/api/statements', { statements: story1 });
    expect(response.statusCode).toBe(201);
    const { statements } = response.json<{ statements: { status: string; publicName: string; receiptCode: string }[] }>();
    expect(statements.map((s) => s.status)).toEqual(['published', 'published']);
    expect(statements[0]?.publicName).toBe('王*国');
    const after = await publicCounters(t);
    const expected = { people: 2, party: 1, league: 1, pioneers: 1 };
    expect(diff(after.total as Counts, before.total as Counts)).toEqual(expected);
    expect(diff(after.today as Counts, before.today as Counts)).toEqual(expected);
    expect(diff(await dailyToday(), beforeDaily)).toEqual(expected);
    expect(diff(await provinceCounts('110000'), beforeBeijing)).toEqual(expected);
    // Registered on an outbound call: the outbound channel moves, no other.
    expectOnlyChannelMoved(await channelCounts(), beforeChannels, 'outbound', expected);
    // A retried save (same client ids) changes nothing and does not show the receipt codes again.
    const retry = await volunteer.request('POST', '/api/statements', { statements: story1 });
    expect(retry.json<{ statements: { receiptCode: string | null }[] }>().statements.map((s) => s.receiptCode)).toEqual([null, null]);
    expect((await publicCounters(t)).total).toEqual(after.total);
  });

  it('story 2 moves it by +19 (party +8, League and Pioneers +11), today and in Hunan too', async () => {
    const before = await publicCounters(t);
    const beforeDaily = await dailyToday();
    const beforeHunan = await provinceCounts('430000');
    const beforeChannels = await channelCounts();
    const response = await volunteer.request('POST', '/api/statements', { statements: story2 });
    expect(response.statusCode).toBe(201);
    const after = await publicCounters(t);
    const expected = { people: 19, party: 8, league: 11, pioneers: 11 };
    expect(diff(after.total as Counts, before.total as Counts)).toEqual(expected);
    expect(diff(after.today as Counts, before.today as Counts)).toEqual(expected);
    expect(diff(await dailyToday(), beforeDaily)).toEqual(expected);
    expect(diff(await provinceCounts('430000'), beforeHunan)).toEqual(expected);
    expectOnlyChannelMoved(await channelCounts(), beforeChannels, 'outbound', expected);
    const latest = (await t.app.inject({ method: 'GET', url: '/api/public/statements?limit=1' })).json<{ statements: { publicName: string; provinceCode: string; counts: Counts }[] }>();
    expect(latest.statements[0]).toMatchObject({ publicName: '万顺', provinceCode: '430000', counts: expected });
  });

  it('hotline stats rebuild agrees, then finds and fixes a counter changed by hand', async () => {
    const clean = await runCli(['stats', 'rebuild'], t.env);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain('Counters agree with the statements');
    await t.runtime.store.registry.counters.add('province', '430000', { people: 3, party: 3, league: 0, pioneers: 0 });
    const fixing = await runCli(['stats', 'rebuild'], t.env);
    expect(fixing.code).toBe(0);
    expect(fixing.stdout).toContain('difference province 430000: stored people 22, party 11');
    expect(fixing.stdout).toContain('statements say people 19, party 8');
    expect(fixing.stdout).toContain('Fixed 1 counter(s)');
    const again = await runCli(['stats', 'rebuild'], t.env);
    expect(again.stdout).toContain('Counters agree with the statements');
    expect(await provinceCounts('430000')).toEqual({ people: 19, party: 8, league: 11, pioneers: 11 });
    // Three CLI processes: generous on a busy CI machine.
  }, 120_000);
});
