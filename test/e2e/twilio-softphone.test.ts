import twilio from 'twilio';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser';
import { ensureConsoleBuilt, inviteLink, type ServerProcess, signUpInBrowser, startServerProcess } from '../support/console-server';

const AUTH_TOKEN = 'e2e-auth-token-0123456789abcdef';
const TWILIO_ENV = {
  HOTLINE_TWILIO_ACCOUNT_SID: `AC${'a'.repeat(32)}`,
  HOTLINE_TWILIO_AUTH_TOKEN: AUTH_TOKEN,
  HOTLINE_TWILIO_API_KEY_SID: `SK${'b'.repeat(32)}`,
  HOTLINE_TWILIO_API_KEY_SECRET: 'api-key-secret-0123456789',
  HOTLINE_TWILIO_TWIML_APP_SID: `AP${'c'.repeat(32)}`,
  HOTLINE_TWILIO_CALLER_ID: '+14165550100',
};
const CALLER = '+8613800138077';

/**
 * Twilio's Voice SDK talks only to Twilio's servers, which this test cannot reach: the page gets a
 * stand-in before the console loads (`window.HotlineTwilioVoiceSdk`). It registers at once, keeps
 * the tokens and the calls the console placed, and lets the test ring the phone or end a call.
 */
function installVoiceSdkStandIn(): void {
  type Handler = (...args: unknown[]) => void;
  class Emitter {
    private readonly handlers = new Map<string, Handler[]>();
    on(event: string, handler: Handler) {
      this.handlers.set(event, [...(this.handlers.get(event) ?? []), handler]);
      return this;
    }
    emit(event: string, ...args: unknown[]) {
      for (const handler of this.handlers.get(event) ?? []) handler(...args);
    }
  }
  class Call extends Emitter {
    muted = false;
    readonly asked: string[] = [];
    constructor(public parameters: Record<string, string>) {
      super();
    }
    accept() { this.asked.push('accept'); this.emit('accept', this); }
    reject() { this.asked.push('reject'); this.emit('reject'); }
    disconnect() { this.asked.push('disconnect'); this.emit('disconnect', this); }
    mute(on = true) { this.muted = on; this.asked.push(`mute ${String(on)}`); this.emit('mute', on, this); }
    isMuted() { return this.muted; }
    sendDigits(digits: string) { this.asked.push(`digits ${digits}`); }
  }
  const fake = { tokens: [] as string[], connects: [] as unknown[], calls: [] as Call[], device: undefined as Device | undefined };
  class Device extends Emitter {
    audio = { incoming: () => true, outgoing: () => true, disconnect: () => true };
    constructor(token: string) {
      super();
      fake.tokens.push(token);
      fake.device = this;
    }
    register() { setTimeout(() => this.emit('registered'), 0); return Promise.resolve(); }
    connect(options: { params: Record<string, string> }) {
      fake.connects.push(options);
      const call = new Call({ CallSid: `CA${'9'.repeat(32)}` });
      fake.calls.push(call);
      return Promise.resolve(call);
    }
    updateToken(token: string) { fake.tokens.push(token); }
    destroy() {}
  }
  const win = window as unknown as Record<string, unknown>;
  win.HotlineTwilioVoiceSdk = { Device };
  win.twilioStandIn = {
    ...fake,
    get tokens() { return fake.tokens; },
    get connects() { return fake.connects; },
    get calls() { return fake.calls; },
    ring(callSid: string) {
      const call = new Call({ CallSid: callSid });
      fake.calls.push(call);
      fake.device?.emit('incoming', call);
    },
    last() { return fake.calls.at(-1); },
  };
}

type StandIn = { tokens: string[]; connects: { params: Record<string, string> }[]; ring(callSid: string): void; last(): { asked: string[]; emit(event: string, ...args: unknown[]): void; parameters: Record<string, string> } | undefined };
const standIn = (page: Page) => page.evaluate(() => (window as unknown as { twilioStandIn: StandIn }).twilioStandIn as unknown as { tokens: string[]; connects: { params: Record<string, string> }[] });

