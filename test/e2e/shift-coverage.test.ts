import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { zoneOffsetMinutes } from '../../src/shared/shift-coverage';
import { launchBrowser } from '../support/browser';
import { ensureConsoleBuilt, inviteLink, type ServerProcess, signUpInBrowser, startServerProcess } from '../support/console-server';

const cell = (page: Page, calendar: string, day: number, hour: number) => page.locator(`[data-testid="${calendar}"] td[data-day="${day}"][data-hour="${hour}"]`);
const gapCells = (page: Page, calendar: string) => page.locator(`[data-testid="${calendar}"] td[data-gap="true"]`);

/** Fills the minimum form (China time) and waits for the calendar to take it. */
async function setMinimum(page: Page, input: { day: string; hour: number; hours: number; minimum: number }): Promise<void> {
  const form = page.getByTestId('minimum-form');
  await form.getByLabel(/^Day/).selectOption({ label: input.day });
  await form.getByLabel('Start (hour, China time)').fill(String(input.hour));
  await form.getByLabel('Hours', { exact: true }).fill(String(input.hours));
  await form.getByLabel('Minimum', { exact: true }).fill(String(input.minimum));
  const saved = page.waitForResponse((response) => response.url().endsWith('/api/operations/shifts') && response.request().method() === 'GET');
  await form.getByRole('button', { name: 'Set minimum' }).click();
  await saved;
}

/** Fills the sign-up form (the hour in the form's time zone) and waits for the calendar to take it. */
async function signUpForShift(page: Page, input: { day: string; hour: number; hours: number; timeZone?: string }): Promise<void> {
  const form = page.getByTestId('signup-form');
  await form.getByLabel(/^Day/).selectOption({ label: input.day });
  await form.getByLabel('Start (hour, in the time zone below)').fill(String(input.hour));
  await form.getByLabel('Hours', { exact: true }).fill(String(input.hours));
  if (input.timeZone) await form.getByLabel('Time zone', { exact: true }).fill(input.timeZone);
  const saved = page.waitForResponse((response) => response.url().endsWith('/api/operations/shifts') && response.request().method() === 'GET');
  await form.getByRole('button', { name: 'Sign up' }).click();
  await saved;
}

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
    toronto = await browser.browser.newContext({ locale: 'en-US', timezoneId: 'America/Toronto', storageState: await shanghai.storageState(), viewport: { width: 1366, height: 900 } });
  });
  afterAll(async () => {
    await shanghai.close();
    await toronto.close();
    await browser.close();
    await server.close();
  });

  it('in Shanghai, a coordinator sets minimums and signs up through the forms; the uncovered Monday 08:00 hour is a gap, the covered 09:00 is not', async () => {
    const page = await shanghai.newPage();
    await page.goto(`${server.url}/console/#/shifts`);
    await page.getByRole('heading', { name: 'China time (UTC+8)' }).waitFor();
    // Before anything is set, every hour wants one volunteer and nobody has signed up.
    await expect.poll(() => page.getByTestId('gap-count').textContent()).toBe('168 hours of the week are gaps.');
    // Nobody is needed except Monday 08:00-10:00 China time, one person each.
    await setMinimum(page, { day: 'Monday', hour: 0, hours: 168, minimum: 0 });
    await expect.poll(() => page.getByTestId('gap-count').textContent()).toBe('0 hours of the week are gaps.');
    await setMinimum(page, { day: 'Monday', hour: 8, hours: 2, minimum: 1 });
    await expect.poll(() => page.getByTestId('gap-count').textContent()).toBe('2 hours of the week are gaps.');
    // Wen covers only 09:00-10:00, in her own zone (China time here).
    expect(await page.getByTestId('signup-form').getByLabel('Time zone', { exact: true }).inputValue()).toBe('Asia/Shanghai');
    await signUpForShift(page, { day: 'Monday', hour: 9, hours: 1 });
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
    expect(await gapCells(page, 'coverage-china').count()).toBe(1);
    // The viewer's own time is China time here: the same hour is the gap.
    await page.getByRole('heading', { name: 'Your time (Asia/Shanghai)' }).waitFor();
    expect(await cell(page, 'coverage-local', 0, 8).getAttribute('data-gap')).toBe('true');
    // The slot is listed in her zone.
    expect(await page.getByTestId('shift-slots').innerText()).toContain('Monday 09:00–10:00 (Asia/Shanghai)');
    await page.close();
  });

  it('in Toronto, the same gap shows on Sunday evening local time and still on Monday 08:00 in the China calendar; a Toronto sign-up closes it, removing it opens it again', async () => {
    const page = await toronto.newPage();
    await page.goto(`${server.url}/console/#/shifts`);
    await page.getByRole('heading', { name: 'Your time (America/Toronto)' }).waitFor();
    // Monday 00:00 UTC in Toronto: Sunday 19:00 in winter (UTC-5), 20:00 in summer (UTC-4).
    const hour = (24 + zoneOffsetMinutes('America/Toronto', Date.now()) / 60) % 24;
    const hourText = (h: number) => `${String(h).padStart(2, '0')}:00`;
    const gap = cell(page, 'coverage-local', 6, hour);
    await expect.poll(() => gap.getAttribute('data-gap')).toBe('true');
    expect(await gap.getAttribute('aria-label')).toBe(`Sunday ${hourText(hour)}: 0 of 1 volunteers, gap`);
    expect(await gap.innerText()).toContain('GAP');
    expect(await cell(page, 'coverage-local', 6, hour + 1).getAttribute('aria-label')).toBe(`Sunday ${hourText(hour + 1)}: 1 of 1 volunteers`);
    expect(await gapCells(page, 'coverage-local').count()).toBe(1);
    expect(await cell(page, 'coverage-china', 0, 8).getAttribute('data-gap')).toBe('true');

    // Signing up here takes the Toronto zone: Sunday at that hour, Toronto time, fills the gap.
    expect(await page.getByTestId('signup-form').getByLabel('Time zone', { exact: true }).inputValue()).toBe('America/Toronto');
    await signUpForShift(page, { day: 'Sunday', hour, hours: 1 });
    await expect.poll(() => page.getByTestId('gap-count').textContent()).toBe('0 hours of the week are gaps.');
    expect(await gap.getAttribute('data-gap')).toBe('false');
    expect(await cell(page, 'coverage-china', 0, 8).getAttribute('aria-label')).toBe('Monday 08:00: 1 of 1 volunteers');
    const list = page.getByTestId('shift-slots');
    expect(await list.innerText()).toContain(`Sunday ${hourText(hour)}–${hourText(hour + 1)} (America/Toronto)`);

    await list.getByRole('button', { name: `Remove the shift of Wen on Sunday at ${hourText(hour)}` }).click();
    await expect.poll(() => page.getByTestId('gap-count').textContent()).toBe('1 hour of the week is a gap.');
    expect(await gap.getAttribute('data-gap')).toBe('true');
    expect(await list.innerText()).not.toContain('America/Toronto');
    await page.close();
  });
});
