import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { ensureConsoleBuilt, inviteLink, type ServerProcess, settledCounters, signUpInBrowser, startServerProcess } from '../support/console-server';
import { apiFromPage, seedCampaign } from '../support/page-api';

interface Counts {
  people: number;
  party: number;
  league: number;
  pioneers: number;
}
interface LoggedCall {
  clientId: string;
  direction: string;
  startedAt: number;
  answeredAt: number | null;
  endedAt: number | null;
  durationSeconds: number | null;
  timesSource: string | null;
  outcome: string;
  peopleRegistered: number;
  listeners: number | null;
  campaignId: string | null;
}

async function publicTotal(server: ServerProcess): Promise<Counts> {
  return ((await (await fetch(`${server.url}/api/public/counters`)).json()) as { total: Counts }).total;
}

/**
 * Records what the page does to ring: oscillators started (the ring tone is made in the browser)
 * and notifications shown. Installed before the console loads.
 */
function instrumentRinging(): void {
  const seen = { oscillators: 0, notifications: [] as string[] };
  (window as unknown as { __ring: typeof seen }).__ring = seen;
  const prototype = AudioContext.prototype as { createOscillator: (this: AudioContext) => OscillatorNode };
  const original = prototype.createOscillator;
  prototype.createOscillator = function (this: AudioContext) {
    seen.oscillators += 1;
    return original.call(this);
  };
  class RecordingNotification {
    static permission = 'granted';
    static requestPermission = () => Promise.resolve('granted');
    onclick: (() => void) | null = null;
    constructor(title: string) {
      seen.notifications.push(title);
    }
    close(): void {}
  }
  (window as unknown as { Notification: unknown }).Notification = RecordingNotification;
}