describe('the console softphone on Twilio (with a stand-in for the Voice SDK)', () => {
  let server: ServerProcess;
  let browser: { browser: Browser; close(): Promise<void> };
  let context: BrowserContext;
  let page: Page;
  let volunteerId: string;
  const softphone = () => page.getByTestId('softphone');

  /** Posts a webhook the way Twilio does: form-encoded, signed over the full public URL. */
  async function webhook(path: string, params: Record<string, string>): Promise<string> {
    const url = `${server.url}${path}`;
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilio.getExpectedTwilioSignature(AUTH_TOKEN, url, params) },
      body: new URLSearchParams(params).toString(),
    });
    expect(response.status).toBeLessThan(300);
    return response.text();
  }

  beforeAll(async () => {
    ensureConsoleBuilt();
    server = await startServerProcess(TWILIO_ENV);
    browser = await launchBrowser();
    context = await browser.browser.newContext({ locale: 'en-US', viewport: { width: 1366, height: 768 } });
    await context.addInitScript(installVoiceSdkStandIn);
    page = await context.newPage();
    await signUpInBrowser(page, inviteLink(server, 'volunteer'), 'vera', 'Vera');
    volunteerId = await page.evaluate(async () => ((await (await fetch('/api/auth/me')).json()) as { user: { id: string } }).user.id);
  });
  afterAll(async () => {
    await context.close();
    await browser.close();
    await server.close();
  });

  it('registers with a Voice SDK token for the volunteer’s own identity', async () => {
    await expect.poll(() => softphone().getAttribute('data-registration'), { timeout: 15_000 }).toBe('registered');
    const [token] = (await standIn(page)).tokens;
    const grants = JSON.parse(Buffer.from(token!.split('.')[1]!, 'base64url').toString('utf8')).grants as { identity: string; voice: { incoming: { allow: boolean }; outgoing: { application_sid: string } } };
    expect(grants.identity).toBe(volunteerId);
    expect(grants.voice.incoming.allow).toBe(true);
    expect(grants.voice.outgoing.application_sid).toBe(TWILIO_ENV.HOTLINE_TWILIO_TWIML_APP_SID);
    // A SIP desk-phone account means nothing on Twilio.
    expect(await softphone().getByText('Desk phone settings').count()).toBe(0);
  });

  it('rings for the offered call, answers it with Alt+Y into the workspace, mutes, and shows the end', async () => {
    await page.evaluate(() => { (window as unknown as { twilioStandIn: StandIn }).twilioStandIn.ring(`CA${'1'.repeat(32)}`); });
    await softphone().getByRole('alertdialog', { name: 'Incoming call' }).waitFor();
    await page.keyboard.press('Alt+KeyY');
    const call = page.getByTestId('phone-call');
    await expect.poll(() => call.getAttribute('data-state')).toBe('established');
    await expect.poll(() => page.getByTestId('timer').isVisible()).toBe(true);
    // Mute and keypad work; hold and transfer are not offered on Twilio.
    await page.keyboard.press('Alt+KeyQ');
    await expect.poll(() => call.getByRole('button', { name: /Unmute/ }).count()).toBe(1);
    expect(await call.getByRole('button', { name: /Hold/ }).count()).toBe(0);
    expect(await call.getByRole('button', { name: /Transfer/ }).count()).toBe(0);
    await page.evaluate(() => {
      const last = (window as unknown as { twilioStandIn: StandIn }).twilioStandIn.last()!;
      last.emit('disconnect', last);
    });
    await softphone().getByText('The call has ended.').waitFor();
    const asked = await page.evaluate(() => (window as unknown as { twilioStandIn: StandIn }).twilioStandIn.last()!.asked);
    expect(asked).toEqual(['accept', 'mute true']);
    await expect.poll(() => page.locator('.callbar .status').textContent()).toBe('Call ended');
    await page.getByRole('button', { name: 'Discard draft' }).click();
  });

  it('refuses a number not assigned to the volunteer with a clear message, and places no call', async () => {
    const field = softphone().getByPlaceholder('Number to dial');
    await field.fill('+86 20 5555 0000');
    await softphone().getByRole('button', { name: 'Call', exact: true }).click();
    const refusal = page.getByTestId('phone-refusal');
    await refusal.waitFor({ timeout: 10_000 });
    expect(await refusal.textContent()).toBe('This number is not assigned to you. Claim it on the campaigns page first.');
    expect((await standIn(page)).connects).toEqual([]);
  });

  it('dials a claimed campaign number with Alt+D: the Voice SDK gets a one-use ticket, Twilio the number', async () => {
    // A coordinator makes a campaign callable around the clock (the test runs at any hour) on a one-number list.
    const coordinator = await context.browser()!.newContext({ locale: 'en-US' });
    const coordinatorPage = await coordinator.newPage();
    await signUpInBrowser(coordinatorPage, inviteLink(server, 'coordinator'), 'cora', 'Cora');
    const campaignId = await coordinatorPage.evaluate(async (number) => {
      const csrf = /(?:^|;\s*)hotline_csrf=([^;]+)/.exec(document.cookie)?.[1] ?? '';
      const imported = await fetch('/api/operations/lists/import?name=Twilio%20list', { method: 'POST', headers: { 'content-type': 'text/csv', 'x-csrf-token': csrf }, body: `number,organization,category\n${number},County office,government\n` });
      const { listId } = (await imported.json()) as { listId: string };
      const created = await fetch('/api/operations/campaigns', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
        body: JSON.stringify({ name: 'Twilio test', listIds: [listId], windowStartMinute: 0, windowEndMinute: 1440 }),
      });
      return ((await created.json()) as { id: string }).id;
    }, CALLER);
    expect(campaignId).toEqual(expect.any(String));
    await coordinator.close();
    await page.goto(`${server.url}/console/#/campaigns`);
    await page.getByRole('row', { name: /Twilio test/ }).getByRole('button', { name: /Get 10 numbers/ }).click();
    await page.getByText('My numbers').waitFor();

    await page.keyboard.press('Alt+KeyD');
    const call = page.getByTestId('phone-call');
    await expect.poll(() => call.getAttribute('data-state')).toBe('calling');
    await expect.poll(async () => (await standIn(page)).connects.length).toBe(1);
    const [placed] = (await standIn(page)).connects;
    expect(placed!.params.To).toMatch(/^ticket-[A-Za-z0-9_-]{24}$/);
    // The screen shows the number masked; the browser never had it in full.
    expect(await call.textContent()).not.toContain('13800138077');
    expect(JSON.stringify(placed)).not.toContain('13800138077');

    // Twilio asks the TwiML app what to do with the call: dial the claimed number.
    const twiml = await webhook('/telephony/twilio/outbound', { CallSid: `CA${'9'.repeat(32)}`, From: `client:${volunteerId}`, To: placed!.params.To! });
    expect(twiml).toContain(`<Number statusCallback="${server.url}/telephony/twilio/number-status?volunteer=${volunteerId}"`);
    expect(twiml).toContain(`>${CALLER}</Number>`);
    await page.evaluate(() => {
      const last = (window as unknown as { twilioStandIn: StandIn }).twilioStandIn.last()!;
      last.emit('accept', last);
    });
    await expect.poll(() => call.getAttribute('data-state')).toBe('established');
    await page.keyboard.press('Alt+KeyE');
    await softphone().getByText('The call has ended.').waitFor();
    // The workspace kept the record of the campaign call: its outcome is the campaign's attempt.
    await expect.poll(() => page.locator('.callbar .status').textContent()).toBe('Call ended');
    expect(await page.getByTestId('call-who').textContent()).not.toContain('13800138077');
    await page.locator('#outcome').selectOption('listened');
    await page.keyboard.press('Alt+KeyS');
    await page.getByTestId('saved').waitFor();
    const mine = await page.evaluate(async () => ((await (await fetch('/api/calls/mine')).json()) as { calls: { outcome: string; campaignId: string | null; direction: string }[] }).calls);
    expect(mine[0]).toMatchObject({ direction: 'outbound', outcome: 'listened', campaignId });
    // The earlier inbound call, never saved, was put aside when the phone dialed: it is listed, not lost.
    await page.getByTestId('parked').waitFor();
  });
});
