import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInvitation } from '../../src/domain/auth/create-invitation';
import { launchBrowser } from '../support/browser';
import { ensureConsoleBuilt, signUpInBrowser } from '../support/console-server';
import { type SipHarness, type Trunk, callHotline, registerPhone, startSipHarness, startTrunk, waitForEnd } from './support/harness';
import { expectSuccess, killAll } from './support/processes';

// Inside the suite's own network namespace, so a fixed port is free.
const PORT = 18088;
const NUMBERS = ['+862087654321', '+862087654322'];
let harness: SipHarness;
let browser: { browser: Browser; close(): Promise<void> };
let page: Page;
let volunteerId: string;

/** The console's softphone panel. */
const softphone = () => page.getByTestId('softphone');

beforeAll(async () => {
  ensureConsoleBuilt();
  // A person answers here, not a script: the phone rings for 10 s (the other files use 2 s).
  harness = await startSipHarness({ port: PORT, env: { HOTLINE_PUBLIC_URL: `http://127.0.0.1:${PORT}`, HOTLINE_SIP_RING_SECONDS: '10' } });
  // The browser's microphone: a file with a tone (Chromium's fake capture device plays it).
  const tone = path.join(harness.dir, 'tone.wav');
  execFileSync('sox', ['-n', '-r', '48000', '-c', '1', tone, 'synth', '30', 'sine', '660']);
  browser = await launchBrowser([
    '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream',
    `--use-file-for-fake-audio-capture=${tone}`,
    // WebRTC ignores loopback addresses otherwise; everything here is on loopback.
    '--allow-loopback-in-peer-connection',
    '--disable-features=WebRtcHideLocalIpsWithMdns',
    '--autoplay-policy=no-user-gesture-required',
  ]);
  const context = await browser.browser.newContext({ locale: 'en-US', viewport: { width: 1366, height: 900 } });
  // Fail on a missing element within the test's time, with Playwright's message.
  context.setDefaultTimeout(10_000);
  page = await context.newPage();
  // "Discard draft" asks for confirmation.
  page.on('dialog', (dialog) => void dialog.accept());
  const { token } = await createInvitation(harness.runtime, { actor: null, role: 'volunteer' });
  await signUpInBrowser(page, `http://127.0.0.1:${PORT}/console/#/invite/${token}`, 'lin', 'Lin');
  volunteerId = (await harness.runtime.store.users.findByUsername('lin'))!.id;
}, 240_000);
afterAll(async () => {
  killAll();
  await browser?.close();
  await harness?.close();
});

