import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { ensureConsoleBuilt, inviteLink, type ServerProcess, signUpInBrowser, startServerProcess } from '../support/console-server';
import { apiFromPage, seedCampaign } from '../support/page-api';

const LOCALES = ['en', 'zh-Hans', 'zh-Hant'] as const;
const SIZES = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'laptop', width: 1366, height: 768 },
] as const;

/** Every console screen, by the roles that open it (an auditor's account reads the audit log only). */
const VOLUNTEER_SCREENS = ['/', '/calls', '/board', '/campaigns', '/shifts'];
const COORDINATOR_SCREENS = [...VOLUNTEER_SCREENS, '/log', '/moderation', '/volunteers', '/scripts', '/lists'];
const SCREENS_BY_ROLE = { volunteer: VOLUNTEER_SCREENS, coordinator: COORDINATOR_SCREENS, admin: COORDINATOR_SCREENS, auditor: ['/'] } as const;
type Role = keyof typeof SCREENS_BY_ROLE;

/** The public site's pages in each language (`/` alone follows the browser's languages). */
const PUBLIC_PREFIX: Record<(typeof LOCALES)[number], string> = { en: '/en', 'zh-Hans': '/zh-hans', 'zh-Hant': '/zh-hant' };
const PUBLIC_PAGES = ['/', '/submit', '/receipt'];

/**
 * Latin words allowed on a Chinese screen (proper nouns): key names in keyboard hints, the names of
 * languages in the switchers, names of things (time zones, file formats, tools, products), the
 * staff's own user names and the demo data's organization names.
 */
const ALLOWED_LATIN = new Set([
  'Alt', 'Enter', 'Esc', 'Tab', 'English', 'UTC', 'CSV', 'RSS', 'JSON', 'GAP', 'Freegate', 'Ultrasurf', 'Tor', 'VPN', 'PDF',
  'root', 'mei', 'cora', 'audrey', 'Hotline', 'TOTP', 'Twilio', 'SIP', 'IP',
]);

/** What a reader sees: the text, plus labels that only assistive technology reads. */
async function visibleText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const attributes = Array.from(document.querySelectorAll('[aria-label], [title], [placeholder]')).flatMap((element) =>
      ['aria-label', 'title', 'placeholder'].map((name) => element.getAttribute(name) ?? ''),
    );
    return `${document.body.innerText}\n${attributes.join('\n')}`;
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
  await page.waitForTimeout(250);
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

  const signedIn = async (role: Role, link: string, username: string, displayName: string) => {
    const context = await browser.browser.newContext({ locale: 'en-US', timezoneId: 'America/Toronto', viewport: { width: 1366, height: 768 } });
    contexts.push(context);
    const page = await context.newPage();
    await signUpInBrowser(page, link, username, displayName);
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
    // Something on every list: a campaign whose numbers the volunteer holds, a saved call with
    // notes and a person registered, a number on the do-not-call list, a shift.
    const campaignId = await seedCampaign(admin, '湖南县政府', [
      ['+8673188880001', '县政府办公室', 'county_government'],
      ['+8673188880002', '城关派出所', 'police'],
      ['+8673188880003', '县人民医院', 'hospital'],
    ]);
    expect((await apiFromPage(volunteer, 'POST', `/api/operations/campaigns/${campaignId}/claim`, { size: 3 })).status).toBe(200);
    await apiFromPage(admin, 'POST', '/api/operations/do-not-call', { number: '+8613800000009', reason: '要求不再来电' });
    await apiFromPage(volunteer, 'POST', '/api/operations/shifts', { weekday: 2, startMinute: 20 * 60, durationMinutes: 240, timeZone: 'America/Toronto' });
    const startedAt = Date.now() - 3_960_000;
    const saved = await apiFromPage(volunteer, 'POST', '/api/calls', {
      clientId: 'every-screen-call-1',
      direction: 'outbound',
      phone: '186 7311 2345',
      orgType: 'county_government',
      occupation: 'government',
      listeners: 19,
      outcome: 'registered',
      notes: '开会时接的电话，全屋都在听。',
      handedOut: { hotlineNumberGiven: true, circumventionTool: 'Freegate', materialsRequested: false },
      startedAt,
      answeredAt: startedAt + 5_000,
      endedAt: startedAt + 3_965_000,
      registrations: [{ clientId: 'every-screen-reg-1', nameKind: 'pseudonym', name: '万顺', cohorts: [{ count: 8, organizations: ['party'] }], consent: 'personal' }],
      followups: [{ clientId: 'every-screen-fu-1', name: '王', howToReach: '139 1234 5678', offered: '抓捕前提前通知' }],
    });
    expect(saved.status).toBe(200);
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
      await page.locator('.lang select').selectOption(locale);
      await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(locale);
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
