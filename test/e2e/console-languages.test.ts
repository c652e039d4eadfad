import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { ensureConsoleBuilt, type ServerProcess, signUpInBrowser, startServerProcess } from '../support/console-server';

/** Every screen of the console an admin can open, by route. */
const SCREENS = ['/', '/calls', '/log', '/moderation', '/volunteers', '/scripts', '/board', '/campaigns', '/shifts', '/lists'];

/**
 * Latin words allowed in a Chinese screen: key names on the keyboard hints, the name of the other
 * language in the switcher, names of things (time zones, file formats, tools) and the admin's own
 * username. Anything else in Latin letters is English someone forgot to translate.
 */
const ALLOWED_LATIN = new Set(['Alt', 'Enter', 'Esc', 'Tab', 'English', 'UTC', 'CSV', 'GAP', 'root', 'Freegate', 'Ultrasurf', 'Tor']);

/** What a reader sees: the text, plus labels that only assistive technology reads. */
async function visibleText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const attributes = Array.from(document.querySelectorAll('[aria-label], [title], [placeholder]')).flatMap((element) =>
      ['aria-label', 'title', 'placeholder'].map((name) => element.getAttribute(name) ?? ''),
    );
    return `${document.body.innerText}\n${attributes.join('\n')}`;
  });
}

/** Texts that look like an i18next key printed because its translation is missing ("calls.lockedSince"). */
function untranslatedKeys(text: string): string[] {
  return [...text.matchAll(/\b[a-z][a-zA-Z]+\.[a-z][a-zA-Z_]+(?:\.[a-zA-Z_]+)*\b/g)].map((m) => m[0]);
}

function englishWords(text: string): string[] {
  // Time zones (Asia/Shanghai, America/Toronto) are names, and so are masked numbers and codes.
  const withoutNames = text.replace(/\b[A-Z][a-z]+\/[A-Za-z_]+\b/g, '');
  return [...withoutNames.matchAll(/[A-Za-z]{2,}/g)].map((m) => m[0]).filter((word) => !ALLOWED_LATIN.has(word));
}

async function openScreen(page: Page, route: string): Promise<void> {
  await page.evaluate((r) => {
    window.location.hash = `#${r}`;
  }, route);
  await page.locator('main h1, main h2').first().waitFor();
  // Lists fill in after their request; wait until nothing says "Loading" any more.
  await expect
    .poll(() =>
      page
        .locator('main [role=status]')
        .filter({ hasText: /Loading|载入|載入|加载|加載/ })
        .count(),
    )
    .toBe(0);
  await page.waitForTimeout(300);
}

describe('console languages: every screen in English, Simplified and Traditional Chinese', () => {
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
    await signUpInBrowser(page, server.firstAdminLink!, 'root', '林');
    // A saved call, so that My calls and the call log show rows: outcome, organization and the
    // region's name (which the server sends in every language) must follow the language too.
    const status = await page.evaluate(async () => {
      const csrf = /(?:^|;\s*)hotline_csrf=([^;]+)/.exec(document.cookie)?.[1] ?? '';
      const startedAt = Date.now() - 600_000;
      const response = await fetch('/api/calls', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
        body: JSON.stringify({
          clientId: 'languages-call-0001',
          direction: 'outbound',
          phone: '186 7311 2345',
          orgType: 'county_government',
          outcome: 'registered',
          notes: '开会时接的电话',
          startedAt,
          answeredAt: startedAt + 5_000,
          endedAt: startedAt + 300_000,
          registrations: [
            {
              clientId: 'languages-reg-0001',
              nameKind: 'pseudonym',
              name: '万顺',
              cohorts: [{ count: 8, organizations: ['party'] }],
              consent: 'personal',
            },
          ],
        }),
      });
      return response.status;
    });
    expect(status).toBe(200);
  });
  afterAll(async () => {
    await context.close();
    await browser.close();
    await server.close();
  });

  it.each(['en', 'zh-Hans', 'zh-Hant'] as const)(
    'shows %s on every screen, with no missing text and no English left in Chinese',
    async (locale) => {
      await openScreen(page, '/');
      await page.locator('.lang select').selectOption(locale);
      await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(locale);
      const problems: { screen: string; keys: string[]; english: string[] }[] = [];
      const check = async (screen: string) => {
        const text = await visibleText(page);
        const keys = untranslatedKeys(text);
        const english = locale === 'en' ? [] : englishWords(text);
        if (keys.length > 0 || english.length > 0) problems.push({ screen, keys, english: [...new Set(english)] });
      };
      for (const route of SCREENS) {
        await openScreen(page, route);
        await check(route);
      }
      // The workspace during a call (an incoming one: Alt+I), with the registration form open.
      await openScreen(page, '/');
      await page.locator('#phone').focus();
      await page.keyboard.press('Alt+I');
      await page.locator('#btn-add-person').waitFor();
      await page.keyboard.press('Alt+G');
      await page.locator('#reg-name').waitFor();
      await check('/ (in a call)');
      // Talking points follow the reader's script: Traditional characters, converted by the server.
      const talkingPoints = (await page.locator('#talking-points').textContent()) ?? '';
      if (locale === 'zh-Hant') expect(talkingPoints).toContain('“金福”“萬順”');
      if (locale === 'zh-Hans') expect(talkingPoints).toContain('“金福”“万顺”');
      page.once('dialog', (dialog) => void dialog.accept());
      await page.locator('.callbar button.link').click();
      await page.locator('#phone').waitFor();
      expect(problems).toEqual([]);
    },
  );
});