describe('the console softphone in headless Chromium', () => {
  it('registers to Kamailio over WebSocket, and the volunteer goes on duty from the console', async () => {
    await expect.poll(() => softphone().getAttribute('data-registration'), { timeout: 15_000 }).toBe('registered');
    await expect.poll(() => softphone().getByRole('status').first().textContent()).toBe('Phone: ready');
    await page.goto(`http://127.0.0.1:${PORT}/console/#/board`);
    await page.getByRole('button', { name: 'Go on duty' }).click();
    await expect.poll(async () => (await harness.queue()).agents.find((agent) => agent.agentId === volunteerId)?.presence).toBe('available');
  });

  it('rings for a call to the hotline, answers it, starts the call record in the workspace, and receives audio', async () => {
    const caller = callHotline({ scenario: 'caller-with-audio', talkMs: 7000 });
    const ringing = softphone().getByRole('alertdialog', { name: 'Incoming call' });
    await ringing.waitFor({ timeout: 10_000 });
    await ringing.getByRole('button', { name: /Answer/ }).click();
    const call = page.getByTestId('phone-call');
    await expect.poll(() => call.getAttribute('data-state'), { timeout: 10_000 }).toBe('established');
    // The workspace opened with an inbound call record, answered, its timer running.
    await expect.poll(() => page.getByTestId('timer').isVisible()).toBe(true);
    await expect.poll(async () => (await harness.queue()).agents.find((agent) => agent.agentId === volunteerId)?.presence).toBe('on_call');
    // RTCPeerConnection.getStats(): the caller's recorded speech arrives through rtpengine (DTLS-SRTP).
    await expect.poll(async () => Number(await call.getAttribute('data-packets-received')), { timeout: 8000 }).toBeGreaterThan(50);
    await expect.poll(() => call.getByText('Sound is arriving').isVisible()).toBe(true);
    await expectSuccess(caller);
    await softphone().getByText('The call has ended.').waitFor();
    const [callId] = (await harness.callIds()).slice(-1);
    const record = await waitForEnd(harness, async () => callId);
    expect(record).toMatchObject({ direction: 'inbound', outcome: 'answered', answeredBy: volunteerId, hangupBy: 'caller' });
    // The workspace's record ended with the call.
    await expect.poll(() => page.locator('.callbar .status').textContent()).toBe('Call ended');
    // Story 1 of DOMAIN.md: officer Wang under his real name, his co-worker named on his word.
    await page.keyboard.press('Alt+KeyP');
    await page.keyboard.press('Alt+KeyR');
    await page.locator('#reg-name').fill('王警官');
    await page.keyboard.press('Alt+Digit1');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Alt+KeyP');
    await page.keyboard.press('Alt+Digit2');
    await page.keyboard.press('Alt+Digit3');
    await page.keyboard.press('Alt+KeyC');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('people-count').textContent()).toContain('2');
    await page.keyboard.press('Alt+KeyS');
    await page.getByTestId('saved').waitFor();
    // The saved call's times are the SIP events' (answer to hang-up), not the browser's.
    const [saved] = (await harness.runtime.store.calls.calls.list({ ownerId: volunteerId, limit: 1 })) ;
    expect(saved).toMatchObject({ direction: 'inbound', times_source: 'telephony', people_registered: 2 });
    expect(Math.abs((saved!.ended_at! - saved!.answered_at!) / 1000 - record!.talkSeconds!)).toBeLessThanOrEqual(2);
    await page.getByRole('button', { name: /Codes read out/ }).click();
  });

  it('claims a campaign number and dials it with one key: the trunk gets the E.164, the screen never shows it', async () => {
    await harness.campaign(NUMBERS);
    await page.goto(`http://127.0.0.1:${PORT}/console/#/campaigns`);
    const row = page.getByRole('row', { name: /Telephony test/ });
    await row.getByRole('button', { name: /Get 10 numbers/ }).click();
    await page.getByText('My numbers').waitFor();
    await expect.poll(async () => (await harness.runtime.store.operations.campaigns.claimedBy(volunteerId, Date.now())).length).toBe(2);

    const trunk: Trunk = startTrunk('answer-with-hold', harness.dir);
    await page.keyboard.press('Alt+KeyD');
    const call = page.getByTestId('phone-call');
    await expect.poll(() => call.getAttribute('data-state'), { timeout: 10_000 }).toBe('established');
    expect(trunk.invitedUris()).toEqual([`sip:${NUMBERS[0]}@127.0.0.2:5080`]);
    // On their own call the volunteer is on a call for the inbound queue (and the coordinators' board).
    expect((await harness.queue()).agents.find((agent) => agent.agentId === volunteerId)?.presence).toBe('on_call');
    // rtpengine turned the browser's WebRTC offer (ICE, DTLS-SRTP) into plain RTP for the trunk.
    expect(trunk.messages()).toMatch(/m=audio \d+ RTP\/AVP /);
    expect(trunk.messages()).not.toMatch(/a=fingerprint|a=ice-ufrag/);
    // The softphone shows whom it calls, masked; the full number is nowhere on the page.
    expect(await call.textContent()).toContain('Org 0');
    expect(await page.content()).not.toContain('87654321');
    // The workspace keeps the record of the outbound call.
    await expect.poll(() => page.getByTestId('timer').isVisible()).toBe(true);
    // Mute stays in the browser; hold and resume are re-offers that rtpengine turns into plain RTP.
    const mute = call.getByRole('button', { name: /^Mute/ });
    await mute.click();
    await expect.poll(() => call.getByRole('button', { name: /^Unmute/ }).getAttribute('aria-pressed')).toBe('true');
    await page.keyboard.press('Alt+KeyB');
    await expect.poll(() => call.getByRole('button', { name: /^Resume/ }).getAttribute('aria-pressed')).toBe('true');
    // The hold's re-INVITE has been answered before the volunteer resumes.
    await expect.poll(() => trunk.invites().length, { timeout: 5000 }).toBe(2);
    await page.keyboard.press('Alt+KeyB');
    await expect.poll(() => call.getByRole('button', { name: /^Hold/ }).getAttribute('aria-pressed')).toBe('false');
    await expect.poll(() => trunk.invites().length, { timeout: 5000 }).toBe(3);
    const reoffers = trunk.invites();
    expect(reoffers[1]).toMatch(/a=sendonly/);
    expect(reoffers[1]).toMatch(/m=audio \d+ RTP\/AVP /);
    expect(reoffers[2]).not.toMatch(/a=sendonly|a=inactive/);

    await page.keyboard.press('Alt+KeyE');
    await expectSuccess(trunk);
    // After the conversation the volunteer records its outcome in the workspace: the campaign attempt and the call at once.
    await page.locator('#outcome').selectOption('listened');
    await page.keyboard.press('Alt+KeyS');
    await page.getByTestId('saved').waitFor();
    const [saved] = await harness.runtime.store.calls.calls.list({ ownerId: volunteerId, limit: 1 });
    expect(saved).toMatchObject({ direction: 'outbound', outcome: 'listened', times_source: 'telephony' });
    expect(saved!.campaign_id).not.toBeNull();
    await page.getByRole('button', { name: /Next call/ }).click();
    const tasks = (await harness.runtime.store.operations.campaigns.claimedBy(volunteerId, Date.now())).map((task) => task.id);
    expect(tasks).toHaveLength(1);
  });

  it('refuses a number not assigned to the volunteer, with a clear message in their language', async () => {
    const field = softphone().getByPlaceholder('Number to dial');
    await field.fill('+86 20 5555 0000');
    await softphone().getByRole('button', { name: 'Call', exact: true }).click();
    const refusal = page.getByTestId('phone-refusal');
    await refusal.waitFor({ timeout: 10_000 });
    expect(await refusal.textContent()).toBe('This number is not assigned to you. Claim it on the campaigns page first.');
    await page.getByRole('combobox', { name: 'Language' }).selectOption('zh-Hans');
    await expect.poll(() => refusal.textContent()).toBe('这个号码没有分配给您。请先在活动页面领取。');
    await page.getByRole('combobox', { name: '语言' }).selectOption('en');
    await harness.app.telephony.flush();
    const [refused] = await harness.runtime.store.telephony.callEvents.ofKind('refused', 1);
    expect(refused).toMatchObject({ volunteer_id: volunteerId, reason: 'NOT_ASSIGNED' });
  });

  it('transfers a call to a coordinator by REFER: the trunk calls the target Hotline issued, which rings the coordinator', async () => {
    const coordinator = await harness.staff('coordinator');
    const coordinatorPhone = await registerPhone(coordinator.userId, 'answer');
    await harness.setPresence(coordinator, 'available');
    const caller = callHotline({ scenario: 'caller-transferred' });
    const ringing = softphone().getByRole('alertdialog', { name: 'Incoming call' });
    await ringing.waitFor({ timeout: 10_000 });
    await page.keyboard.press('Alt+KeyY');
    const call = page.getByTestId('phone-call');
    await expect.poll(() => call.getAttribute('data-state'), { timeout: 10_000 }).toBe('established');
    await call.getByRole('button', { name: 'Transfer to a coordinator' }).click();
    // The caller's side accepted the REFER; the softphone left the call.
    await expectSuccess(caller);
    await softphone().getByText('The call was transferred to a coordinator.').waitFor();
    const target = /transfer-target=(xfer-[A-Za-z0-9_-]+)/.exec(caller.log())?.[1];
    expect(target).toBeDefined();
    // The trunk follows the REFER: it calls the target, which rings the coordinator's phone.
    const before = new Set(await harness.callIds());
    await expectSuccess(callHotline({ service: target! }));
    await expectSuccess(coordinatorPhone.uas);
    const transferredId = (await harness.callIds()).find((id) => !before.has(id));
    const record = await waitForEnd(harness, async () => transferredId);
    expect(record).toMatchObject({ outcome: 'answered', answeredBy: coordinator.userId, attempts: [{ volunteerId: coordinator.userId, result: 'answered' }] });
  });
});
