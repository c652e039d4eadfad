import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, recordRequests } from '../support/browser';
import {
  KeyCounter,
  ensureConsoleBuilt,
  inviteLink,
  type ServerProcess,
  settledCounters,
  signUpInBrowser,
  startServerProcess,
} from '../support/console-server';

interface Counts {
  people: number;
  party: number;
  league: number;
  pioneers: number;
}

/** A saved call as GET /api/calls/... returns it (the fields these stories check). */
interface StoredCall {
  id: string;
  direction: string;
  orgType: string | null;
  occupation: string | null;
  listeners: number | null;
  regionCode: string | null;
  region: { name: Record<string, string> } | null;
  outcome: string;
  peopleRegistered: number;
  handedOut: { hotlineNumberGiven: boolean; circumventionTool: string; materialsRequested: boolean };
  script: { id: string; version: number } | null;
  followups?: { howToReach: string; offered: string; name: string }[];
}

async function myCalls(page: Page): Promise<StoredCall[]> {
  return page.evaluate(async () => ((await (await fetch('/api/calls/mine')).json()) as { calls: StoredCall[] }).calls);
}

async function publicTotal(server: ServerProcess): Promise<Counts> {
  const response = await fetch(`${server.url}/api/public/counters`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { total: Counts }).total;
}

function delta(after: Counts, before: Counts): Counts {
  return {
    people: after.people - before.people,
    party: after.party - before.party,
    league: after.league - before.league,
    pioneers: after.pioneers - before.pioneers,
  };
}

