import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { create } from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, recordRequests } from '../support/browser';
import { ensureConsoleBuilt, type ServerProcess, signUpInBrowser, startServerProcess } from '../support/console-server';

/** The SVG path the console draws for a QR code of `text` (4 modules of quiet zone). */
function qrPath(text: string): string {
  const { modules } = create(text, { errorCorrectionLevel: 'M' });
  let path = '';
  for (let y = 0; y < modules.size; y++) for (let x = 0; x < modules.size; x++) if (modules.get(y, x)) path += `M${x + 4} ${y + 4}h1v1h-1z`;
  return path;
}

describe('an admin manages staff in the console', () => {
  let server: ServerProcess;
  let launched: Awaited<ReturnType<typeof launchBrowser>>;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let admin: Page;
  let adminRequests: string[];

  const newContext = async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1366, height: 768 }, acceptDownloads: true });
    contexts.push(context);
    return context;
  };

  beforeAll(async () => {
    ensureConsoleBuilt();
    server = await startServerProcess();
    launched = await launchBrowser();
    browser = launched.browser;
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await launched.close();
    await server.close();
  });

  /** The row of an account on the Volunteers page. */
  const row = (username: string) => admin.locator(`[data-testid=volunteer-row][data-username="${username}"]`);
  /** Confirms the next dialog the page opens (disable, role change, reset). */
  const confirmNext = () => admin.once('dialog', (dialog) => void dialog.accept());

  it('enrols the first admin with a QR code drawn in the page (no request leaves the origin) and recovery codes to download and print', async () => {
    const context = await newContext();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    adminRequests = recordRequests(context);
    admin = await context.newPage();
    // Stop at the enrolment screen to look at it, then go on as a person does.
    await admin.goto(server.firstAdminLink!);
    await admin.getByLabel('Username').fill('root');
    await admin.getByLabel('Name shown to colleagues').fill('Lin');
    await admin.getByLabel('Password').fill('correct horse battery staple');
    await admin.keyboard.press('Enter');
    await admin.getByRole('heading', { name: 'Sign in' }).waitFor();
    await admin.getByLabel('Username').fill('root');
    await admin.getByLabel('Password').fill('correct horse battery staple');
    await admin.keyboard.press('Enter');
    const qr = admin.getByTestId('totp-qr');
    await qr.waitFor();
    const uri = (await admin.locator('code.wrap').textContent()) ?? '';
    expect(uri).toMatch(/^otpauth:\/\/totp\/Hotline:root\?secret=[A-Z2-7]+/);
    // The QR code is the setup link itself, drawn as SVG: what an authenticator app scans.
    expect(await qr.locator('path').getAttribute('d')).toBe(qrPath(uri));
    const box = await qr.boundingBox();
    expect(box?.width).toBeGreaterThanOrEqual(150);
    const secret = (await admin.getByTestId('totp-secret').textContent()) ?? '';
    const { generate } = await import('otplib');
    await admin.getByLabel('6-digit code').fill(await generate({ secret }));
    await admin.keyboard.press('Enter');
    const codes = (await admin.getByTestId('recovery-codes').innerText()).split('\n').map((line) => line.trim()).filter(Boolean);
    expect(codes.length).toBeGreaterThanOrEqual(8);
    const [download] = await Promise.all([admin.waitForEvent('download'), admin.getByTestId('download-codes').click()]);
    expect(download.suggestedFilename()).toBe('hotline-recovery-codes-root.txt');
    const file = readFileSync((await download.path()) ?? '', 'utf8');
    for (const code of codes) expect(file).toContain(code);
    // Printed, the page shows the codes alone.
    await admin.emulateMedia({ media: 'print' });
    expect(await admin.evaluate(() => getComputedStyle(document.querySelector('.topbar')!).visibility)).toBe('hidden');
    expect(await admin.evaluate(() => getComputedStyle(document.querySelector('[data-testid=recovery-codes]')!).visibility)).toBe('visible');
    await admin.emulateMedia({ media: 'screen' });
    await admin.getByRole('button', { name: 'I have saved them' }).click();
    await admin.getByRole('heading', { name: 'Start a call' }).waitFor();
    const origin = new URL(server.url).origin;
    expect(adminRequests.filter((url) => !url.startsWith(origin) && !url.startsWith('blob:') && !url.startsWith('data:'))).toEqual([]);
  });

  it('invites with a role (the link shown once, copied), and the invited person joins with it', async () => {
    await admin.goto(`${server.url}/console/#/volunteers`);
    await admin.getByTestId('invite-role').selectOption('volunteer');
    await admin.getByTestId('create-invitation').click();
    const link = await admin.getByTestId('invitation-link').inputValue();
    expect(link).toMatch(/\/console\/#\/invite\/[A-Za-z0-9_-]{20,}$/);
    await admin.getByRole('button', { name: 'Copy' }).click();
    await admin.getByRole('button', { name: 'Copied' }).waitFor();
    expect(await admin.evaluate(() => navigator.clipboard.readText())).toBe(link);
    await expect.poll(() => admin.getByTestId('open-invitations').locator('tbody tr').count()).toBe(1);

    const invited = await (await newContext()).newPage();
    await signUpInBrowser(invited, link.replace(/^http:\/\/localhost:\d+/, server.url), 'mei', 'Mei');
    await admin.reload();
    await row('mei').waitFor();
    expect(await row('mei').getByTestId('account-status').innerText()).toBe('Active');
    expect(await row('mei').getByTestId('second-factor').innerText()).toBe('Set up');
    expect(await admin.getByTestId('open-invitations').count()).toBe(0);
  });

  it('disables and re-enables, changes the role and resets the second factor, each in the audit log by name', async () => {
    confirmNext();
    await row('mei').getByRole('button', { name: 'Disable' }).click();
    await expect.poll(() => row('mei').getByTestId('account-status').innerText()).toBe('Disabled');
    await expect.poll(() => admin.getByTestId('staff-notice').innerText()).toBe('Mei is disabled.');

    await row('mei').getByRole('button', { name: 'Enable again' }).click();
    await expect.poll(() => row('mei').getByTestId('account-status').innerText()).toBe('Active');

    confirmNext();
    await row('mei').getByTestId('role-select').selectOption('coordinator');
    await expect.poll(() => admin.getByTestId('staff-notice').innerText()).toBe('The role of Mei is changed.');
    await expect.poll(() => row('mei').getByTestId('role-select').inputValue()).toBe('coordinator');

    confirmNext();
    await row('mei').getByRole('button', { name: 'Reset second factor' }).click();
    await expect.poll(() => row('mei').getByTestId('second-factor').innerText()).toBe('Not set up');

    // The admin's own row offers nothing to change.
    expect(await row('root').getByRole('button').count()).toBe(0);

    await admin.getByRole('link', { name: 'Audit log' }).click();
    await admin.getByTestId('audit-entry').first().waitFor();
    const entries = await admin.getByTestId('audit-entry').evaluateAll((rows) =>
      rows.map((r) => ({ action: r.getAttribute('data-action'), cells: Array.from((r as HTMLTableRowElement).cells).map((cell) => cell.innerText) })),
    );
    const byAction = (action: string) => entries.find((entry) => entry.action === action);
    for (const [action, text] of [
      ['user.invited', 'Invited someone'],
      ['user.disabled', 'Disabled an account'],
      ['user.enabled', 'Enabled an account again'],
      ['user.role-changed', 'Changed a role'],
      ['user.second-factor-reset', 'Reset a second factor'],
    ] as const) {
      expect(byAction(action)?.cells.slice(1, 4), action).toEqual(['Lin', text, action === 'user.invited' ? 'Invitation' : 'Account']);
    }
    expect(byAction('user.created')?.cells[1]).toBe('Mei');
    await admin.getByTestId('verify-audit').click();
    await expect.poll(() => admin.getByTestId('audit-verification').innerText()).toMatch(/^Intact: \d+ entries checked/);
  });

  it('the account page: the password changed with the current one, spoken languages, sessions, and signing out everywhere', async () => {
    await admin.getByRole('link', { name: 'Lin' }).click();
    await admin.getByRole('heading', { name: 'Your account' }).waitFor();
    const form = admin.getByTestId('password-form');
    await form.getByLabel('Current password').fill('not the password at all');
    await form.getByLabel('New password', { exact: true }).fill('a much longer passphrase');
    await form.getByLabel('New password again').fill('a much longer passphrase');
    await form.getByRole('button', { name: 'Change password' }).click();
    await form.getByText('The current password is not right.').waitFor();
    await form.getByLabel('Current password').fill('correct horse battery staple');
    await form.getByRole('button', { name: 'Change password' }).click();
    await form.getByText(/^Password changed\. Other sessions signed out: \d+\.$/).waitFor();

    await admin.getByTestId('my-languages').getByLabel('English').check();
    await admin.getByTestId('my-languages').getByText('Languages saved.').waitFor();
    expect(await admin.getByTestId('my-sessions').locator('tbody tr').count()).toBe(1);
    expect(await admin.getByTestId('my-sessions').innerText()).toContain('This session');

    admin.once('dialog', (dialog) => void dialog.accept());
    await admin.getByTestId('sign-out-everywhere').click();
    await admin.getByRole('heading', { name: 'Sign in' }).waitFor();
    await admin.getByLabel('Username').fill('root');
    await admin.getByLabel('Password').fill('correct horse battery staple');
    await admin.keyboard.press('Enter');
    await admin.getByText('Wrong username or password', { exact: false }).waitFor();
  });
});
