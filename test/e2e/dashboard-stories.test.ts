import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, recordRequests } from '../support/browser';
import { ensureConsoleBuilt, inviteLink, type ServerProcess, signUpInBrowser, startServerProcess } from '../support/console-server';
import { apiFromPage } from '../support/page-api';
import { chooseLanguage, LOCALES, openScreen, SIZES } from '../support/screens';

/** Story 1 and story 2 of DOMAIN.md, as the console saves them. */
function storyCalls(now: number) {
  return [
    {
      clientId: 'dash-story-call-1',
      direction: 'outbound',
      phone: '010 6512 3456',
      orgType: 'police_station',
      occupation: 'police',
      outcome: 'registered',
      notes: '王建国 13912345678',
      quotable: '他坚持用自己的真名。',
      handedOut: { hotlineNumberGiven: true, circumventionTool: 'Freegate', materialsRequested: false },
      startedAt: now - 40 * 60_000,
      answeredAt: now - 39 * 60_000,
      endedAt: now - 30 * 60_000,
      registrations: [
        { clientId: 'dash-story-reg-1', nameKind: 'real', name: '王建国', cohorts: [{ count: 1, organizations: ['party'] }], consent: 'personal' },
        { clientId: 'dash-story-reg-2', nameKind: 'pseudonym', name: '如意', cohorts: [{ count: 1, organizations: ['league', 'pioneers'] }], consent: 'named_by_other', relation: 'coworker' },
      ],
      followups: [{ clientId: 'dash-story-fu-1', name: '', howToReach: '13912345678', offered: 'warnings' }],
    },
    {
      clientId: 'dash-story-call-2',
      direction: 'outbound',
      phone: '0731 8401 2345',
      orgType: 'county_government',
      occupation: 'government',
      listeners: 19,
      outcome: 'registered',
      quotable: '电话是在县政府会议室里接的，正在开会，全屋的人都在听。',
      handedOut: { hotlineNumberGiven: true, circumventionTool: '', materialsRequested: false },
      startedAt: now - 100 * 60_000,
      answeredAt: now - 99 * 60_000,
      endedAt: now - 33 * 60_000,
      registrations: [
        {
          clientId: 'dash-story-reg-3',
          nameKind: 'pseudonym',
          name: '万顺',
          cohorts: [
            { count: 8, organizations: ['party'] },
            { count: 11, organizations: ['league', 'pioneers'] },
          ],
          consent: 'personal',
        },
      ],
    },
  ];
}

/** A table's cells as the reader sees them, header first. */
async function tableCells(page: Page, id: string): Promise<string[][]> {
  return page.getByTestId(`table-${id}`).evaluate((element) =>
    Array.from(element.querySelectorAll('tr')).map((row) => Array.from(row.querySelectorAll('th, td')).map((cell) => (cell as HTMLElement).innerText.trim())),
  );
}

/** Parses RFC 4180 CSV: quoted cells may hold commas, doubled quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (quoted) {
      if (c === '"' && text.charAt(i + 1) === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text.charAt(i + 1) === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}

/** The CSV a table's export button downloads, parsed. */
async function exportedCsv(page: Page, id: string): Promise<string[][]> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(`csv-${id}`).click()]);
  return parseCsv(readFileSync((await download.path()) ?? '', 'utf8').replace(/^\uFEFF/, ''));
}

const PROVINCE_NAMES = {
  en: { beijing: 'Beijing', hunan: 'Hunan' },
  'zh-Hans': { beijing: '北京市', hunan: '湖南省' },
  'zh-Hant': { beijing: '北京市', hunan: '湖南省' },
} as const;

