import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { ensureConsoleBuilt, inviteLink, type ServerProcess, signUpInBrowser, startServerProcess } from '../support/console-server';
import { seedEveryList } from '../support/page-api';
import { chooseLanguage, LOCALES, openScreen, PUBLIC_PAGES, PUBLIC_PREFIX, type Role, SCREENS_BY_ROLE, SIZES } from '../support/screens';

/**
 * Latin words allowed on a Chinese screen (proper nouns): key names in keyboard hints, the names of
 * languages in the switchers, names of things (time zones, file formats, tools, products), the
 * staff's own user names and the demo data's organization names.
 */
const ALLOWED_LATIN = new Set([
  'Alt', 'Enter', 'Esc', 'Tab', 'English', 'UTC', 'CSV', 'RSS', 'Atom', 'JSON', 'GAP', 'Freegate', 'Ultrasurf', 'Tor', 'VPN', 'PDF',
  'root', 'mei', 'cora', 'audrey', 'Hotline', 'TOTP', 'Twilio', 'SIP', 'IP',
]);

/** What a reader sees: the text, plus labels that only assistive technology reads. */
async function visibleText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const attributes = Array.from(document.querySelectorAll('[aria-label], [title], [placeholder]')).flatMap((element) =>
      ['aria-label', 'title', 'placeholder'].map((name) => element.getAttribute(name) ?? ''),
    );
    // Machine text marked translate="no" (the transparency log's key) is in no language.
    const untranslated = Array.from(document.querySelectorAll<HTMLElement>('[translate="no"]'));
    for (const element of untranslated) element.style.display = 'none';
    const text = document.body.innerText;
    for (const element of untranslated) element.style.display = '';
    return `${text}\n${attributes.join('\n')}`;
  });
}

/** Texts that look like a translation key or a code printed raw: "calls.lockedSince", "(county_government)". */
function rawKeys(text: string): string[] {
  return [
    ...[...text.matchAll(/\b[a-z][a-zA-Z]+\.[a-z][a-zA-Z_]+(?:\.[a-zA-Z_]+)*\b/g)].map((m) => m[0]),
    ...[...text.matchAll(/\b[a-z]+(?:_[a-z]+)+\b/g)].map((m) => m[0]),
  ];
}

function englishWords(text: string): string[] {
  // Time zones (Asia/Shanghai, America/Toronto) are names, and pinyin with its tone marks (jīn fú) is Chinese.
  const withoutNames = text.replace(/\b[A-Z][a-z]+\/[A-Za-z_]+\b/g, '').replace(/[A-Za-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü][A-Za-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]*/g, '');
  return [...withoutNames.matchAll(/[A-Za-z]{2,}/g)].map((m) => m[0]).filter((word) => !ALLOWED_LATIN.has(word));
}

/** Horizontal scrolling: of the page, or inside any box on it (a wide table in a scroller is still a wide table). */
async function overflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const viewport = window.innerWidth;
    if (document.documentElement.scrollWidth > viewport) found.push(`page ${document.documentElement.scrollWidth}px > ${viewport}px`);
    for (const element of Array.from(document.querySelectorAll<HTMLElement>('main *, header *, body > *'))) {
      const style = getComputedStyle(element);
      if ((style.overflowX === 'auto' || style.overflowX === 'scroll') && element.scrollWidth > element.clientWidth + 1)
        found.push(`${element.tagName.toLowerCase()}.${element.className} scrolls ${element.scrollWidth}px in ${element.clientWidth}px`);
    }
    return found;
  });
}

interface Problem {
  where: string;
  keys?: string[];
  english?: string[];
  overflow?: string[];
}

async function audit(page: Page, where: string, locale: string, problems: Problem[]): Promise<void> {
  const text = await visibleText(page);
  const keys = rawKeys(text);
  const english = locale === 'en' ? [] : [...new Set(englishWords(text))];
  const wide = await overflow(page);
  if (keys.length + english.length + wide.length > 0)
    problems.push({ where, ...(keys.length > 0 ? { keys } : {}), ...(english.length > 0 ? { english } : {}), ...(wide.length > 0 ? { overflow: wide } : {}) });
}

