import type { Browser, BrowserContext, Page } from 'playwright-core';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli';
import { solvePow } from '../../../src/domain/statements/anti-abuse';
import { launchBrowser, recordRequests } from '../../support/browser';
import { ensureConsoleBuilt, inviteLink, type ServerProcess, settledCounters, signUpInBrowser, startServerProcess } from '../../support/console-server';

interface Counts {
  people: number;
  party: number;
  league: number;
  pioneers: number;
}

async function publicTotal(server: ServerProcess): Promise<Counts> {
  const response = await fetch(`${server.url}/api/public/counters`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { total: Counts }).total;
}

/** A statement sent through the public JSON API with a solved proof of work, as the site's script does. */
async function submitPublic(server: ServerProcess, statement: Record<string, unknown>): Promise<string> {
  const pow = (await (await fetch(`${server.url}/api/public/pow`)).json()) as { challenge: string; difficulty: number };
  const response = await fetch(`${server.url}/api/public/statements`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      organizations: ['party'],
      peopleCount: 1,
      region: '430121',
      text: '',
      consent: true,
      ...statement,
      pow: { challenge: pow.challenge, nonce: solvePow(pow.challenge, pow.difficulty) },
    }),
  });
  expect(response.status).toBe(201);
  const body = (await response.json()) as { receiptCode: string; status: string };
  // A held submission is never told it was held.
  expect(body.status).toBe('pending');
  return body.receiptCode;
}

