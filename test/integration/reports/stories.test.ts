import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaDay } from '../../../src/domain/counters/china-day';
import { readMySummary } from '../../../src/domain/reports/my-summary';
import { type StaffSession, signUpStaff } from '../../support/staff';
import { type TestHotline, startTestHotline, testDatabase } from '../../support/test-runtime';

const WANG = '王建国';
const WANG_PHONE = '010 6512 3456';
const MOBILE = '13912345678';

/** Story 1 of DOMAIN.md as the console saves it: a Beijing police station, Wang and a co-worker. */
function storyOne(now: number) {
  return {
    clientId: 'story-report-call-1',
    direction: 'outbound',
    phone: WANG_PHONE,
    orgType: 'police_station',
    occupation: 'police',
    outcome: 'registered',
    notes: `Wang ${WANG}, mobile ${MOBILE}`,
    quotable: '他说：我自己的名字，我自己做主。',
    handedOut: { hotlineNumberGiven: true, circumventionTool: 'Freegate', materialsRequested: false },
    startedAt: now - 30 * 60_000,
    answeredAt: now - 29 * 60_000,
    endedAt: now - 20 * 60_000,
    registrations: [
      { clientId: 'story-report-reg-1', nameKind: 'real', name: WANG, cohorts: [{ count: 1, organizations: ['party'] }], consent: 'personal' },
      {
        clientId: 'story-report-reg-2',
        nameKind: 'pseudonym',
        name: '如意',
        cohorts: [{ count: 1, organizations: ['league', 'pioneers'] }],
        consent: 'named_by_other',
        relation: 'coworker',
      },
    ],
    followups: [{ clientId: 'story-report-fu-1', name: '', howToReach: MOBILE, offered: 'warn before arrests' }],
  };
}

/** Story 2: a county government in Hunan (长沙县), a conference room, 66 minutes, 19 people under 万顺. */
function storyTwo(now: number) {
  return {
    clientId: 'story-report-call-2',
    direction: 'outbound',
    phone: '0731 8401 2345',
    orgType: 'county_government',
    occupation: 'government',
    listeners: 19,
    outcome: 'registered',
    notes: '',
    quotable: '电话是在县政府会议室里接的，正在开会，全屋的人都在听。',
    handedOut: { hotlineNumberGiven: true, circumventionTool: '', materialsRequested: false },
    startedAt: now - 80 * 60_000,
    answeredAt: now - 79 * 60_000,
    endedAt: now - 13 * 60_000,
    registrations: [
      {
        clientId: 'story-report-reg-3',
        nameKind: 'pseudonym',
        name: '万顺',
        cohorts: [
          { count: 8, organizations: ['party'] },
          { count: 11, organizations: ['league', 'pioneers'] },
        ],
        consent: 'personal',
      },
    ],
  };
}

interface StoryOut {
  id: string;
  status: string;
  content: Record<'en' | 'zh-Hans' | 'zh-Hant', { title: string; body: string }>;
  findings: { kind: string; text: string }[];
}

