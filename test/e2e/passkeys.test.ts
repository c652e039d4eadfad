import type { Browser, BrowserContext, Page } from 'playwright-core';
import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser';
import { ensureConsoleBuilt, inviteLink, type ServerProcess, signUpInBrowser, startServerProcess } from '../support/console-server';

/**
 * Passkeys in a real browser: Chromium's virtual authenticator (over the DevTools protocol) plays
 * the security key, so the console's WebAuthn calls and the server's checks run as they do for a
 * person with a YubiKey or a phone.
 */
describe('passkeys in the console', () => {
  let server: ServerProcess;
  let launched: Awaited<ReturnType<typeof launchBrowser>>;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const password = 'correct horse battery staple';

  /** A browser profile with a virtual platform authenticator that says yes at once. */
  const newContext = async (): Promise<{ context: BrowserContext; page: Page; credentials: () => Promise<number> }> => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1366, height: 768 } });
    contexts.push(context);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
    });
    const credentials = async () => (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials.length;
    return { context, page, credentials };
  };

  const signInWithPassword = async (page: Page, username: string) => {
    await page.goto(`${server.url}/console/`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(password);
    await page.keyboard.press('Enter');
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

  it('an admin requires passkeys for coordinators; a coordinator without one is led to add one, then signs in with it alone', async () => {
    const { page: admin } = await newContext();
    await signUpInBrowser(admin, server.firstAdminLink!, 'root', 'Lin');
    const { page: coordinator, credentials } = await newContext();
    const totpSecret = await signUpInBrowser(coordinator, inviteLink(server, 'coordinator'), 'mei', 'Mei');
    await coordinator.locator('header').getByRole('button', { name: 'Sign out' }).click();

    // The admin requires passkeys for coordinators on the Volunteers page.
    await admin.goto(`${server.url}/console/#/volunteers`);
    const setting = admin.getByTestId('passkey-roles');
    await setting.getByLabel('Coordinator').check();
    await setting.getByText('Saved. It applies from each person').waitFor();

    // The coordinator signs in with password and code as before, and is led to add a passkey.
    await signInWithPassword(coordinator, 'mei');
    // The code of the next 30-second step (the one of sign-up was used; one step of drift is accepted).
    await coordinator.getByLabel('6-digit code or a recovery code').fill(await generate({ secret: totpSecret, epoch: Math.floor(Date.now() / 1000) + 30 }));
    await coordinator.keyboard.press('Enter');
    await coordinator.getByRole('heading', { name: 'Add a passkey' }).waitFor();
    // Nothing else opens until they have: a reload comes back to the same step.
    await coordinator.reload();
    await coordinator.getByRole('heading', { name: 'Add a passkey' }).waitFor();
    await coordinator.getByLabel('Passkey name').fill('Office key');
    await coordinator.getByTestId('add-passkey').click();
    await coordinator.getByRole('heading', { name: 'Start a call' }).waitFor();
    expect(await credentials()).toBe(1);

    // The account page lists it; the admin sees it on the Volunteers page.
    await coordinator.goto(`${server.url}/console/#/account`);
    await expect.poll(() => coordinator.getByTestId('my-passkeys').innerText()).toContain('Office key');
    await admin.reload();
    await expect.poll(() => admin.locator('[data-testid=volunteer-row][data-username="mei"] [data-testid=second-factor]').innerText()).toBe('Passkey');

    // Next sign-in: the passkey is the only way in, no code field.
    await coordinator.locator('header').getByRole('button', { name: 'Sign out' }).click();
    await signInWithPassword(coordinator, 'mei');
    await coordinator.getByTestId('use-passkey').waitFor();
    expect(await coordinator.getByLabel('6-digit code or a recovery code').count()).toBe(0);
    await coordinator.getByText('Your role signs in with a passkey').waitFor();
    await coordinator.getByTestId('use-passkey').click();
    await coordinator.getByRole('heading', { name: 'Start a call' }).waitFor();

    // The audit log has the setting, the passkey and both sign-ins with their method.
    await admin.goto(`${server.url}/console/#/audit`);
    const log = admin.getByRole('table');
    await expect.poll(() => log.innerText()).toContain('Roles that need passkeys changed');
    await expect.poll(() => log.innerText()).toContain('Passkey added');
    const entries = (await admin.evaluate(async () => (await fetch('/api/audit?limit=200')).json() as Promise<unknown>)) as { entries: { action: string; details: { method?: string } }[] };
    const methods = entries.entries.filter((e) => e.action === 'auth.login').map((e) => e.details.method);
    expect(methods).toEqual(expect.arrayContaining(['passkey', 'passkey-enrolment']));
  });

  it('a volunteer adds a passkey from the account page and signs in with it instead of a code; a browser without it is told so, and its sign-in shows on the first one as a new device', async () => {
    const { page, credentials } = await newContext();
    const totpSecret = await signUpInBrowser(page, inviteLink(server, 'volunteer'), 'wen', 'Wen');
    await page.goto(`${server.url}/console/#/account`);
    await page.getByText('No passkey yet.').waitFor();
    await page.getByTestId('account-add-passkey').click();
    await page.getByText('Passkey added.').waitFor();
    expect(await credentials()).toBe(1);
    await page.locator('header').getByRole('button', { name: 'Sign out' }).click();

    await signInWithPassword(page, 'wen');
    // Both ways are offered to a role that does not require passkeys.
    await page.getByTestId('use-passkey').waitFor();
    await page.getByLabel('6-digit code or a recovery code').waitFor();
    await page.getByTestId('use-passkey').click();
    await page.getByRole('heading', { name: 'Start a call' }).waitFor();

    // Another browser whose authenticator does not hold Wen's passkey: told in words, and the code still works.
    const { page: refusing } = await newContext();
    await signInWithPassword(refusing, 'wen');
    await refusing.getByTestId('use-passkey').click();
    await refusing.getByRole('alert').filter({ hasText: /passkey was not (used|accepted)/ }).waitFor();
    await refusing.getByLabel('6-digit code or a recovery code').fill(await generate({ secret: totpSecret, epoch: Math.floor(Date.now() / 1000) + 30 }));
    await refusing.keyboard.press('Enter');
    await refusing.getByRole('heading', { name: 'Start a call' }).waitFor();

    // Wen's first browser is told of the sign-in from the new one, until Wen says it was them.
    await page.reload();
    const notice = page.getByTestId('new-device-notice');
    await expect.poll(() => notice.innerText()).toContain('Chrome on Linux signed in');
    await notice.getByRole('button', { name: 'That was me' }).click();
    await notice.waitFor({ state: 'detached' });
    await page.reload();
    await page.getByRole('heading', { name: 'Start a call' }).waitFor();
    expect(await page.getByTestId('new-device-notice').count()).toBe(0);
  });
});
