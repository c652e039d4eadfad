import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config';
import { type RunningServer, startServer } from '../../src/server';
import { launchBrowser } from '../support/browser';
import { freePort } from '../support/free-port';
import { createPostgresDatabase } from '../support/test-runtime';

/**
 * The public form stores one statement however often a browser sends it, on both databases: a
 * double click (with and without JavaScript), a retry after the answer was lost, and the receipt
 * page reloaded (which sends the form again).
 */
describe.each(['sqlite', 'postgres'] as const)('the public form in Chromium stores each statement once (%s)', (database) => {
  let dir: string;
  let server: RunningServer;
  let launched: Awaited<ReturnType<typeof launchBrowser>>;
  let browser: Browser;
  let dropDatabase: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'hotline-e2e-once-'));
    const env: Record<string, string> = {
      HOTLINE_DATA_DIR: path.join(dir, 'data'),
      HOTLINE_KEY_FILE: path.join(dir, 'secrets', 'hotline.keys'),
      HOTLINE_LOG_LEVEL: 'silent',
      HOTLINE_HOST: '127.0.0.1',
      PORT: String(await freePort()),
      HOTLINE_POW_DIFFICULTY: '10',
    };
    if (database === 'postgres') {
      const pg = await createPostgresDatabase();
      env.HOTLINE_DATABASE_URL = pg.url;
      dropDatabase = () => pg.drop();
    }
    server = await startServer(loadConfig(env, dir), { print: () => {} });
    launched = await launchBrowser();
    browser = launched.browser;
  });

  afterAll(async () => {
    await launched?.close();
    await server?.close();
    await dropDatabase?.();
    rmSync(dir, { recursive: true, force: true });
  });

  const stored = () => server.runtime.store.registry.statements.count();
  const codeOn = async (page: Page) => (await page.locator('[data-receipt-code]').innerText()).trim();

  async function fillForm(page: Page, name: string, options: { javaScript: boolean; base?: string }): Promise<void> {
    await page.goto(`${options.base ?? server.url}/en/submit`);
    await page.fill('#name', name);
    await page.check('input[name=organizations][value=league]');
    await page.selectOption('select[name=province]', '110000');
    await page.fill('#text', 'I leave the League of my own will.');
    await page.check('input[name=consent]');
    // Without JavaScript the form's token is accepted 3 s after the page was served.
    if (!options.javaScript) await page.waitForTimeout(3_200);
  }

  /** Counts the statement posts that reach the server from a page. */
  function countPosts(page: Page): { count: number } {
    const posts = { count: 0 };
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/en/submit')) posts.count++;
    });
    return posts;
  }

  for (const javaScript of [true, false]) {
    it(`a double click ${javaScript ? 'with' : 'without'} JavaScript stores one statement and shows one receipt code`, async () => {
      const context = await browser.newContext({ javaScriptEnabled: javaScript });
      const page = await context.newPage();
      const posts = countPosts(page);
      // A slow link: each answer takes a second to come back, so the second click lands while the first is on its way.
      await page.route(`${server.url}/en/submit`, async (route) => {
        if (route.request().method() !== 'POST') return route.continue();
        const response = await route.fetch();
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        await route.fulfill({ response }).catch(() => {}); // the browser gave up on the first when the second was sent
      });
      await fillForm(page, javaScript ? 'Fu Shou' : 'Jin Fu', { javaScript });
      const before = await stored();
      // Two clicks of the mouse on the button, 300 ms apart, as a person does.
      const box = await page.locator('form.statement-form button[type=submit]:not([name])').boundingBox();
      if (!box) throw new Error('no send button');
      await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
      await page.waitForTimeout(300);
      await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
      await page.locator('[data-receipt-code]').waitFor();
      const code = await codeOn(page);
      expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
      // With JavaScript the second click is stopped in the page; without it the browser sends the form twice.
      expect(posts.count).toBe(javaScript ? 1 : 2);
      await expect.poll(stored).toBe(before + 1);
      await page.unrouteAll({ behavior: 'wait' });

      // Reloading the receipt page sends the form again: the same code, still one statement.
      await page.reload();
      expect(await codeOn(page)).toBe(code);
      expect(posts.count).toBe(javaScript ? 2 : 3);
      expect(await stored()).toBe(before + 1);
      await context.close();
    });
  }

  it('a retry after the answer was lost stores one statement and shows the code of the stored one', async () => {
    // The person reaches Hotline through a proxy (as through a circumvention tool) that loses the first answer to a statement.
    let lost = false;
    const proxy = createServer((request, response) => {
      const upstream = httpRequest(`${server.url}${request.url ?? '/'}`, { method: request.method, headers: request.headers }, (answer) => {
        if (request.method === 'POST' && request.url === '/en/submit' && !lost) {
          lost = true;
          answer.resume();
          response.writeHead(504, { 'content-type': 'text/plain' }).end('Gateway Timeout');
          return;
        }
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      });
      request.pipe(upstream);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const address = proxy.address();
    const proxied = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await fillForm(page, 'Chang Le', { javaScript: false, base: proxied });
    const before = await stored();
    await page.click('form.statement-form button[type=submit]:not([name])');
    await expect.poll(stored).toBe(before + 1);
    expect(await page.locator('body').innerText()).toContain('Gateway Timeout');
    // The person goes back to the form and finds it as they left it, except the name (never kept by the
    // browser, as on a shared computer it must not be), types the name again and sends it again.
    await page.goBack();
    expect(await page.inputValue('#text')).toBe('I leave the League of my own will.');
    expect(await page.isChecked('input[name=consent]')).toBe(true);
    expect(await page.inputValue('#name')).toBe('');
    await page.fill('#name', 'Chang Le');
    await page.click('form.statement-form button[type=submit]:not([name])');
    const code = await codeOn(page);
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(await stored()).toBe(before + 1);

    // The code is the stored statement's: the receipt page finds it.
    await page.goto(`${proxied}/en/receipt`);
    await page.fill('#code', code);
    await page.click('form.lookup button[type=submit]');
    await expect.poll(() => page.locator('main').innerText()).toContain('Received, waiting for review');
    await context.close();
    proxy.close();
  });
});