describe(`story drafts from the two calls of DOMAIN.md (${testDatabase})`, () => {
  let t: TestHotline;
  let volunteer: StaffSession;
  let coordinator: StaffSession;
  const callIds: string[] = [];
  let story: StoryOut;

  beforeAll(async () => {
    t = await startTestHotline();
    volunteer = await signUpStaff(t, 'volunteer');
    coordinator = await signUpStaff(t, 'coordinator');
    for (const call of [storyOne(t.clock()), storyTwo(t.clock())]) {
      const saved = await volunteer.request('POST', '/api/calls', call);
      expect(saved.statusCode, saved.body).toBe(200);
      callIds.push(saved.json<{ callId: string }>().callId);
    }
  });
  afterAll(async () => {
    await t.close();
  });

  it('drafts a story in Simplified Chinese with the facts of both calls and no name or number', async () => {
    expect((await volunteer.request('POST', '/api/stories', { callIds })).statusCode).toBe(403);
    const response = await coordinator.request('POST', '/api/stories', { callIds });
    expect(response.statusCode, response.body).toBe(201);
    story = response.json<StoryOut>();
    const zh = `${story.content['zh-Hans'].title}\n${story.content['zh-Hans'].body}`;
    // A Beijing police officer's call.
    expect(zh).toContain('北京市一个派出所');
    expect(zh).toContain('一位警察');
    // A Hunan county conference room.
    expect(zh).toMatch(/湖南省长沙市一个县政府/);
    expect(zh).toContain('会议室');
    // A 66-minute call, 19 people: 8 party members, 11 League and Pioneers members, as 万顺.
    expect(zh).toContain('通话持续了66分钟');
    expect(zh).toContain('共有19人声明三退');
    expect(zh).toContain('8人退党');
    expect(zh).toContain('11人退团、退队');
    expect(zh).toContain('“万顺”');
    expect(zh).toContain('两通电话，21人三退');
    // Neither Wang's real name nor any number of the calls, and no county (长沙县).
    for (const text of [zh, story.content['zh-Hant'].body, story.content.en.body]) {
      expect(text).not.toContain(WANG);
      expect(text).not.toContain('王');
      expect(text.replace(/\D/g, '')).not.toContain('65123456');
      expect(text.replace(/\D/g, '')).not.toContain(MOBILE);
      expect(text).not.toContain('长沙县');
    }
    expect(story.findings).toEqual([]);
    expect(story.content['zh-Hant'].body).toContain('萬順');
    expect(story.content.en.body).toContain('The call lasted 66 minutes');
    expect(story.content.en.body).toContain('under the pseudonym 万顺: 8 people left the Party, 11 people left the Youth League and the Young Pioneers');
  });

  it('finds a real name, a number and a county added by hand, and publishes only once each is kept on purpose', async () => {
    const edited = structuredClone(story.content);
    edited['zh-Hans'].body += `\n\n王警官（${WANG}）的办公电话是 010-6512-3456，手机是 139 1234 5678，另一个号码 021 5555 0199，住在长沙县。`;
    const saved = await coordinator.request('PUT', `/api/stories/${story.id}`, { content: edited });
    expect(saved.statusCode, saved.body).toBe(200);
    const findings = saved.json<StoryOut>().findings;
    expect(findings.map((f) => `${f.kind} ${f.text}`).sort()).toEqual(['followup 139 1234 5678', 'number 021 5555 0199', 'phone 010-6512-3456', 'place 长沙县', `real_name ${WANG}`]);
    expect((await coordinator.request('POST', `/api/stories/${story.id}/approve`)).statusCode).toBe(200);
    const refused = await coordinator.request('POST', `/api/stories/${story.id}/publish`, { keep: [WANG] });
    expect(refused.statusCode).toBe(409);
    expect(refused.json<{ error: { code: string } }>().error.code).toBe('STORY_HAS_PERSONAL_DETAILS');
    // Nothing was published by the refused attempt.
    expect((await t.app.inject({ method: 'GET', url: '/stories' })).body).not.toContain(WANG);
    // Taken out again, the story needs approving again and then publishes with nothing to keep.
    expect((await coordinator.request('PUT', `/api/stories/${story.id}`, { content: story.content })).json<StoryOut>().status).toBe('draft');
    expect((await coordinator.request('POST', `/api/stories/${story.id}/publish`, { keep: [] })).statusCode).toBe(409);
    expect((await coordinator.request('POST', `/api/stories/${story.id}/approve`)).statusCode).toBe(200);
    const published = await coordinator.request('POST', `/api/stories/${story.id}/publish`, { keep: [] });
    expect(published.statusCode, published.body).toBe(200);
    expect(published.json<StoryOut>().status).toBe('published');
  });

  it('shows the published story on the public Stories page and in its feed, in each language; publishing is audited', async () => {
    const zhPage = await t.app.inject({ method: 'GET', url: '/stories' });
    expect(zhPage.statusCode).toBe(200);
    expect(zhPage.body).toContain('两通电话，21人三退');
    expect(zhPage.body).toContain('万顺');
    expect(zhPage.body).not.toMatch(/https?:\/\/(?!localhost|127\.0\.0\.1)[^"' ]+\.(js|css)/);
    const hant = await t.app.inject({ method: 'GET', url: '/zh-hant/stories' });
    expect(hant.body).toContain('兩通電話');
    const en = await t.app.inject({ method: 'GET', url: `/en/stories/${story.id}` });
    expect(en.statusCode).toBe(200);
    expect(en.body).toContain('21 people quit the Party and its organizations in 2 calls');
    const feed = await t.app.inject({ method: 'GET', url: '/stories/feed.xml' });
    expect(feed.headers['content-type']).toContain('application/atom+xml');
    expect(feed.body).toContain('<title>两通电话，21人三退</title>');
    expect(feed.body).toContain(`/stories/${story.id}</id>`);
    expect((await t.app.inject({ method: 'GET', url: '/stories/no-such-story' })).statusCode).toBe(404);
    const audit = await t.runtime.store.audit.recent(100);
    expect(audit.map((row) => row.action)).toEqual(expect.arrayContaining(['story.drafted', 'story.approved', 'story.published']));
    // Withdrawn, it leaves the public page.
    expect((await coordinator.request('POST', `/api/stories/${story.id}/withdraw`)).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/stories' })).body).not.toContain('21人三退');
  });

  it('sums the two calls on the dashboard: Beijing 2 and Hunan 19, calls by outcome, in China time and in another zone', async () => {
    const today = chinaDay(t.clock());
    expect((await volunteer.request('GET', `/api/reports/dashboard?from=${today}&to=${today}`)).statusCode).toBe(403);
    const response = await coordinator.request('GET', `/api/reports/dashboard?from=${today}&to=${today}`);
    expect(response.statusCode, response.body).toBe(200);
    const dashboard = response.json<{ provinces: { code: string; people: number }[]; totals: { people: number; party: number }; callDays: { day: string; calls: number; outcomes: Record<string, number>; outbound: number }[]; channels: { channel: string; people: number }[] }>();
    expect(dashboard.provinces).toEqual([expect.objectContaining({ code: '430000', people: 19 }), expect.objectContaining({ code: '110000', people: 2 })]);
    expect(dashboard.totals).toMatchObject({ people: 21, party: 9 });
    expect(dashboard.channels).toEqual([expect.objectContaining({ channel: 'outbound', people: 21 })]);
    const callsToday = dashboard.callDays.reduce((sum, day) => sum + day.calls, 0);
    expect(callsToday).toBe(2);
    expect(dashboard.callDays.reduce((sum, day) => sum + (day.outcomes.registered ?? 0), 0)).toBe(2);
    // A call corrected afterwards moves in the hourly sums: from one outcome to the other, never counted twice.
    const [firstCall] = callIds;
    expect((await volunteer.request('PATCH', `/api/calls/${firstCall}`, { outcome: 'listened' })).statusCode).toBe(200);
    const corrected = (await coordinator.request('GET', `/api/reports/dashboard?from=${today}&to=${today}`)).json<{ callDays: { calls: number; outcomes: Record<string, number> }[] }>();
    const sum = (pick: (day: { calls: number; outcomes: Record<string, number> }) => number) => corrected.callDays.reduce((total, day) => total + pick(day), 0);
    expect([sum((d) => d.calls), sum((d) => d.outcomes.registered ?? 0), sum((d) => d.outcomes.listened ?? 0)]).toEqual([2, 1, 1]);
    const bad = await coordinator.request('GET', `/api/reports/dashboard?from=${today}&to=${today}&zone=Mars/Olympus`);
    expect(bad.statusCode).toBe(400);
    const elsewhere = await coordinator.request('GET', `/api/reports/dashboard?from=${today}&to=${today}&zone=America/Toronto`);
    expect(elsewhere.statusCode).toBe(200);
  });

  it("gives a volunteer their own figures and no one else's", async () => {
    const mine = await volunteer.request('GET', '/api/reports/mine');
    expect(mine.statusCode).toBe(200);
    const summary = mine.json<{ periods: { days: number; calls: number; people: number; talkMinutes: number }[]; followups: { open: number } }>();
    expect(summary.periods.find((p) => p.days === 7)).toMatchObject({ calls: 2, people: 21, talkMinutes: 75 });
    expect(summary.followups.open).toBe(1);
    const coordinatorOwn = (await coordinator.request('GET', '/api/reports/mine')).json<{ periods: { calls: number }[] }>();
    expect(coordinatorOwn.periods.every((p) => p.calls === 0)).toBe(true);
  });
});

describe(`reports for partners (${testDatabase})`, () => {
  let t: TestHotline;
  let volunteer: StaffSession;

  beforeAll(async () => {
    t = await startTestHotline();
    volunteer = await signUpStaff(t, 'volunteer');
    for (const call of [storyOne(t.clock()), storyTwo(t.clock())]) expect((await volunteer.request('POST', '/api/calls', call)).statusCode).toBe(200);
  });
  afterAll(async () => {
    await t.close();
  });

  it("lists today's totals on the reports page, as CSV and as a feed", async () => {
    const today = chinaDay(t.clock());
    const page = await t.app.inject({ method: 'GET', url: '/en/reports' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(new RegExp(`<th scope="row">${today}<br>.*?</th><td class="num">21</td><td class="num">9</td><td class="num">12</td><td class="num">12</td>`));
    expect(page.body).toContain(`/feeds/statements/${today}.csv`);
    const csv = await t.app.inject({ method: 'GET', url: '/feeds/daily.csv?days=3' });
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body.trimEnd().split('\r\n');
    expect(lines[0]).toBe('day,people,party,league,pioneers');
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe(`"${today}","21","9","12","12"`);
    const rss = await t.app.inject({ method: 'GET', url: '/feeds/daily.rss?lang=en&days=2' });
    expect(rss.headers['content-type']).toContain('application/rss+xml');
    expect(rss.body).toContain(`<title>${today}: 21 people (Party 9, League 12, Pioneers 12)</title>`);
    expect((await t.app.inject({ method: 'GET', url: '/feeds/daily.csv?days=0' })).statusCode).toBe(400);
  });

  it('prints the monthly report: totals by organization, channel and province', async () => {
    const month = chinaDay(t.clock()).slice(0, 7);
    const page = await t.app.inject({ method: 'GET', url: `/reports/${month}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('本月发布：21 人（退党 9，退团 12，退队 12）。');
    expect(page.body).toMatch(/<th scope="row">志愿者外呼<\/th><td class="num">21<\/td>/);
    expect(page.body).toMatch(/<th scope="row">湖南省<\/th><td class="num">19<\/td>/);
    expect(page.body).toMatch(/<th scope="row">北京市<\/th><td class="num">2<\/td>/);
    // Printed, the page drops the site's header, navigation and footer.
    const css = /<link rel="stylesheet" href="([^"]+)">/.exec(page.body)?.[1] ?? '';
    expect((await t.app.inject({ method: 'GET', url: css })).body).toMatch(/@media print \{\s*header\.top, footer\.foot/);
    expect((await t.app.inject({ method: 'GET', url: '/reports/2099-01' })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/reports/2026-13' })).statusCode).toBe(404);
  });
});

describe(`the dashboard's inbound queue and hours on duty (${testDatabase})`, () => {
  let t: TestHotline;
  let volunteer: StaffSession;
  let coordinator: StaffSession;

  beforeAll(async () => {
    t = await startTestHotline({ queue: {} });
    volunteer = await signUpStaff(t, 'volunteer');
  });
  afterAll(async () => {
    await t.close();
  });

  it('shows calls offered, answered and abandoned, the wait, and the hours on duty against the minimum', async () => {
    const queue = t.app.services.queue;
    const start = t.clock();
    await queue.goOnDuty({ agentId: volunteer.userId, role: 'volunteer' });
    t.clock.advance(60_000);
    await queue.callArrived({ callId: 'queued-1' });
    t.clock.advance(8_000);
    await queue.offerAccepted({ callId: 'queued-1', agentId: volunteer.userId });
    await queue.callAnswered({ callId: 'queued-1', agentId: volunteer.userId });
    t.clock.advance(5 * 60_000);
    await queue.callEnded('queued-1');
    t.clock.advance(60_000);
    await queue.callArrived({ callId: 'queued-2' });
    t.clock.advance(40_000);
    await queue.callerAbandoned('queued-2');
    t.clock.set(start + 2 * 3_600_000);
    await queue.goOffDuty(volunteer.userId);
    await queue.flush();
    // Signed in now: a session from two hours ago would have expired.
    coordinator = await signUpStaff(t, 'coordinator');

    const today = chinaDay(t.clock());
    const response = await coordinator.request('GET', `/api/reports/dashboard?from=${today}&to=${today}`);
    expect(response.statusCode, response.body).toBe(200);
    const dashboard = response.json<{
      queueDays: { offered: number; answered: number; abandoned: number; averageSpeedOfAnswerSeconds: number | null; abandonRate: number | null; serviceLevel: number | null }[];
      queueHours: { hour: number; offered: number }[];
      dutyDays: { dutyHours: number; volunteers: number }[];
      coverageGaps: { at: number; onDuty: number; minimum: number }[];
      coverageGapCount: number;
    }>();
    expect(dashboard.queueDays[0]).toMatchObject({ offered: 2, answered: 1, abandoned: 1, averageSpeedOfAnswerSeconds: 8, abandonRate: 0.5, serviceLevel: 0.5 });
    // 12:01 China time.
    expect(dashboard.queueHours.find((h) => h.offered > 0)).toMatchObject({ hour: 12, offered: 2 });
    expect(dashboard.dutyDays[0]).toMatchObject({ dutyHours: 2, volunteers: 1 });
    // On duty 04:00-06:00 UTC; every earlier hour of the China day had nobody (the minimum is 1).
    const gapHours = dashboard.coverageGaps.map((gap) => new Date(gap.at).toISOString().slice(11, 13));
    expect(gapHours).not.toContain('04');
    expect(gapHours).not.toContain('05');
    expect(gapHours).toContain('03');
    expect(dashboard.coverageGapCount).toBe(12);
    // The volunteer sees their own two hours on duty.
    // (Their browser session from two hours ago has expired: asked in-process.)
    const mine = await readMySummary(t.runtime, { actor: { id: volunteer.userId, role: 'volunteer', username: 'volunteer' } });
    expect(mine.periods.find((p) => p.days === 1)).toMatchObject({ dutyMinutes: 120 });
  });
});