describe('a volunteer’s night shift in Chromium: ring, accept, register, save, see it in the log; then a campaign number from the workspace', () => {
  let server: ServerProcess;
  let browser: { browser: Browser; close(): Promise<void> };
  const contexts: BrowserContext[] = [];
  let mei: Page;
  let cora: Page;

  const signedIn = async (role: string, username: string, displayName: string, instrument = false) => {
    const context = await browser.browser.newContext({ locale: 'en-US', viewport: { width: 1366, height: 768 } });
    contexts.push(context);
    if (instrument) await context.addInitScript(instrumentRinging);
    const page = await context.newPage();
    await signUpInBrowser(page, inviteLink(server, role), username, displayName);
    return page;
  };

  beforeAll(async () => {
    ensureConsoleBuilt();
    server = await startServerProcess({ HOTLINE_DEMO_CALLS: 'true', HOTLINE_PHONE_NUMBER: '+1 416 555 0100' });
    browser = await launchBrowser();
    mei = await signedIn('volunteer', 'mei', 'Mei', true);
    cora = await signedIn('coordinator', 'cora', 'Cora');
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser.close();
    await server.close();
  });

  it('an inbound call rings on My calls, one key accepts it into a started record, story 1 is saved, and the log shows the server’s duration', async () => {
    // On duty from the board, then on to My calls, where the night is spent between calls.
    await mei.goto(`${server.url}/console/#/board`);
    await mei.getByRole('button', { name: 'Go on duty' }).click();
    await expect.poll(() => mei.getByRole('status').first().textContent()).toContain('Available');
    await mei.goto(`${server.url}/console/#/calls`);
    await mei.getByRole('heading', { name: 'My calls' }).waitFor();

    // A caller from Beijing (the coordinator plays the telephone network: demo mode).
    const before = (await settledCounters<{ total: Counts; checkpointSize: number }>(server)).total;
    expect((await apiFromPage(cora, 'POST', '/api/operations/queue/simulate', { event: 'arrive', callId: 'night-1', language: 'zh', fromNumber: '+861065123456' })).status).toBe(200);
    const banner = mei.getByTestId('incoming-call');
    await banner.waitFor({ timeout: 10_000 });
    await expect.poll(() => banner.textContent()).toContain('Beijing');
    expect(await banner.textContent()).toContain('Mandarin');
    // It rings: the tone is playing and a notification was shown.
    await expect.poll(() => mei.evaluate(() => (window as unknown as { __ring: { oscillators: number } }).__ring.oscillators)).toBeGreaterThan(0);
    expect(await mei.evaluate(() => (window as unknown as { __ring: { notifications: string[] } }).__ring.notifications)).toEqual(['Incoming call']);

    await mei.keyboard.press('Alt+KeyY');
    const acceptedAt = Date.now();
    // The workspace opens with the call's record started on the server, answered now.
    await mei.locator('.callbar').waitFor();
    expect(mei.url()).toMatch(/#\/$/);
    await expect.poll(() => mei.locator('.callbar .status').textContent()).toBe('On the call');
    expect(await mei.locator('.callbar .region').textContent()).toBe('Beijing');
    await expect.poll(() => mei.getByTestId('hotline-number').textContent()).toContain('+1 416 555 0100');
    expect(await banner.count()).toBe(0);

    // Story 1: officer Wang under his real name, his co-worker named on his word.
    const keys = mei.keyboard;
    await keys.press('Alt+P');
    await keys.press('Alt+R');
    await keys.type('王明');
    await keys.press('Alt+1');
    await keys.press('Enter');
    await keys.press('Alt+P');
    await keys.press('Alt+2');
    await keys.press('Alt+3');
    await keys.press('Alt+C');
    await keys.press('Enter');
    await expect.poll(() => mei.getByTestId('people-count').textContent()).toBe('2 people');
    await keys.press('Alt+H');
    await keys.press('Alt+V');
    await keys.type('Freegate');
    await mei.waitForTimeout(3_000);
    await keys.press('Alt+X');
    const endedAt = Date.now();
    await keys.press('Alt+S');
    await mei.getByTestId('saved').waitFor();
    await expect.poll(() => mei.getByTestId('saved').locator('code.receipt').count()).toBe(2);
    // Counted with the transparency log's next signed checkpoint (within a second).
    await expect.poll(() => publicTotal(server)).toEqual({ people: before.people + 2, party: before.party + 1, league: before.league + 1, pioneers: before.pioneers + 1 });

    // The call log: the duration the server measured (within 2 s of what the volunteer lived).
    const logged = ((await apiFromPage(cora, 'GET', '/api/calls')).json as { calls: LoggedCall[] }).calls[0]!;
    expect(logged).toMatchObject({ direction: 'inbound', outcome: 'registered', peopleRegistered: 2, timesSource: 'server' });
    const lived = (endedAt - acceptedAt) / 1000;
    expect(Math.abs(logged.durationSeconds! - lived)).toBeLessThanOrEqual(2);
    await cora.goto(`${server.url}/console/#/log`);
    const row = cora.getByTestId('call-row').first();
    await row.waitFor();
    const shown = `00:${String(logged.durationSeconds).padStart(2, '0')}`;
    expect(await row.getByTestId('duration-cell').textContent()).toBe(shown);
    expect(await row.textContent()).toContain('Hotline number given');
    // My calls shows the same duration.
    await mei.goto(`${server.url}/console/#/calls`);
    await expect.poll(() => mei.getByTestId('duration-cell').first().textContent()).toBe(shown);
    // The call is gone from the queue: the board shows nothing waiting, the volunteer in wrap-up or free.
    const board = (await apiFromPage(cora, 'GET', '/api/operations/board')).json as { waitingCalls: number; calls: unknown[] };
    expect(board).toMatchObject({ waitingCalls: 0, calls: [] });
  });

  it('a campaign number is claimed and called from the workspace, story 2 registered; campaign progress and the call log show the same outcome word', async () => {
    const campaignId = await seedCampaign(cora, 'Hunan county offices', [['+8673188881234', 'County government office', 'county_government']]);
    const before = (await settledCounters<{ total: Counts; checkpointSize: number }>(server)).total;
    await mei.goto(`${server.url}/console/#/`);
    const numbers = mei.getByTestId('workspace-numbers');
    await numbers.getByRole('button', { name: /Get the next 10 numbers|Get 10 numbers|next/i }).click();
    const task = numbers.getByTestId('task').first();
    await task.waitFor();
    expect(await task.textContent()).toContain('county government');
    expect(await task.textContent()).not.toContain('88881234');
    await task.getByRole('button', { name: 'Call' }).click();

    // No softphone on this server: the number shows to dial by hand, only while it rings.
    const dial = mei.getByTestId('dial-by-hand');
    await dial.waitFor();
    expect(await dial.textContent()).toContain('+8673188881234');
    expect(await mei.getByTestId('call-who').textContent()).toContain('County government office');
    await mei.keyboard.press('Alt+A');
    await expect.poll(() => dial.count()).toBe(0);
    expect(await mei.content()).not.toContain('88881234');

    // Story 2: nineteen officials, 8 party members, 11 League and Pioneers, under 万顺.
    const keys = mei.keyboard;
    await keys.press('Alt+G');
    await mei.locator('#reg-name').fill('万顺');
    await keys.press('Tab');
    await keys.type('8');
    await keys.press('Tab');
    await keys.type('11');
    await keys.press('Enter');
    await expect.poll(() => mei.getByTestId('people-count').textContent()).toBe('19 people');
    await keys.press('Alt+L');
    await keys.type('19');
    await keys.press('Alt+X');
    await keys.press('Alt+S');
    await mei.getByTestId('saved').waitFor();
    await expect.poll(() => publicTotal(server)).toEqual({ people: before.people + 19, party: before.party + 8, league: before.league + 11, pioneers: before.pioneers + 11 });

    // One outcome, two places: the campaign's attempt and the call log.
    const logged = ((await apiFromPage(cora, 'GET', `/api/calls?campaignId=${campaignId}`)).json as { calls: LoggedCall[] }).calls;
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ direction: 'outbound', outcome: 'registered', listeners: 19, peopleRegistered: 19, campaignId });
    await cora.goto(`${server.url}/console/#/campaigns`);
    const progress = cora.getByRole('row', { name: /Hunan county offices/ });
    await expect.poll(() => progress.getByTestId('campaign-states').textContent()).toContain('Done 1');
    await progress.locator('summary').click();
    const perDay = progress.getByTestId('outcomes-per-day');
    expect(await perDay.locator('thead').textContent()).toContain('Registered');
    await cora.goto(`${server.url}/console/#/log`);
    await cora.locator('#log-campaign').selectOption(campaignId);
    await expect.poll(() => cora.getByTestId('call-row').count()).toBe(1);
    expect(await cora.getByTestId('call-row').first().getByTestId('outcome-cell').textContent()).toBe('Registered');
    // The log exports what it shows.
    const csv = (await apiFromPage(cora, 'GET', `/api/calls/export.csv?campaignId=${campaignId}`)).json as string;
    expect(csv).toContain(',registered,19,');
    expect(csv).not.toContain('88881234');
  });

  it('refuses a leader’s name as a pseudonym in the workspace, saying why in the volunteer’s language', async () => {
    await mei.goto(`${server.url}/console/#/`);
    await mei.locator('#phone').waitFor();
    await mei.keyboard.press('Alt+KeyI');
    await mei.keyboard.press('Alt+KeyP');
    await mei.locator('#reg-name').fill('习近平');
    await mei.keyboard.press('Alt+Digit1');
    await mei.keyboard.press('Enter');
    const problem = mei.getByTestId('registration-problem');
    await expect.poll(() => problem.textContent()).toContain('name of a party or state leader');
    await mei.locator('.lang select').selectOption('zh-Hans');
    await expect.poll(() => problem.textContent()).toContain('声明不能用党和国家领导人的名字');
    expect(await mei.getByTestId('people-count').textContent()).toBe('0 人');
    await mei.locator('.lang select').selectOption('en');
  });
});