describe('every screen in three languages at two sizes: no horizontal scrolling, no raw key, no English on a Chinese screen', () => {
  let server: ServerProcess;
  let browser: { browser: Browser; close(): Promise<void> };
  const contexts: BrowserContext[] = [];
  const pages = {} as Record<Role, Page>;

  /** Requests the console made that the server refused or could not find (none is needless). */
  const refused: string[] = [];
  const signedIn = async (role: Role, link: string, username: string, displayName: string) => {
    const context = await browser.browser.newContext({ locale: 'en-US', timezoneId: 'America/Toronto', viewport: { width: 1366, height: 768 } });
    contexts.push(context);
    const page = await context.newPage();
    await signUpInBrowser(page, link, username, displayName);
    page.on('response', (response) => {
      if (response.status() >= 400) refused.push(`${role} ${response.request().method()} ${new URL(response.url()).pathname} ${response.status()}`);
    });
    pages[role] = page;
    return page;
  };

  beforeAll(async () => {
    ensureConsoleBuilt();
    server = await startServerProcess({ HOTLINE_DEMO_CALLS: 'true', HOTLINE_PHONE_NUMBER: '+1 416 555 0100' });
    browser = await launchBrowser();
    const admin = await signedIn('admin', server.firstAdminLink!, 'root', '林');
    await signedIn('coordinator', inviteLink(server, 'coordinator'), 'cora', '高');
    const volunteer = await signedIn('volunteer', inviteLink(server, 'volunteer'), 'mei', '梅');
    await signedIn('auditor', inviteLink(server, 'auditor'), 'audrey', '审');
    await seedEveryList(admin, volunteer);
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser.close();
    await server.close();
  });

  it.each(LOCALES)('the console in %s, every role', async (locale) => {
    const problems: Problem[] = [];
    for (const role of Object.keys(SCREENS_BY_ROLE) as Role[]) {
      const page = pages[role];
      await openScreen(page, '/');
      await chooseLanguage(page, locale);
      for (const size of SIZES) {
        await page.setViewportSize({ width: size.width, height: size.height });
        for (const route of SCREENS_BY_ROLE[role]) {
          await openScreen(page, route);
          await audit(page, `${role} ${route} ${size.name}`, locale, problems);
        }
      }
    }
    // The workspace during a call (an incoming one: Alt+I) with the group form open, at both sizes.
    const page = pages.volunteer;
    await openScreen(page, '/');
    await page.locator('#phone').focus();
    await page.keyboard.press('Alt+I');
    await page.locator('#btn-add-person').waitFor();
    await page.keyboard.press('Alt+G');
    await page.locator('#reg-name').waitFor();
    for (const size of SIZES) {
      await page.setViewportSize({ width: size.width, height: size.height });
      await page.waitForTimeout(200);
      await audit(page, `volunteer / (in a call) ${size.name}`, locale, problems);
    }
    // Talking points follow the reader's script: Traditional characters, converted by the server.
    const talkingPoints = (await page.locator('#talking-points').textContent()) ?? '';
    if (locale === 'zh-Hant') expect(talkingPoints).toContain('“金福”“萬順”');
    if (locale === 'zh-Hans') expect(talkingPoints).toContain('“金福”“万顺”');
    page.once('dialog', (dialog) => void dialog.accept());
    await page.locator('.callbar button.link').click();
    await page.locator('#phone').waitFor();
    expect(problems).toEqual([]);
    // No screen asks for what this server or this role does not have (softphone accounts without telephony).
    expect(refused).toEqual([]);
  });

  it.each(LOCALES)('the public site in %s', async (locale) => {
    const problems: Problem[] = [];
    const context = await browser.browser.newContext({ locale: 'en-US' });
    contexts.push(context);
    const page = await context.newPage();
    for (const size of SIZES) {
      await page.setViewportSize({ width: size.width, height: size.height });
      for (const path of PUBLIC_PAGES) {
        await page.goto(`${server.url}${PUBLIC_PREFIX[locale]}${path}`);
        await page.locator('main').first().waitFor();
        await audit(page, `public ${path} ${size.name}`, locale, problems);
      }
    }
    expect(problems).toEqual([]);
  });
});
