import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { ensureConsoleBuilt, inviteLink, type ServerProcess, settledCounters, signUpInBrowser, startServerProcess } from '../support/console-server';

/** Both browsers read dates in Toronto, five hours behind UTC in November, so "a day" is not a UTC day. */
const TIME_ZONE = 'America/Toronto';

interface StoredCall {
  id: string;
  clientId: string;
  direction: string;
  answeredAt: number | null;
  orgType: string | null;
  outcome: string;
  peopleRegistered: number;
  handedOut: { materialsRequested: boolean };
  script: { id: string; version: number } | null;
}

/** Calls the API from the signed-in page, with its CSRF token, as the console does. */
async function apiFromPage(page: Page, method: string, url: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  return page.evaluate(
    async ({ method, url, body }) => {
      const csrf = /(?:^|;\s*)hotline_csrf=([^;]+)/.exec(document.cookie)?.[1] ?? '';
      const response = await fetch(url, {
        method,
        headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: response.status, json: (await response.json()) as unknown };
    },
    { method, url, body },
  );
}

async function myCalls(page: Page): Promise<StoredCall[]> {
  return ((await apiFromPage(page, 'GET', '/api/calls/mine')).json as { calls: StoredCall[] }).calls;
}

/** A call saved through the API, started at `startedAt` (so the call log has calls on known days). */
function pastCall(clientId: string, startedAt: number, outcome: string) {
  return {
    clientId,
    direction: 'outbound',
    phone: '',
    outcome,
    notes: '',
    startedAt,
    answeredAt: startedAt + 5_000,
    endedAt: startedAt + 60_000,
  };
}

/** Makes a call a day older in the server's SQLite file, as if it had been saved yesterday. */
async function ageCall(server: ServerProcess, callId: string): Promise<void> {
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(path.join(server.env.HOTLINE_DATA_DIR ?? '', 'hotline.db'), { fileMustExist: true });
  try {
    db.prepare('update calls set created_at = created_at - ? where id = ?').run(25 * 3_600_000, callId);
  } finally {
    db.close();
  }
}

describe('volunteer console: incoming calls, My calls, and the coordinators’ pages', () => {
  let server: ServerProcess;
  let browser: { browser: Browser; close(): Promise<void> };
  const contexts: BrowserContext[] = [];
  let alice: Page;
  let bob: Page;
  let dora: Page;

  const signedIn = async (role: string, username: string, displayName: string) => {
    const context = await browser.browser.newContext({ locale: 'en-US', timezoneId: TIME_ZONE, viewport: { width: 1366, height: 768 } });
    contexts.push(context);
    const page = await context.newPage();
    await signUpInBrowser(page, inviteLink(server, role), username, displayName);
    return page;
  };

  beforeAll(async () => {
    ensureConsoleBuilt();
    server = await startServerProcess();
    browser = await launchBrowser();
    alice = await signedIn('volunteer', 'alice', 'Alice');
    bob = await signedIn('volunteer', 'bob', 'Bob');
    dora = await signedIn('coordinator', 'dora', 'Dora');
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser.close();
    await server.close();
  });

  it('takes an incoming call with Alt+I: on the call at once, one person registered, saved as inbound', async () => {
    await alice.locator('#phone').focus();
    await alice.keyboard.press('Alt+I');
    await alice.getByText('On the call').waitFor();
    expect(await alice.getByRole('button', { name: /Answered/ }).count()).toBe(0);
    expect(await alice.locator('.number').textContent()).toBe('Incoming');
    await alice.keyboard.press('Alt+P');
    await expect.poll(() => alice.locator('#reg-name').inputValue()).not.toBe('');
    await alice.keyboard.press('Alt+1');
    await alice.keyboard.press('Enter');
    await alice.keyboard.press('Alt+S');
    const saved = alice.getByTestId('saved');
    await saved.waitFor();
    expect(await saved.locator('code.receipt').count()).toBe(1);
    const [call] = await myCalls(alice);
    expect(call).toMatchObject({ direction: 'inbound', outcome: 'registered', peopleRegistered: 1 });
    expect(call!.answeredAt).not.toBeNull();
    await alice.keyboard.press('Alt+N');
    await alice.getByRole('heading', { name: 'Start a call' }).waitFor();
  });

  it('registers a statement that came by letter: a mocking pseudonym refused with the reason, then one published under the letter channel with a receipt code to send back', async () => {
    const before = await settledCounters<{ total: { people: number }; checkpointSize: number }>(server, '/feeds/counters.json');
    await alice.getByRole('link', { name: 'Letters and e-mail' }).click();
    const form = alice.getByTestId('received-form');
    await form.getByLabel('Received by').selectOption('letter');
    await form.getByLabel('Province').selectOption('430000');
    await form.getByTestId('received-name').fill('毛泽东');
    await form.getByRole('button', { name: 'Register the statement' }).click();
    expect(await alice.getByTestId('received-problem').innerText()).toMatch(/leader|party/i);
    await form.getByTestId('received-name').fill('福寿');
    await form.getByTestId('cohort').first().getByLabel('People').fill('3');
    await form.getByRole('button', { name: 'Add a group' }).click();
    const second = form.getByTestId('cohort').nth(1);
    await second.getByLabel('People').fill('2');
    await second.getByLabel('Party').uncheck();
    await second.getByLabel('League').check();
    await form.getByLabel('Their words (optional)').fill('我们一家五口退出中共及其附属组织。');
    await form.getByRole('button', { name: 'Register the statement' }).click();
    const saved = alice.getByTestId('received-saved');
    await saved.waitFor();
    expect(await saved.innerText()).toContain('福寿');
    expect(await saved.locator('code.receipt').innerText()).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(await form.getByTestId('received-name').inputValue()).toBe('');
    // Counted with the transparency log's next signed checkpoint (within a second).
    const people = async () => ((await (await fetch(`${server.url}/feeds/counters.json`)).json()) as { total: { people: number } }).total.people;
    await expect.poll(async () => (await people()) - before.total.people).toBe(5);
    // A coordinator finds it in the archive under the letter channel.
    await dora.goto(`${server.url}/console/#/archive`);
    await dora.getByTestId('archive-search').getByLabel('Channel').selectOption('letter');
    await dora.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => dora.getByTestId('archive-row').count()).toBe(1);
    expect(await dora.getByTestId('archive-counts').innerText()).toBe('5: Party 3, League 2, Pioneers 0');
    await alice.getByRole('link', { name: 'Call workspace' }).click();
    await alice.getByRole('heading', { name: 'Start a call' }).waitFor();
  });

  it('lets a coordinator create a script, edit it in both languages, see its versions and restore one; a call records the script it showed', async () => {
    await dora.goto(`${server.url}/console/#/scripts`);
    await dora.getByRole('button', { name: 'New script' }).click();
    await dora.locator('#script-titleZh').fill('结束语');
    await dora.locator('#script-titleEn').fill('Closing words');
    await dora.locator('#script-bodyZh').fill('祝您全家平安，万事顺利。');
    await dora.locator('#script-bodyEn').fill('Wishing your family safety.');
    await dora.getByRole('button', { name: 'Create' }).click();
    await dora.getByText('Saved as version 1.').waitFor();
    expect(await dora.locator('#script-key').inputValue()).toBe('closing-words');

    await dora.locator('#script-key').selectOption('opening');
    await expect.poll(() => dora.locator('#script-titleEn').inputValue()).toBe('Opening and withdrawal');
    await dora.locator('#script-bodyEn').fill('Hello. We are volunteers abroad.');
    await dora.getByRole('button', { name: 'Save as a new version' }).click();
    await dora.getByText('Saved as version 1.').waitFor();
    const versions = dora.getByTestId('script-version');
    await expect.poll(() => versions.count()).toBe(2);
    expect(await versions.first().textContent()).toContain('Hello. We are volunteers abroad.');
    expect(await versions.nth(1).textContent()).toContain('built in');
    await versions.nth(1).getByRole('button', { name: 'Restore' }).click();
    await dora.getByText('Version 0 restored as version 2.').waitFor();
    await expect.poll(() => versions.count()).toBe(3);
    expect(await dora.locator('#script-bodyEn').inputValue()).toContain('Hello, may I have a few minutes?');

    // The volunteer picks the new script during a call; the saved call names it and its version.
    await alice.locator('#phone').focus();
    await alice.keyboard.press('Alt+I');
    await alice.locator('#script-choice').selectOption('closing-words');
    await expect.poll(() => alice.locator('#talking-points').textContent()).toContain('Wishing your family safety.');
    await alice.keyboard.press('Alt+S');
    await alice.getByTestId('saved').waitFor();
    expect((await myCalls(alice))[0]!.script).toEqual({ id: 'closing-words', version: 1 });
    await alice.keyboard.press('Alt+N');
  });

  it('filters the call log by volunteer, outcome and from/to days read in the coordinator’s own time zone', async () => {
    // 03:00 UTC on 20 November is still 19 November in Toronto.
    const lateOn19th = Date.UTC(2026, 10, 20, 3, 0);
    const on18th = Date.UTC(2026, 10, 18, 15, 0);
    const on19th = Date.UTC(2026, 10, 19, 15, 0);
    for (const [page, body] of [
      [alice, pastCall('log-alice-19th-late', lateOn19th, 'listened')],
      [alice, pastCall('log-alice-18th', on18th, 'busy')],
      [bob, pastCall('log-bob-19th', on19th, 'listened')],
    ] as const)
      expect((await apiFromPage(page, 'POST', '/api/calls', body)).status).toBe(200);

    await dora.goto(`${server.url}/console/#/log`);
    const rows = dora.getByTestId('call-row');
    await expect.poll(() => rows.count()).toBe(5);
    await dora.locator('#log-from').fill('2026-11-19');
    await dora.locator('#log-to').fill('2026-11-19');
    await expect.poll(() => rows.count()).toBe(2);
    // Newest first, each at the coordinator's local time.
    // (each row also shows the call's duration: a minute, answered 5 s in, so 00:55).
    expect(await rows.allTextContents()).toEqual([expect.stringMatching(/^11\/19\/26, 10:00 PM00:55Alice/), expect.stringMatching(/^11\/19\/26, 10:00 AM00:55Bob/)]);
    await dora.locator('#log-volunteer').selectOption({ label: 'Bob' });
    await expect.poll(() => rows.allTextContents()).toEqual([expect.stringContaining('Bob')]);
    await dora.locator('#log-volunteer').selectOption({ label: 'All' });
    await dora.locator('#log-from').fill('');
    await dora.locator('#log-to').fill('2026-11-18');
    await expect.poll(() => rows.allTextContents()).toEqual([expect.stringContaining('Busy')]);
    await dora.locator('#log-to').fill('');
    await dora.locator('#log-outcome').selectOption('listened');
    // Two listened on the 19th, and the incoming call with the closing script (nobody registered).
    await expect.poll(() => rows.count()).toBe(3);
    await dora.locator('#log-direction').selectOption('inbound');
    await expect.poll(() => rows.count()).toBe(1);
  });

  it('lists volunteers with role, account status and whether they are on duty now', async () => {
    expect((await apiFromPage(alice, 'POST', '/api/operations/presence', { presence: 'available' })).status).toBe(200);
    await dora.goto(`${server.url}/console/#/volunteers`);
    const rows = dora.getByTestId('volunteer-row');
    await expect.poll(() => rows.count()).toBe(3);
    const aliceRow = rows.filter({ hasText: 'alice' });
    await expect.poll(() => aliceRow.locator('td').allTextContents()).toEqual(['Alice', 'alice', 'Volunteer', 'Active', 'Set up', 'Available']);
    expect(await rows.filter({ hasText: 'bob' }).getByTestId('on-duty').textContent()).toBe('Offline');
    expect(await rows.filter({ hasText: 'dora' }).locator('td').nth(2).textContent()).toBe('Coordinator');
    await apiFromPage(alice, 'POST', '/api/operations/presence', { presence: 'offline' });
  });

  it('corrects a call in My calls within 24 hours, adds a forgotten person with a receipt code, then shows it locked', async () => {
    await alice.goto(`${server.url}/console/#/calls`);
    const rows = alice.getByTestId('call-row');
    await expect.poll(() => rows.count()).toBe(4);
    const target = (await myCalls(alice)).filter((call) => call.direction === 'inbound').at(-1)!;
    expect(target.peopleRegistered).toBe(1);
    await rows
      .nth((await myCalls(alice)).findIndex((call) => call.id === target.id))
      .getByRole('button', { name: 'Edit' })
      .click();
    const form = alice.getByRole('form', { name: 'Correct this call' });
    await form.waitFor();
    expect(await form.textContent()).toContain('ask a coordinator to correct it in moderation');
    await alice.locator('#edit-org-type').selectOption('school');
    await alice.locator('#edit-materials').check();
    await form.getByRole('button', { name: 'Add person' }).click();
    await expect.poll(() => alice.locator('#reg-name').inputValue()).not.toBe('');
    await form.getByLabel(/League/).check();
    await form.getByRole('button', { name: /Add \(1 person\)/ }).click();
    await form.getByRole('button', { name: 'Save' }).click();
    const codes = alice.getByTestId('added-codes');
    await codes.waitFor();
    expect(await codes.locator('code.receipt').count()).toBe(1);
    const corrected = (await myCalls(alice)).find((call) => call.id === target.id)!;
    expect(corrected).toMatchObject({ orgType: 'school', peopleRegistered: 2, handedOut: { materialsRequested: true } });

    // A day later the call is locked: no Edit button, and the screen says since when.
    await ageCall(server, target.id);
    await alice.reload();
    await expect.poll(() => rows.count()).toBe(4);
    const lockedRow = rows.nth((await myCalls(alice)).findIndex((call) => call.id === target.id));
    expect(await lockedRow.getByRole('button', { name: 'Edit' }).count()).toBe(0);
    expect(await lockedRow.textContent()).toMatch(/Locked since/);

    // A draft of that call retried after the lock says why it cannot be saved, and can be removed.
    await alice.goto(`${server.url}/console/#/`);
    await alice.getByRole('heading', { name: 'Start a call' }).waitFor();
    const me = ((await apiFromPage(alice, 'GET', '/api/auth/me')).json as { user: { id: string } }).user.id;
    await alice.evaluate(
      ({ clientId, ownerId }) => {
        const draft = {
          version: 1,
          clientId,
          ownerId,
          direction: 'inbound',
          phone: '',
          status: 'ended',
          startedAt: Date.now() - 26 * 3_600_000,
          answeredAt: Date.now() - 26 * 3_600_000,
          endedAt: Date.now() - 25 * 3_600_000,
          orgType: '',
          occupation: '',
          listeners: '',
          outcome: 'registered',
          notes: '',
          hotlineNumberGiven: false,
          circumventionTool: '',
          materialsRequested: false,
          registrations: [],
          followups: [],
        };
        localStorage.setItem(`hotline.console.draft.${clientId}`, JSON.stringify(draft));
        localStorage.setItem(`hotline.console.current.${ownerId}`, clientId);
      },
      { clientId: target.clientId, ownerId: me },
    );
    await alice.reload();
    await alice.getByText('Call ended').waitFor();
    await alice.keyboard.press('Alt+S');
    await alice.getByText(/locked: nothing in this copy can be saved/).waitFor();
    await alice.getByRole('button', { name: 'Remove this copy' }).click();
    await alice.getByRole('heading', { name: 'Start a call' }).waitFor();
    expect(await alice.evaluate((clientId) => localStorage.getItem(`hotline.console.draft.${clientId}`), target.clientId)).toBeNull();
  });
});
