import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import {
  ensureConsoleBuilt,
  inviteLink,
  type ServerProcess,
  signUpInBrowser,
  startServerProcess,
  storedStatementCount,
} from '../support/console-server';

describe('volunteer console: drafts survive a server crash, and a call saves exactly once', () => {
  let server: ServerProcess;
  let browser: { browser: Browser; close(): Promise<void> };
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    ensureConsoleBuilt();
    server = await startServerProcess();
    browser = await launchBrowser();
    context = await browser.browser.newContext({ locale: 'en-US', viewport: { width: 1366, height: 768 } });
    page = await context.newPage();
    await signUpInBrowser(page, inviteLink(server, 'volunteer'), 'carol', 'Carol');
  });
  afterAll(async () => {
    await context.close();
    await browser.close();
    await server.close();
  });

  it('keeps everything typed through kill -9, a restart and a reload, then saves once even when the first answer is lost', async () => {
    await page.keyboard.type('0731 8888 1234');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Alt+A');
    await page.keyboard.press('Alt+P');
    await page.keyboard.press('Alt+R');
    await page.keyboard.type('李平');
    await page.keyboard.press('Alt+1');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Alt+K');
    await page.keyboard.type('They asked for the hotline number twice.');
    await page.keyboard.press('Alt+G');
    await page.keyboard.type('万顺');
    await page.keyboard.press('Tab');
    await page.keyboard.type('8');
    await page.keyboard.press('Tab');
    await page.keyboard.type('11');
    await expect.poll(() => page.locator('#reg-count-leaguePioneers').inputValue()).toBe('11');

    await server.kill();
    // Saving while the server is down says so and loses nothing.
    await page.keyboard.press('Alt+S');
    await page.getByText(/Not saved yet/).waitFor();

    await server.start();
    await page.reload();
    await page.getByText('On the call').waitFor();
    expect(await page.locator('.registrations li').first().textContent()).toContain('李平');
    expect(await page.locator('#notes').inputValue()).toBe('They asked for the hotline number twice.');
    expect(await page.locator('#reg-name').inputValue()).toBe('万顺');
    expect(await page.locator('#reg-count-party').inputValue()).toBe('8');
    expect(await page.locator('#reg-count-leaguePioneers').inputValue()).toBe('11');
    expect(await page.locator('.number').textContent()).toBe('+86 731****1234');

    await page.locator('#reg-name').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('people-count').textContent()).toBe('20 people');

    // The first save reaches the server but its answer is lost on the way back.
    let dropped = 0;
    await page.route('**/api/calls', async (route) => {
      if (dropped === 0 && route.request().method() === 'POST') {
        dropped += 1;
        await route.fetch();
        await route.abort('connectionreset');
        return;
      }
      await route.continue();
    });
    await page.keyboard.press('Alt+S');
    await page.getByText(/Not saved yet/).waitFor();
    expect(await storedStatementCount(server)).toBe(2);
    await page.keyboard.press('Alt+S');
    const saved = page.getByTestId('saved');
    await saved.waitFor();
    expect(dropped).toBe(1);
    expect(await storedStatementCount(server)).toBe(2);
    // The volunteer never saw the first answer: the retry shows both receipt codes to read out ...
    const codes = await saved.locator('code.receipt').allTextContents();
    expect(codes).toHaveLength(2);
    expect(new Set(codes).size).toBe(2);
    expect(await saved.textContent()).toContain('李平');
    expect(await saved.textContent()).toContain('万顺');
    // ... and each one is a real code: the caller can check the statement with it.
    for (const code of codes) {
      const lookup = await fetch(`${server.url}/api/public/receipts/lookup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code }),
      });
      expect(lookup.status, code).toBe(200);
    }
    // Codes are never kept in the browser.
    const stored = await page.evaluate(() => JSON.stringify(Object.entries(localStorage)));
    for (const code of codes) expect(stored).not.toContain(code);

    // The draft is gone after the confirmed save; a reload starts fresh.
    await page.reload();
    await page.getByRole('heading', { name: 'Start a call' }).waitFor();
    const mine = await page.evaluate(
      async () => (await (await fetch('/api/calls/mine')).json()) as { calls: { peopleRegistered: number; notes: string }[] },
    );
    expect(mine.calls).toHaveLength(1);
    expect(mine.calls[0]).toMatchObject({ peopleRegistered: 20, notes: 'They asked for the hotline number twice.' });
  });
});
