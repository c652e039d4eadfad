import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { zoneOffsetMinutes } from '../../src/shared/shift-coverage';
import { launchBrowser } from '../support/browser';
import { ensureConsoleBuilt, inviteLink, type ServerProcess, signUpInBrowser, startServerProcess } from '../support/console-server';

/** Calls the API from the signed-in page, the way the console does (cookie + CSRF header). */
async function apiFromPage(page: Page, method: string, url: string, body: unknown): Promise<number> {
  return page.evaluate(
    async ({ method, url, body }) => {
      const csrf = /(?:^|;\s*)hotline_csrf=([^;]+)/.exec(document.cookie)?.[1] ?? '';
      const response = await fetch(url, { method, headers: { 'content-type': 'application/json', 'x-csrf-token': csrf }, body: JSON.stringify(body) });
      return response.status;
    },
    { method, url, body },
  );
}

const cell = (page: Page, calendar: string, day: number, hour: number) => page.locator(`[data-testid="${calendar}"] td[data-day="${day}"][data-hour="${hour}"]`);

describe('shift coverage calendar in the browser', () => {
  let server: ServerProcess;
  let browser: { browser: Browser; close(): Promise<void> };
  let shanghai: BrowserContext;
  let toronto: BrowserContext;

  beforeAll(async () => {
    ensureConsoleBuilt();
    server = await startServerProcess();
    browser = await launchBrowser();
    shanghai = await browser.browser.newContext({ locale: 'en-US', timezoneId: 'Asia/Shanghai', viewport: { width: 1366, height: 900 } });
    const page = await shanghai.newPage();
    await signUpInBrowser(page, inviteLink(server, 'coordinator'), 'wen', 'Wen');
    // Nobody is needed except Monday 08:00-10:00 China time (UTC hours 0 and 1), one person each;
    // Wen covers only 09:00-10:00 China time (Monday 01:00 UTC).
    expect(await apiFromPage(page, 'PUT', '/api/operations/shifts/minimums', { hoursOfWeekUtc: Array.from({ length: 168 }, (_, h) => h), minimum: 0 })).toBe(204);
    expect(await apiFromPage(page, 'PUT', '/api/operations/shifts/minimums', { hoursOfWeekUtc: [0, 1], minimum: 1 })).toBe(204);
    expect(await apiFromPage(page, 'POST', '/api/operations/shifts', { weekday: 0, startMinute: 60, durationMinutes: 60, timeZone: 'UTC' })).toBe(201);
    toronto = await browser.browser.newContext({ locale: 'en-US', timezoneId: 'America/Toronto', storageState: await shanghai.storageState(), viewport: { width: 1366, height: 900 } });
  });
  afterAll(async () => {
    await shanghai.close();
    await toronto.close();
    await browser.close();
    await server.close();
  });

  it('in Shanghai, the uncovered Monday 08:00 hour is marked and labelled a gap, the covered 09:00 hour is not', async () => {
    const page = await shanghai.newPage();
    await page.goto(`${server.url}/console/#/shifts`);
    await page.getByRole('heading', { name: 'China time (UTC+8)' }).waitFor();
    await expect.poll(() => page.getByTestId('gap-count').textContent()).toBe('1 hour of the week is a gap.');
    const gap = cell(page, 'coverage-china', 0, 8);
    expect(await gap.getAttribute('data-gap')).toBe('true');
    expect(await gap.getAttribute('aria-label')).toBe('Monday 08:00: 0 of 1 volunteers, gap');
    expect(await gap.innerText()).toContain('0/1');
    expect(await gap.innerText()).toContain('GAP');
    expect(await gap.evaluate((element) => getComputedStyle(element).backgroundColor)).toBe('rgb(253, 226, 225)');
    const covered = cell(page, 'coverage-china', 0, 9);
    expect(await covered.getAttribute('aria-label')).toBe('Monday 09:00: 1 of 1 volunteers');
    expect(await covered.innerText()).not.toContain('GAP');
    expect(await page.locator('[data-testid="coverage-china"] td[data-gap="true"]').count()).toBe(1);
    // The viewer's own time is China time here: the same hour is the gap.
    await page.getByRole('heading', { name: 'Your time (Asia/Shanghai)' }).waitFor();
    expect(await cell(page, 'coverage-local', 0, 8).getAttribute('data-gap')).toBe('true');
    await page.close();
  });

  it('in Toronto, the same gap shows on Sunday evening local time, and still on Monday 08:00 in the China calendar', async () => {
    const page = await toronto.newPage();
    await page.goto(`${server.url}/console/#/shifts`);
    await page.getByRole('heading', { name: 'Your time (America/Toronto)' }).waitFor();
    // Monday 00:00 UTC in Toronto: Sunday 19:00 in winter (UTC-5), 20:00 in summer (UTC-4).
    const hour = (24 + zoneOffsetMinutes('America/Toronto', Date.now()) / 60) % 24;
    const hourText = `${String(hour).padStart(2, '0')}:00`;
    const gap = cell(page, 'coverage-local', 6, hour);
    await expect.poll(() => gap.getAttribute('data-gap')).toBe('true');
    expect(await gap.getAttribute('aria-label')).toBe(`Sunday ${hourText}: 0 of 1 volunteers, gap`);
    expect(await gap.innerText()).toContain('GAP');
    expect(await cell(page, 'coverage-local', 6, hour + 1).getAttribute('aria-label')).toBe(`Sunday ${String(hour + 1).padStart(2, '0')}:00: 1 of 1 volunteers`);
    expect(await page.locator('[data-testid="coverage-local"] td[data-gap="true"]').count()).toBe(1);
    expect(await cell(page, 'coverage-china', 0, 8).getAttribute('data-gap')).toBe('true');
    await page.close();
  });
});
