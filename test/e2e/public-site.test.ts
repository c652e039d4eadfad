import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config';
import { registerStatement } from '../../src/domain/statements/register-statement';
import { type RunningServer, startServer } from '../../src/server';
import { launchBrowser, recordRequests } from '../support/browser';
import { type StaffSession, signUpStaff } from '../support/staff';
import type { TestHotline } from '../support/test-runtime';
import { freePort } from '../support/free-port';


/** The bytes a response puts on the wire (body as sent, compressed or not) for `Accept-Encoding: gzip, br`. */
function transferredBytes(url: string): Promise<{ bytes: number; encoding: string | undefined; status: number }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers: { 'accept-encoding': 'gzip, br' } }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.on('end', () => {
        resolve({ bytes, encoding: res.headers['content-encoding'], status: res.statusCode ?? 0 });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

// Common characters in random order: text that compresses about as badly as real statements.
const CHARS = '我们你他她的是了在有这个人中国共产党退出自由真相善良希望平安声明组织团队少先队天地良心正义光明未来家庭父母孩子朋友同事工作生活时代历史';
function randomText(length: number, seed: number): string {
  let x = seed;
  return Array.from({ length }, () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return CHARS[x % CHARS.length];
  }).join('');
}

describe('the public site in Chromium', () => {
  let dir: string;
  let server: RunningServer;
  let base: string;
  let browser: Browser;
  let launched: Awaited<ReturnType<typeof launchBrowser>>;
  let coordinator: StaffSession;
  const contexts: BrowserContext[] = [];
  const requested: string[] = [];
  const receiptCodes: string[] = [];

  async function newPage(options: { javaScriptEnabled?: boolean } = {}): Promise<Page> {
    const context = await browser.newContext({ locale: 'zh-CN', javaScriptEnabled: options.javaScriptEnabled ?? true });
    contexts.push(context);
    const urls = recordRequests(context);
    context.on('close', () => requested.push(...urls));
    return context.newPage();
  }

  /** Publishes the pending statements through the staff API, as a coordinator does. */
  async function publishPending(): Promise<number[]> {
    const queue = await coordinator.request('GET', '/api/statements/moderation');
    expect(queue.statusCode).toBe(200);
    const sequences: number[] = [];
    for (const statement of (queue.json() as { statements: { id: string }[] }).statements) {
      const published = await coordinator.request('POST', `/api/statements/${statement.id}/publish`);
      expect(published.statusCode).toBe(200);
      sequences.push((published.json() as { sequence: number }).sequence);
    }
    return sequences;
  }

  async function lookUp(page: Page, code: string): Promise<string> {
    await page.goto(`${base}/receipt`);
    await page.fill('#code', code);
    await Promise.all([page.waitForLoadState('load'), page.click('form.lookup button[type=submit]')]);
    expect(page.url()).toBe(`${base}/receipt`);
    return page.locator('main').innerText();
  }

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'hotline-e2e-'));
    const config = loadConfig(
      {
        HOTLINE_DATA_DIR: path.join(dir, 'data'),
        HOTLINE_KEY_FILE: path.join(dir, 'secrets', 'hotline.keys'),
        HOTLINE_LOG_LEVEL: 'silent',
        HOTLINE_HOST: '127.0.0.1',
        PORT: String(await freePort()),
        HOTLINE_POW_DIFFICULTY: '12',
        HOTLINE_PUBLIC_SUBMIT_PER_MINUTE: '100',
      },
      dir,
    );
    server = await startServer(config, { print: () => {} });
    base = server.url;
    launched = await launchBrowser();
    browser = launched.browser;
    // signUpStaff drives the HTTP API in-process; the running server's app is the same app.
    const t = { app: server.app, runtime: server.runtime, clock: server.runtime.clock } as unknown as TestHotline;
    coordinator = await signUpStaff(t, 'coordinator');
    // Twenty published statements with long texts: the home page at its heaviest.
    for (let i = 0; i < 20; i++) {
      await registerStatement(server.runtime, {
        actor: null,
        input: {
          nameKind: 'pseudonym',
          name: i % 2 === 0 ? '金福' : '万顺',
          cohorts: [{ count: 1 + (i % 3), organizations: ['party', 'league'] }],
          region: '430121',
          channel: 'outbound',
          text: randomText(2000, i + 1),
          provenance: { kind: 'volunteer', consent: 'personal' },
        },
      });
    }
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await launched.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('takes a statement with JavaScript (proof of work, cascading regions), shows the code once, and the code shows the status', async () => {
    const page = await newPage();
    await page.goto(`${base}/submit`);
    await page.locator('[data-step]').waitFor({ state: 'hidden' }); // the lists follow each choice instead
    await page.click('[data-suggest]');
    expect((await page.inputValue('#name')).length).toBeGreaterThan(0);
    await page.check('input[name=organizations][value=party]');
    await page.selectOption('select[name=province]', '430000');
    // The prefecture list now holds only Hunan's prefectures, and the county list appears.
    await expect.poll(() => page.locator('select[name=prefecture] option').count()).toBeLessThan(30);
    await page.selectOption('select[name=prefecture]', '430100');
    await page.locator('select[name=county]').waitFor({ state: 'visible' });
    await page.selectOption('select[name=county]', '430121');
    await page.fill('#text', '我自愿退出中国共产党。');
    await page.check('input[name=consent]');
    const posted = page.waitForRequest((request) => request.method() === 'POST' && request.url() === `${base}/submit`);
    // Sent well within the 3 s a no-JS form must wait: only a solved proof of work gets through.
    await Promise.all([page.waitForURL(`${base}/submit`), page.click('form.statement-form button[type=submit]:not([name])')]);
    const form = new URLSearchParams((await posted).postData() ?? '');
    expect(form.get('powNonce')).toMatch(/^\d+$/);
    expect(form.get('powChallenge')).not.toBe('');
    const code = (await page.locator('[data-receipt-code]').innerText()).trim();
    receiptCodes.push(code);
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(page.url()).not.toContain(code);
    expect(await page.locator('h1').innerText()).toBe('声明已收到');

    expect(await lookUp(page, code)).toContain('已收到，正在等待审核');
    const [sequence] = await publishPending();
    expect(await lookUp(page, code.toLowerCase())).toContain(`已公开，编号第 ${sequence} 号`);
  });

  it('takes a statement without JavaScript (province, prefecture, then the county after \u201cshow counties\u201d), and a wrong code reveals nothing', async () => {
    const page = await newPage({ javaScriptEnabled: false });
    await page.goto(`${base}/submit`);
    await page.fill('#name', '平安');
    await page.check('input[name=organizations][value=league]');
    await page.check('input[name=organizations][value=pioneers]');
    await page.selectOption('select[name=province]', '430000');
    await page.selectOption('select[name=prefecture]', '430100');
    await page.fill('#peopleCount', '3');
    await page.fill('#text', '我自愿退出共青团和少先队。');
    await page.check('input[name=consent]');
    // Without script the county list is empty and hidden: the button fetches it.
    expect(await page.locator('select[name=county]').isVisible()).toBe(false);
    const pendingBefore = await server.runtime.store.registry.statements.count();
    await Promise.all([page.waitForURL(`${base}/submit#region`), page.click('button[name=step][value=regions]')]);
    expect(await server.runtime.store.registry.statements.count()).toBe(pendingBefore);
    expect(await page.locator('.alert').count()).toBe(0);
    // Everything typed is still there.
    expect(await page.inputValue('#name')).toBe('平安');
    expect(await page.inputValue('#peopleCount')).toBe('3');
    expect(await page.inputValue('#text')).toBe('我自愿退出共青团和少先队。');
    expect(await page.isChecked('input[name=organizations][value=pioneers]')).toBe(true);
    expect(await page.isChecked('input[name=consent]')).toBe(true);
    expect(await page.inputValue('select[name=prefecture]')).toBe('430100');
    await page.locator('select[name=county]').waitFor({ state: 'visible' });
    await page.selectOption('select[name=county]', '430121');
    await page.waitForTimeout(3_100); // a person takes longer than the form token's 3 s minimum
    await Promise.all([page.waitForURL(`${base}/submit`), page.click('form.statement-form button[type=submit]:not([name])')]);
    const code = (await page.locator('[data-receipt-code]').innerText()).trim();
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    receiptCodes.push(code);
    // Stored at the county that was chosen.
    const pending = await server.runtime.store.kysely.selectFrom('statements').select(['region_code', 'people']).where('status', '=', 'pending').execute();
    expect(pending).toEqual([{ region_code: '430121', people: 3 }]);

    expect(await lookUp(page, code)).toContain('已收到，正在等待审核');
    const [sequence] = await publishPending();
    expect(await lookUp(page, code)).toContain(`已公开，编号第 ${sequence} 号`);

    const wrong = await lookUp(page, 'ABCD-EFGH-JKMN');
    expect(wrong).toContain('没有找到与这个查询码对应的声明');
    expect(wrong).not.toMatch(/已公开|等待审核|未能公开/);
  });

  for (const javaScriptEnabled of [true, false]) {
    it(`refuses a leader's or the party's name as a pseudonym ${javaScriptEnabled ? 'with' : 'without'} JavaScript, saying why, storing nothing`, async () => {
      const page = await newPage({ javaScriptEnabled });
      const before = await server.runtime.store.registry.statements.count();
      for (const [path, name, reason] of [
        ['/submit', '毛泽东', '不能用党和国家领导人'],
        ['/zh-hant/submit', '習近平', '不能用黨和國家領導人'],
        ['/en/submit', 'Xi Jinping', 'cannot be signed with the name of a party or state leader'],
      ] as const) {
        await page.goto(`${base}${path}`);
        await page.fill('#name', name);
        await page.check('input[name=organizations][value=party]');
        await page.selectOption('select[name=province]', '430000');
        await page.check('input[name=consent]');
        if (!javaScriptEnabled) await page.waitForTimeout(3_100);
        await Promise.all([page.waitForLoadState('load'), page.click('form.statement-form button[type=submit]:not([name])')]);
        await page.locator('.alert').waitFor();
        expect(await page.locator('main').innerText()).toContain(reason);
        expect(await page.inputValue('#name')).toBe(name);
      }
      expect(await server.runtime.store.registry.statements.count()).toBe(before);
    });
  }

  it('updates the live total on an open home page when a statement is published', async () => {
    const page = await newPage();
    await page.goto(`${base}/`);
    const total = page.locator('[data-field="total.people"]');
    const before = Number((await total.innerText()).replace(/\D/g, ''));
    await page.locator('[data-live]').waitFor({ state: 'visible' }); // the stream is open
    // A mark that a reload would wipe.
    await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
    await registerStatement(server.runtime, {
      actor: null,
      input: { nameKind: 'pseudonym', name: '万顺', cohorts: [{ count: 8, organizations: ['party'] }, { count: 11, organizations: ['league', 'pioneers'] }], region: '430121', channel: 'outbound', text: '', provenance: { kind: 'volunteer', consent: 'personal' } },
    });
    await expect.poll(async () => Number((await total.innerText()).replace(/\D/g, '')), { timeout: 10_000 }).toBe(before + 19);
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
  });

  it('loads nothing from another host on any public page, and the home page weighs under 60 KB compressed', async () => {
    const page = await newPage();
    const homeRequests = recordRequests(page.context());
    const pages: [string, string, string[]][] = [
      ['/', 'zh-Hans', ['已声明退出中共及其附属组织的人数']],
      ['/zh-hant/', 'zh-Hant', ['已聲明退出中共及其附屬組織的人數']],
      ['/en/', 'en', ['People who have declared they quit the CCP']],
      ['/submit', 'zh-Hans', ['发表三退声明', '我本人自愿发表这份声明']],
      ['/zh-hant/submit', 'zh-Hant', ['發表三退聲明', '我本人自願發表這份聲明']],
      ['/en/submit', 'en', ['Make a statement', 'I make this statement of my own free will']],
      ['/receipt', 'zh-Hans', ['查询声明', '查询码']],
      ['/zh-hant/receipt', 'zh-Hant', ['查詢聲明', '查詢碼']],
      ['/en/receipt', 'en', ['Check a statement', 'Query code']],
    ];
    for (const [url, lang, strings] of pages) {
      await page.goto(`${base}${url}`);
      await page.waitForLoadState('load');
      expect(await page.getAttribute('html', 'lang'), url).toBe(lang);
      const text = await page.locator('body').innerText();
      for (const expected of strings) expect(text, url).toContain(expected);
    }
    expect(homeRequests).toEqual(expect.arrayContaining([`${base}/zh-hant/submit`, `${base}/en/receipt`]));
    await page.goto(`${base}/`);
    await page.waitForLoadState('networkidle').catch(() => undefined);
    for (const context of contexts) await context.close();
    contexts.length = 0;
    const origin = new URL(base).origin;
    expect(requested.length).toBeGreaterThan(10);
    const foreign = requested.filter((url) => new URL(url).origin !== origin);
    expect(foreign).toEqual([]);
    // No receipt code ever travelled in a URL.
    expect(receiptCodes).toHaveLength(2);
    for (const code of receiptCodes) expect(requested.filter((url) => url.toUpperCase().includes(code))).toEqual([]);

    // Everything the home page loaded, except the live stream, as transferred.
    const lastHome = homeRequests.lastIndexOf(`${base}/`);
    const assets = [...new Set(homeRequests.slice(lastHome))].filter((url) => !url.includes('/stream'));
    let total = 0;
    const lines: string[] = [];
    for (const url of assets) {
      const { bytes, encoding, status } = await transferredBytes(url);
      expect(status, url).toBe(200);
      expect(encoding, url).toMatch(/^(br|gzip)$/);
      total += bytes;
      lines.push(`  ${url.slice(origin.length)}: ${bytes} B (${encoding})`);
    }
    console.log(`Home page weight, compressed (HTML + assets, 20 statements of 2000 characters): ${(total / 1024).toFixed(1)} KB\n${lines.join('\n')}`);
    expect(assets.length).toBeGreaterThanOrEqual(3);
    expect(total).toBeLessThan(60 * 1024);
  });
});