describe('volunteer console: the two stories of DOMAIN.md, by keyboard only', () => {
  let server: ServerProcess;
  let browser: { browser: Browser; close(): Promise<void> };
  let context: BrowserContext;
  let page: Page;
  let requests: string[];
  /** The receipt code read out at the end of story 2. */
  let storyTwoCode = '';

  beforeAll(async () => {
    ensureConsoleBuilt();
    server = await startServerProcess();
    browser = await launchBrowser();
    context = await browser.browser.newContext({ locale: 'en-US', viewport: { width: 1366, height: 768 } });
    requests = recordRequests(context);
    page = await context.newPage();
    await signUpInBrowser(page, inviteLink(server, 'volunteer'), 'alice', 'Alice');
  });
  afterAll(async () => {
    await context.close();
    await browser.close();
    await server.close();
  });

  it('story 1: officer Wang under his real name and a co-worker on his word, hotline number, circumvention tool, follow-up contact', async () => {
    const before = (await settledCounters<{ total: Counts; checkpointSize: number }>(server)).total;
    const keys = new KeyCounter(page);
    await keys.type('010 6512 3456');
    await keys.press('Enter');
    await page.getByRole('button', { name: /Answered/ }).waitFor();
    await keys.press('Alt+A');
    await expect.poll(() => page.getByText('On the call').count()).toBe(1);
    await expect.poll(() => page.locator('.number').textContent()).toBe('+86 106***3456');
    await expect.poll(() => page.locator('.region').textContent()).toContain('Beijing');

    await keys.press('Alt+W');
    for (let i = 0; i < 4; i++) await keys.press('ArrowDown');
    expect(await page.locator('#org-type').inputValue()).toBe('police_station');
    await keys.press('Tab');
    await keys.press('ArrowDown');
    await keys.press('ArrowDown');
    expect(await page.locator('#occupation').inputValue()).toBe('police');

    // Wang: she offers a pseudonym, he insists on his real name; he is a party member.
    await keys.press('Alt+P');
    await expect.poll(() => page.locator('#reg-name').inputValue()).not.toBe('');
    await keys.press('Alt+R');
    await keys.type('王明');
    await keys.press('Alt+1');
    await keys.press('Enter');
    // His co-worker quits the League and Pioneers, registered on Wang's word.
    await keys.press('Alt+P');
    await keys.press('Alt+J');
    await keys.press('Alt+2');
    await keys.press('Alt+3');
    await keys.press('Alt+C');
    await keys.press('Enter');
    await expect.poll(() => page.getByTestId('people-count').textContent()).toBe('2 people');
    await expect.poll(() => page.locator('.registrations li').nth(1).textContent()).toContain('named by: Co-worker');

    await keys.press('Alt+H');
    await keys.press('Alt+V');
    await keys.type('Freegate');
    await keys.press('Alt+U');
    await keys.type('13912345678');
    await keys.press('Tab');
    await keys.type('warn before planned arrests');
    await keys.press('Enter');
    await keys.press('Alt+K');
    await keys.type('Party member, police. Colleague applied to the party.');
    await keys.press('Alt+X');
    await keys.press('Alt+S');

    const saved = page.getByTestId('saved');
    await saved.waitFor();
    await expect.poll(() => saved.locator('code.receipt').count()).toBe(2);
    expect(await saved.textContent()).toContain('王明');
    await expect.poll(async () => delta(await publicTotal(server), before)).toEqual({ people: 2, party: 1, league: 1, pioneers: 1 });

    // Everything typed reached the server: who answered, what was handed out, the script on screen.
    const [stored] = await myCalls(page);
    expect(stored).toMatchObject({
      direction: 'outbound',
      orgType: 'police_station',
      occupation: 'police',
      listeners: null,
      regionCode: '110000',
      outcome: 'registered',
      peopleRegistered: 2,
      handedOut: { hotlineNumberGiven: true, circumventionTool: 'Freegate', materialsRequested: false },
      script: { id: 'opening', version: 0 },
    });
    expect(stored!.region!.name.en).toBe('Beijing');
    // The follow-up contact is not readable by the volunteer who recorded it (an admin reads it below).
    expect(stored!.followups).toBeUndefined();

    // Saved once: My calls lists it, with the number masked and the registrations counted.
    await page.goto(`${server.url}/console/#/calls`);
    const rows = page.getByTestId('call-row');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('+86 106***3456');
    expect(await rows.first().getByTestId('notes-cell').textContent()).toContain('Party member, police');
    expect(await rows.first().getByTestId('followup-cell').textContent()).toBe('not visible to your role');
    await page.goto(`${server.url}/console/#/`);
    await page.getByRole('heading', { name: 'Start a call' }).waitFor();
  });

  it('story 2: nineteen officials in a county government meeting, in at most 40 keystrokes after the call is answered', async () => {
    const before = (await settledCounters<{ total: Counts; checkpointSize: number }>(server)).total;
    await page.locator('#phone').focus();
    await page.keyboard.type('0731 8888 1234');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: /Answered/ }).waitFor();
    await page.keyboard.press('Alt+A');
    await expect.poll(() => page.getByText('On the call').count()).toBe(1);

    const keys = new KeyCounter(page);
    await keys.press('Alt+G');
    await keys.type('万顺');
    await keys.press('Tab');
    await keys.type('8');
    await keys.press('Tab');
    await keys.type('11');
    await keys.press('Enter');
    await keys.press('Alt+W');
    await keys.press('ArrowDown');
    await keys.press('Tab');
    await keys.press('ArrowDown');
    await keys.press('Alt+L');
    await keys.type('19');
    await keys.press('Alt+X');
    await keys.press('Alt+S');

    const saved = page.getByTestId('saved');
    await saved.waitFor();
    expect(await saved.textContent()).toContain('万顺');
    expect(await saved.textContent()).toContain('19 people');
    await expect.poll(() => saved.locator('code.receipt').count()).toBe(1);
    storyTwoCode = (await saved.locator('code.receipt').textContent()) ?? '';
    expect(keys.count).toBe(18);
    expect(keys.count).toBeLessThanOrEqual(40);
    // Counted once the transparency log's next signed checkpoint holds it (within a second).
    await expect.poll(async () => delta(await publicTotal(server), before)).toEqual({ people: 19, party: 8, league: 11, pioneers: 11 });
    // Per province, in the API and on the public page: Beijing +2 (story 1), Hunan +19.
    const provinces = ((await (await fetch(`${server.url}/api/public/provinces`)).json()) as { provinces: { provinceCode: string; people: number; name: { en: string } }[] }).provinces;
    expect(provinces.map((p) => [p.provinceCode, p.people, p.name.en])).toEqual([
      ['430000', 19, 'Hunan'],
      ['110000', 2, 'Beijing'],
    ]);
    const home = await (await fetch(`${server.url}/en/`)).text();
    expect(home).toMatch(/<li data-province="430000"><span class="province-name">Hunan<\/span>.*<span class="province-count">19<\/span><\/li>/);
    expect(home).toMatch(/<li data-province="110000"><span class="province-name">Beijing<\/span>.*<span class="province-count">2<\/span><\/li>/);

    const stored = (await myCalls(page))[0]!;
    expect(stored).toMatchObject({
      orgType: 'county_government',
      occupation: 'government',
      listeners: 19,
      regionCode: '430100',
      outcome: 'registered',
      peopleRegistered: 19,
      handedOut: { hotlineNumberGiven: false, circumventionTool: '', materialsRequested: false },
    });
    expect(stored.region!.name['zh-Hans']).toBe('长沙市');
  });

  it("a coordinator finds story 2's statement by its receipt code and corrects 11 League and Pioneers members to 10: counters, the public statement and the feeds follow; an admin later erases it, still counted", async () => {
    const other = await browser.browser.newContext({ locale: 'en-US', viewport: { width: 1366, height: 768 } });
    const coordinator = await other.newPage();
    await signUpInBrowser(coordinator, inviteLink(server, 'coordinator'), 'carol', 'Carol');
    const before = (await settledCounters<{ total: Counts; checkpointSize: number }>(server)).total;
    await coordinator.getByRole('link', { name: 'Archive' }).click();
    await coordinator.getByTestId('archive-results').waitFor();
    // The code as a person reads it out over the phone: lower case, spaces.
    await coordinator.getByLabel('Receipt code').fill(storyTwoCode.toLowerCase().replaceAll('-', ' '));
    await coordinator.getByRole('button', { name: 'Search' }).click();
    const rows = coordinator.getByTestId('archive-row');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().getByTestId('archive-counts').innerText()).toBe('19: Party 8, League 11, Pioneers 11');
    expect(await rows.first().innerText()).toContain('万顺');
    await rows.first().getByRole('button', { name: 'Correct' }).click();
    const form = coordinator.getByTestId('correction-form');
    await form.getByTestId('cohort').nth(1).getByLabel('People').fill('10');
    await form.getByLabel('Why (kept in the audit log)').fill('The caller counted again: ten League members');
    await form.getByRole('button', { name: 'Save the correction' }).click();
    await coordinator.getByTestId('archive-notice').waitFor();
    await expect.poll(() => rows.first().getByTestId('archive-counts').innerText()).toBe('18: Party 8, League 10, Pioneers 10');
    expect(await rows.first().getByTestId('corrected-badge').innerText()).toBe('corrected');

    await expect.poll(async () => delta(await publicTotal(server), before)).toEqual({ people: -1, party: 0, league: -1, pioneers: -1 });
    const provinces = ((await (await fetch(`${server.url}/api/public/provinces`)).json()) as { provinces: { provinceCode: string; people: number }[] }).provinces;
    expect(provinces.find((p) => p.provinceCode === '430000')?.people).toBe(18);
    // The home page's list of latest statements is reused for up to 5 seconds: the correction shows within them.
    await expect
      .poll(async () => (await (await fetch(`${server.url}/en/`)).text()).match(/<strong class="who">万顺<\/strong>[^]*?<\/article>/)?.[0] ?? '', { timeout: 10_000 })
      .toMatch(/18 people[^]*<span class="corrected">corrected<\/span>/);
    type PublicStatement = { sequence: number; publicName: string; text: string; day: string; counts: { people: number }; correctedAt: number | null };
    const latestStatements = async () => ((await (await fetch(`${server.url}/api/public/statements?limit=5`)).json()) as { statements: PublicStatement[] }).statements;
    // Newest first: story 2's statement, even when story 1's co-worker drew 万顺 as a suggested pseudonym.
    const published = (await latestStatements()).find((s) => s.publicName === '万顺');
    expect(published).toMatchObject({ counts: { people: 18 }, correctedAt: expect.any(Number) });
    const feed = (await (await fetch(`${server.url}/feeds/statements/${published?.day ?? ''}.json`)).json()) as { statements: { sequence: number; counts: { league: number }; correctedAt: number | null }[] };
    expect(feed.statements.find((s) => s.sequence === published?.sequence)).toMatchObject({ counts: { league: 10 }, correctedAt: expect.any(Number) });
    const rss = await (await fetch(`${server.url}/feeds/statements/${published?.day ?? ''}.rss?lang=en`)).text();
    expect(rss).toContain('万顺 (corrected)');

    // The audit log names who and when.
    const admin = await browser.browser.newContext({ locale: 'en-US', viewport: { width: 1366, height: 768 } });
    const adminPage = await admin.newPage();
    await signUpInBrowser(adminPage, inviteLink(server, 'admin'), 'ada', 'Ada');
    await adminPage.getByRole('link', { name: 'Audit log' }).click();
    const entry = adminPage.locator('[data-testid=audit-entry][data-action="statement.corrected"]');
    await entry.waitFor();
    const cells = await entry.locator('td').allInnerTexts();
    expect(cells.slice(1, 4)).toEqual(['Carol', 'Corrected a statement', 'Statement']);
    expect(cells[0]).toMatch(/\d{4}/);

    // Later the official asks to be forgotten: an admin erases the statement and keeps it counted.
    const totalBeforeErasure = (await settledCounters<{ total: Counts; checkpointSize: number }>(server)).total;
    await adminPage.getByRole('link', { name: 'Archive' }).click();
    await adminPage.getByLabel('Receipt code').fill(storyTwoCode);
    await adminPage.getByRole('button', { name: 'Search' }).click();
    const adminRows = adminPage.getByTestId('archive-row');
    await expect.poll(() => adminRows.count()).toBe(1);
    await adminRows.first().getByTestId('erase-statement').click();
    const eraseForm = adminPage.getByTestId('erase-form');
    await eraseForm.getByLabel('it stays counted').check();
    adminPage.once('dialog', (dialog) => void dialog.accept());
    await eraseForm.getByRole('button', { name: 'Erase for good' }).click();
    await expect.poll(() => adminPage.getByTestId('archive-notice').innerText()).toBe('Erased. The statement stays counted, without name or text.');
    await expect.poll(() => adminPage.getByTestId('shredding').innerText()).toContain('still counted');
    expect(delta(await publicTotal(server), totalBeforeErasure)).toEqual({ people: 0, party: 0, league: 0, pioneers: 0 });
    // The public statement keeps its number without the name or the text (public lists are reused for up to 5 seconds).
    await expect
      .poll(async () => (await latestStatements()).find((s) => s.sequence === published?.sequence), { timeout: 10_000 })
      .toMatchObject({ publicName: '—', text: '', counts: { people: 18 } });
    await admin.close();
    await other.close();
  });

  it("shows another volunteer nothing of Alice's calls, a coordinator her notes but no follow-up contact, an admin the contact", async () => {
    const aliceCalls = await page.evaluate(async () => (await (await fetch('/api/calls/mine')).json()) as { calls: { id: string }[] });
    const storyOneId = aliceCalls.calls.at(-1)!.id;
    const asRole = async (link: string, username: string) => {
      const other = await browser.browser.newContext({ locale: 'en-US', viewport: { width: 1366, height: 768 } });
      const otherPage = await other.newPage();
      await signUpInBrowser(otherPage, link, username, username);
      return { other, otherPage };
    };

    const bob = await asRole(inviteLink(server, 'volunteer'), 'bob');
    await bob.otherPage.goto(`${server.url}/console/#/calls`);
    await bob.otherPage.getByText('No calls yet.').waitFor();
    expect(await bob.otherPage.getByRole('link', { name: 'Call log' }).count()).toBe(0);
    const forbidden = await bob.otherPage.evaluate(
      async (id) => [(await fetch(`/api/calls/${id}`)).status, (await fetch('/api/calls')).status],
      storyOneId,
    );
    // Her call answers like a missing one (ids reveal nothing); the call log is refused outright.
    expect(forbidden).toEqual([404, 403]);
    await bob.other.close();

    const coordinator = await asRole(inviteLink(server, 'coordinator'), 'dora');
    await coordinator.otherPage.goto(`${server.url}/console/#/log`);
    const rows = coordinator.otherPage.getByTestId('call-row');
    await expect.poll(() => rows.count()).toBe(2);
    const wangRow = rows.filter({ hasText: '+86 106***3456' });
    expect(await wangRow.getByTestId('notes-cell').textContent()).toContain('Party member, police');
    expect(await wangRow.getByTestId('followup-cell').textContent()).toBe('not visible to your role');
    expect(await wangRow.textContent()).toContain('Alice');
    const coordinatorNames = await coordinator.otherPage.locator('header nav a').allInnerTexts();
    await coordinator.other.close();

    const admin = await asRole(server.firstAdminLink!, 'root');
    await admin.otherPage.goto(`${server.url}/console/#/log`);
    const adminRow = admin.otherPage.getByTestId('call-row').filter({ hasText: '+86 106***3456' });
    await expect.poll(() => adminRow.getByTestId('followup-cell').textContent()).toContain('13912345678');
    // Read back through the API: story 1's contact exactly as typed, none for story 2.
    const followups = await admin.otherPage.evaluate(
      async (ids) => {
        const read = async (id: string) => ((await (await fetch(`/api/calls/${id}`)).json()) as StoredCall).followups;
        return [await read(ids[0]!), await read(ids[1]!)];
      },
      [storyOneId, aliceCalls.calls[0]!.id],
    );
    expect(followups).toEqual([
      [expect.objectContaining({ name: '', howToReach: '13912345678', offered: 'warn before planned arrests' })],
      [],
    ]);
    // The follow-up worklist: the admin contacts officer Wang's colleague and marks it done.
    await admin.otherPage.getByRole('link', { name: 'Follow-ups' }).click();
    const item = admin.otherPage.getByTestId('followup-row');
    await expect.poll(() => item.count()).toBe(1);
    expect(await item.innerText()).toContain('13912345678');
    expect(await item.innerText()).toContain('Alice');
    await item.getByRole('button', { name: 'Contacted' }).click();
    await admin.otherPage.getByText('Nobody waits to be contacted.').waitFor();
    await admin.otherPage.getByRole('button', { name: 'Contacted', pressed: false }).click();
    await expect.poll(() => item.count()).toBe(1);
    expect(await item.innerText()).toMatch(/Contacted \w+/);
    // A coordinator has no such page.
    expect(coordinatorNames).not.toContain('Follow-ups');
    await admin.other.close();
  });

  it('serves the console under a CSP that forbids inline scripts, with none in the page, and falls back to the app', async () => {
    for (const url of [`${server.url}/console/`, `${server.url}/console/some/deep/link`]) {
      const response = await fetch(url);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(response.headers.get('content-security-policy')).not.toContain('unsafe-inline');
      const html = await response.text();
      expect(html).toContain('<div id="root">');
      expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    }
  });

  it('loads the workspace with well under 600 KB of JavaScript (rarely used pages load when opened)', async () => {
    const html = await (await fetch(`${server.url}/console/`)).text();
    const scripts = [...html.matchAll(/<(?:script[^>]*\bsrc|link[^>]*rel="modulepreload"[^>]*\bhref)="([^"]+\.js)"/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    let bytes = 0;
    for (const src of scripts) bytes += Buffer.byteLength(await (await fetch(new URL(src, server.url))).text());
    // 2.3 MB before the region tables, opencc, pinyin and the full phone metadata left the bundle.
    expect(bytes).toBeLessThan(550_000);
  });

  it('loaded nothing from any other host', () => {
    const foreign = requests.filter((url) => !url.startsWith(server.url) && !url.startsWith('data:'));
    expect(foreign).toEqual([]);
  });
});