describe('console moderation: publish, reject with a reason, mark as duplicate; threats for admins only', () => {
  let server: ServerProcess;
  let browser: { browser: Browser; close(): Promise<void> };
  const contexts: BrowserContext[] = [];
  const requests: string[] = [];
  let page: Page;
  const codes: string[] = [];

  async function receiptStatus(code: string): Promise<unknown> {
    const response = await fetch(`${server.url}/api/public/receipts/lookup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) });
    return response.json();
  }

  async function signedIn(role: 'coordinator' | 'admin', username: string): Promise<Page> {
    const context = await browser.browser.newContext({ locale: 'en-US', viewport: { width: 1366, height: 900 } });
    contexts.push(context);
    const urls = recordRequests(context);
    context.on('close', () => requests.push(...urls));
    const signedInPage = await context.newPage();
    await signUpInBrowser(signedInPage, inviteLink(server, role), username, username);
    await signedInPage.goto(`${server.url}/console/#/moderation`);
    await signedInPage.getByRole('heading', { name: 'Moderation' }).waitFor();
    return signedInPage;
  }

  const item = (p: Page, text: string) => p.getByTestId('moderation-item').filter({ hasText: text });

  beforeAll(async () => {
    ensureConsoleBuilt();
    server = await startServerProcess();
    browser = await launchBrowser();
    // A real name twice (the second a duplicate), a pseudonym group, and a threat.
    codes.push(await submitPublic(server, { nameKind: 'real', name: '张国强', organizations: ['party', 'league'], text: '我自愿退出中共和共青团。' }));
    codes.push(await submitPublic(server, { nameKind: 'real', name: '张 國強', organizations: ['party', 'league'] }));
    codes.push(await submitPublic(server, { nameKind: 'pseudonym', name: '如意', organizations: ['league', 'pioneers'], peopleCount: 3 }));
    codes.push(await submitPublic(server, { nameKind: 'pseudonym', name: '吉祥', text: '不公开就在你们楼下放炸弹' }));
    expect(await receiptStatus(codes[3] ?? '')).toEqual({ status: 'pending' });
    page = await signedIn('coordinator', 'carol');
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser.close();
    await server.close();
  });

  it('shows the queue with translated channels and no held statement to a coordinator', async () => {
    await expect.poll(() => page.getByTestId('moderation-item').count()).toBe(3);
    const first = item(page, '张*强').first();
    expect(await first.textContent()).toContain('Web form');
    expect(await first.textContent()).toContain('submitted by the person');
    expect(await first.textContent()).not.toContain('web ·');
    // The coordinator reads real names.
    expect(await first.textContent()).toContain('张国强');
    expect(await page.getByText('吉祥').count()).toBe(0);
    expect(await page.getByTestId('hold-reason').count()).toBe(0);
  });

  it('publishes one: the public counters move by its people', async () => {
    const before = (await settledCounters<{ total: Counts; checkpointSize: number }>(server)).total;
    await item(page, '张国强').getByRole('button', { name: 'Publish' }).click();
    await expect.poll(() => page.getByTestId('moderation-outcome').textContent()).toMatch(/^Published as No\. \d+\.$/);
    await expect.poll(() => page.getByTestId('moderation-item').count()).toBe(2);
    // Counted with the transparency log's next signed checkpoint (within a second).
    await expect.poll(() => publicTotal(server)).toEqual({ people: before.people + 1, party: before.party + 1, league: before.league + 1, pioneers: before.pioneers });
  });

  it("shows the submitter, in three languages on a laptop and a phone, the published statement's entry in the public log, with a proof file that verifies offline", async () => {
    const context = await browser.browser.newContext({ locale: 'en-US', acceptDownloads: true });
    contexts.push(context);
    const visitor = await context.newPage();
    const key = (await (await fetch(`${server.url}/log/key`)).text()).trim();
    const texts = { en: 'What it does not prove', 'zh-Hans': '它不证明', 'zh-Hant': '它不證明' } as const;
    const prefixes = { en: '/en', 'zh-Hans': '', 'zh-Hant': '/zh-hant' } as const;
    for (const locale of ['en', 'zh-Hans', 'zh-Hant'] as const) {
      for (const size of [{ name: 'laptop', width: 1366, height: 768 }, { name: 'phone', width: 390, height: 844 }]) {
        await visitor.setViewportSize({ width: size.width, height: size.height });
        await visitor.goto(`${server.url}${prefixes[locale]}/receipt`);
        await visitor.locator('#code').fill(codes[0] ?? '');
        await visitor.locator('form.lookup button').click();
        await visitor.locator('.log-proof').waitFor();
        expect(await visitor.locator('.log-proof').textContent()).toContain(texts[locale]);
        expect(await visitor.locator('.log-key').textContent()).toBe(key);
        // Nothing wider than the screen.
        expect(await visitor.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
        await visitor.screenshot({ path: path.resolve(import.meta.dirname, `../../../docs/screenshots/public-receipt-log-${locale}-${size.name}.png`), fullPage: true });
      }
    }
    const [download] = await Promise.all([visitor.waitForEvent('download'), visitor.locator('.log-proof form.download').first().locator('button').click()]);
    expect(download.suggestedFilename()).toMatch(/^statement-\d+\.tlog-proof$/);
    const file = path.join(tmpdir(), `hotline-${Date.now()}.tlog-proof`);
    await download.saveAs(file);
    const checked = await runCli(['log', 'check-proof', file, '--key', key], {});
    rmSync(file, { force: true });
    expect(checked.code, checked.stderr).toBe(0);
    expect(checked.stdout).toMatch(/^verified: entry \d+ is in /);
    expect(checked.stdout).toContain('hotline-statement/v1');
    expect(checked.stdout).toContain('name *');
  });

  it('marks the second statement under the same real name as a duplicate of the published one: the counters stay', async () => {
    const before = (await settledCounters<{ total: Counts; checkpointSize: number }>(server)).total;
    const duplicate = item(page, '张 國強');
    const candidate = duplicate.getByRole('radio');
    await expect.poll(() => candidate.count()).toBe(1);
    // Public name, number, status and date of the possible duplicate.
    const label = (await duplicate.locator('fieldset label').textContent()) ?? '';
    expect(label).toMatch(/张\*强 · No\. \d+ · published · \w{3} \d{1,2}, \d{4}/);
    const markButton = duplicate.getByRole('button', { name: 'Mark as duplicate of the chosen statement' });
    expect(await markButton.isDisabled()).toBe(true);
    await candidate.check();
    await markButton.click();
    await expect.poll(() => page.getByTestId('moderation-outcome').textContent()).toBe('Marked as a duplicate.');
    await expect.poll(() => page.getByTestId('moderation-item').count()).toBe(1);
    expect(await publicTotal(server)).toEqual(before);
  });

  it('rejects with a reason (the button waits for one): the counters stay, and the reason is kept', async () => {
    const before = (await settledCounters<{ total: Counts; checkpointSize: number }>(server)).total;
    const group = item(page, '如意');
    const reject = group.getByRole('button', { name: 'Reject' });
    expect(await reject.isDisabled()).toBe(true);
    await group.getByLabel('Reason for rejecting (the submitter sees it with their query code)').fill('Submitted twice by the same family');
    await reject.click();
    await expect.poll(() => page.getByTestId('moderation-outcome').textContent()).toBe('Rejected.');
    await page.getByText('Nothing waits for moderation.').waitFor();
    expect(await publicTotal(server)).toEqual(before);
    expect(await receiptStatus(codes[2] ?? '')).toEqual({ status: 'rejected', rejectionReason: 'Submitted twice by the same family' });
    expect(await receiptStatus(codes[1] ?? '')).toEqual({ status: 'rejected', rejectionReason: 'duplicate' });
    expect(await receiptStatus(codes[0] ?? '')).toMatchObject({ status: 'published' });
  });

  it('shows the held threat to an admin with its reason, in Chinese too, and only the admin publishes or rejects it', async () => {
    const before = (await settledCounters<{ total: Counts; checkpointSize: number }>(server)).total;
    const adminPage = await signedIn('admin', 'root2');
    const held = item(adminPage, '吉祥');
    await held.waitFor();
    expect(await held.getByTestId('hold-reason').textContent()).toBe('Held for admins: possible threat (bomb threat)');
    await adminPage.locator('.lang select').selectOption('zh-Hans');
    await expect.poll(() => held.getByTestId('hold-reason').textContent()).toBe('已暂扣，仅管理员审核：可能含有威胁（炸弹威胁）');
    expect(await held.textContent()).toContain('网站表单');
    await adminPage.locator('.lang select').selectOption('zh-Hant');
    await expect.poll(() => held.textContent()).toContain('網站表單');
    await adminPage.locator('.lang select').selectOption('en');
    await held.getByLabel('Reason for rejecting (the submitter sees it with their query code)').fill('Bomb threat');
    await held.getByRole('button', { name: 'Reject' }).click();
    await expect.poll(() => adminPage.getByTestId('moderation-outcome').textContent()).toBe('Rejected.');
    expect(await publicTotal(server)).toEqual(before);
  });

  it('loaded nothing from any other host', async () => {
    for (const context of contexts) await context.close();
    contexts.length = 0;
    expect(requests.length).toBeGreaterThan(5);
    expect(requests.filter((url) => !url.startsWith(server.url) && !url.startsWith('data:'))).toEqual([]);
  });
});