describe('coordinators: the dashboard and a story from the two calls of DOMAIN.md', () => {
  let server: ServerProcess;
  let browser: { browser: Browser; close(): Promise<void> };
  let context: BrowserContext;
  let page: Page;
  let requests: string[];

  beforeAll(async () => {
    ensureConsoleBuilt();
    server = await startServerProcess();
    browser = await launchBrowser();
    context = await browser.browser.newContext({ locale: 'en-US', timezoneId: 'America/Toronto', viewport: { width: 1366, height: 768 }, acceptDownloads: true });
    requests = recordRequests(context);
    page = await context.newPage();
    await signUpInBrowser(page, inviteLink(server, 'coordinator'), 'cora', 'Cora');
    for (const call of storyCalls(Date.now())) {
      const saved = await apiFromPage(page, 'POST', '/api/calls', call);
      expect(saved.status, JSON.stringify(saved.json)).toBe(200);
    }
  });
  afterAll(async () => {
    await context.close();
    await browser.close();
    await server.close();
  });

  it.each(LOCALES)('shows Beijing 2 and Hunan 19 on the map and in the table in %s, and every CSV equals its table', async (locale) => {
    await openScreen(page, '/');
    await chooseLanguage(page, locale);
    await page.setViewportSize({ width: 1366, height: 768 });
    await openScreen(page, '/dashboard');
    await page.getByTestId('table-provinces').waitFor();
    await expect.poll(() => page.locator('[data-code="430000"]').getAttribute('data-value')).toBe('19');
    expect(await page.locator('[data-code="110000"]').getAttribute('data-value')).toBe('2');
    expect(await page.locator('[data-code="310000"]').getAttribute('data-value')).toBe('0');
    const provinces = await tableCells(page, 'provinces');
    expect(provinces.slice(1).map((row) => [row[0], row[2]])).toEqual([
      [PROVINCE_NAMES[locale].hunan, '19'],
      [PROVINCE_NAMES[locale].beijing, '2'],
    ]);
    for (const id of ['statement-days', 'statement-channels', 'provinces', 'call-days', 'call-hours', 'queue-days', 'queue-hours', 'duty', 'gaps', 'campaigns']) {
      const cells = await tableCells(page, id);
      const csv = await exportedCsv(page, id);
      // An empty table shows one "nothing in this period" row; its CSV has the header alone.
      const shown = cells.length === 2 && cells[1]?.length === 1 ? cells.slice(0, 1) : cells;
      expect(csv, `${locale} ${id}`).toEqual(shown);
    }
    const callDays = await tableCells(page, 'call-days');
    expect(callDays.slice(1).reduce((sum, row) => sum + Number(row[1]), 0)).toBe(2);
    await page.screenshot({ path: `docs/screenshots/console-dashboard-${locale}-laptop.png`, fullPage: true });
    const phone = SIZES.find((size) => size.name === 'phone') ?? SIZES[0];
    await page.setViewportSize({ width: phone.width, height: phone.height });
    await page.waitForTimeout(300);
    await page.screenshot({ path: `docs/screenshots/console-dashboard-${locale}-phone.png`, fullPage: true });
    await page.setViewportSize({ width: 1366, height: 768 });
  });

  it('drafts a story from the two calls in the call log, publishes it, and the public Stories page shows it', async () => {
    await openScreen(page, '/');
    await chooseLanguage(page, 'zh-Hans');
    await openScreen(page, '/log');
    await expect.poll(() => page.getByTestId('select-call').count()).toBe(2);
    await page.getByTestId('select-call').nth(0).check();
    await page.getByTestId('select-call').nth(1).check();
    await page.getByTestId('draft-story').click();
    await page.locator('#story-body').waitFor();
    const body = await page.locator('#story-body').inputValue();
    for (const fact of ['北京市一个派出所', '一位警察', '湖南省长沙市一个县政府', '会议室', '66分钟', '共有19人声明三退', '8人退党', '11人退团、退队', '万顺']) expect(body).toContain(fact);
    expect(body).not.toContain('王建国');
    expect(body.replace(/\D/g, '')).not.toContain('65123456');
    await expect.poll(() => page.getByTestId('story-clean').count()).toBe(1);
    await page.screenshot({ path: 'docs/screenshots/console-story-draft-zh-Hans-laptop.png', fullPage: true });
    // A name typed in by hand is found before publishing.
    await page.locator('#story-body').fill(`${body}\n\n王建国说了这些话。`);
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByTestId('story-findings').waitFor();
    expect(await page.getByTestId('story-findings').innerText()).toContain('王建国');
    await page.locator('#story-body').fill(body);
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByTestId('story-clean').waitFor();
    await page.getByRole('button', { name: '批准' }).click();
    await expect.poll(() => page.getByTestId('story-status').textContent()).toBe('已批准');
    await page.getByRole('button', { name: '发布', exact: true }).click();
    await expect.poll(() => page.getByTestId('story-status').textContent()).toBe('已发布');

    const publicPage = await context.newPage();
    for (const [path, title] of [
      ['/stories', '两通电话，21人三退'],
      ['/zh-hant/stories', '兩通電話，21人三退'],
      ['/en/stories', '21 people quit the Party and its organizations in 2 calls'],
    ] as const) {
      await publicPage.goto(`${server.url}${path}`);
      expect(await publicPage.locator('main').innerText()).toContain(title);
    }
    await publicPage.goto(`${server.url}/stories`);
    await publicPage.screenshot({ path: 'docs/screenshots/public-stories-zh-Hans-laptop.png', fullPage: true });
    // The month's report for partners names the story and the two provinces.
    const month = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).format(Date.now());
    await publicPage.goto(`${server.url}/en/reports/${month}`);
    const report = await publicPage.locator('main').innerText();
    expect(report).toContain('21 people quit the Party and its organizations in 2 calls');
    expect(report).toMatch(/Hunan\s+19/);
    await publicPage.screenshot({ path: 'docs/screenshots/public-monthly-report-en-laptop.png', fullPage: true });
    const feed = await (await fetch(`${server.url}/stories/feed.xml`)).text();
    expect(feed).toContain('<title>两通电话，21人三退</title>');
    await publicPage.close();
    // Nothing came from another host.
    expect(requests.filter((url) => !url.startsWith(server.url) && !url.startsWith('blob:') && !url.startsWith('data:'))).toEqual([]);
  });
});
