// Regenerates docs/screenshots/: every console screen (as an admin sees it, and the workspace as a
// volunteer does, mid-call with story 1 of DOMAIN.md typed) and every public page, in English,
// Simplified and Traditional Chinese, at 1366x768 and phone size (390x844), on demo data (the same
// as the every-screen browser test). Run with `npm run screenshots` (builds the console first if
// needed). Needs a CJK font: without one every Chinese character renders as a box, so the script
// checks first and stops.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser } from '../test/support/browser';
import { ensureConsoleBuilt, inviteLink, signUpInBrowser, startServerProcess } from '../test/support/console-server';
import { seedEveryList } from '../test/support/page-api';
import { ADMIN_SCREENS, chooseLanguage, LOCALES, openScreen, PUBLIC_PAGES, PUBLIC_PREFIX, SIZES } from '../test/support/screens';

const OUT = path.resolve(import.meta.dirname, '../docs/screenshots');
const FONT_HELP =
  'No Chinese (CJK) font is installed, so every Chinese character would be drawn as a box.\n' +
  'Install one and run again:  apt-get install -y fonts-wqy-zenhei   (or fonts-noto-cjk)\n';

/** What the volunteer types, in the language of the screenshot. */
const SAMPLES = {
  en: {
    notes: 'Party member at the police station. His co-worker applied to the party and agreed to quit the League and Pioneers.',
    reach: '139 1234 5678',
    offered: 'will warn before planned arrests',
  },
  'zh-Hans': {
    notes: '派出所民警，党员。同事申请过入党，同意退团、退队。问了怎么看被封锁的消息。',
    reach: '139 1234 5678',
    offered: '愿意在抓捕前提前通知',
  },
  'zh-Hant': {
    notes: '派出所民警，黨員。同事申請過入黨，同意退團、退隊。問了怎麼看被封鎖的消息。',
    reach: '139 1234 5678',
    offered: '願意在抓捕前提前通知',
  },
} as const;

function stop(message: string): never {
  process.stderr.write(message);
  process.exit(1);
}

/** fontconfig must know a font with Chinese glyphs (Chromium draws text with what fontconfig offers). */
function checkChineseFontInstalled(): void {
  let fonts = '';
  try {
    fonts = execFileSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8' });
  } catch {
    stop(`fc-list (fontconfig) is not available to check the fonts.\n${FONT_HELP}`);
  }
  if (fonts.trim() === '') stop(FONT_HELP);
}

/** The browser's own view: 中 must not be drawn like a character no font has (the box). */
async function checkChineseGlyphsRender(page: Page): Promise<void> {
  // A string, not a function: tsx would wrap an inner function in a helper the page does not have.
  // U+10FFFD is a private-use code point no font draws: it renders as the "missing glyph" box.
  const drawsLikeMissing = await page.evaluate(`(() => {
    const pixels = (text) => {
      const canvas = document.createElement('canvas');
      canvas.width = 64;
      canvas.height = 64;
      const context = canvas.getContext('2d');
      context.font = '40px sans-serif';
      context.fillText(text, 4, 48);
      return Array.from(context.getImageData(0, 0, 64, 64).data).join(',');
    };
    return pixels('中') === pixels('\u{10FFFD}');
  })()`);
  if (drawsLikeMissing) stop(FONT_HELP);
}

/** Types story 1 up to the co-worker's registration, with a follow-up contact and notes. */
async function typeCall(page: Page, sample: (typeof SAMPLES)[keyof typeof SAMPLES]): Promise<void> {
  const keys = page.keyboard;
  await page.locator('#phone').focus();
  await keys.type('010 6512 3456');
  await keys.press('Enter');
  await page.locator('#btn-answered').waitFor();
  await keys.press('Alt+A');
  await page.locator('.region').waitFor();
  await keys.press('Alt+W');
  for (let i = 0; i < 4; i++) await keys.press('ArrowDown');
  await keys.press('Tab');
  await keys.press('ArrowDown');
  await keys.press('ArrowDown');
  await keys.press('Alt+L');
  await keys.type('2');
  await keys.press('Alt+P');
  await keys.press('Alt+R');
  await keys.type('王明');
  await keys.press('Alt+1');
  await keys.press('Enter');
  await keys.press('Alt+H');
  await keys.press('Alt+V');
  await keys.type('Freegate');
  await keys.press('Alt+U');
  await keys.type(sample.reach);
  await keys.press('Tab');
  await keys.type(sample.offered);
  await keys.press('Enter');
  await keys.press('Alt+K');
  await keys.type(sample.notes);
  await keys.press('Alt+P');
  await page.locator('#reg-name').fill('金福');
  await keys.press('Alt+2');
  await keys.press('Alt+3');
  await keys.press('Alt+C');
  // Make the timer show a realistic call length.
  await page.evaluate(() => {
    for (const key of Object.keys(localStorage)) {
      if (!key.startsWith('hotline.console.draft.')) continue;
      const draft = JSON.parse(localStorage.getItem(key)!) as { startedAt: number; answeredAt: number };
      draft.startedAt = Date.now() - 23 * 60_000 - 40_000;
      draft.answeredAt = Date.now() - 23 * 60_000 - 12_000;
      localStorage.setItem(key, JSON.stringify(draft));
    }
  });
}

/** Forgets the call in progress (as "Discard draft" would, without the confirmation dialog). */
async function discardDraft(page: Page): Promise<void> {
  await page.evaluate(() => {
    for (const key of Object.keys(localStorage))
      if (key.startsWith('hotline.console.draft.') || key.startsWith('hotline.console.current.')) localStorage.removeItem(key);
  });
  await page.reload();
  await page.locator('#phone').waitFor();
}

/** A screen's file name: `console-log-zh-Hans-phone.png`, `public-submit-en-laptop.png`. */
function fileName(kind: string, route: string, locale: string, size: string): string {
  const name = route === '/' ? 'home' : route.replace(/^\//, '').replaceAll('/', '-');
  return path.join(OUT, `${kind}-${name}-${locale}-${size}.png`);
}

async function shoot(page: Page, file: string): Promise<void> {
  await page.evaluate(() => {
    window.scrollTo(0, 0);
  });
  await page.screenshot({ path: file });
  process.stdout.write(`wrote ${path.relative(process.cwd(), file)}\n`);
}

checkChineseFontInstalled();
ensureConsoleBuilt();
mkdirSync(OUT, { recursive: true });
for (const file of readdirSync(OUT)) if (file.endsWith('.png')) rmSync(path.join(OUT, file));
const server = await startServerProcess({ HOTLINE_DEMO_CALLS: 'true', HOTLINE_PHONE_NUMBER: '+1 416 555 0100' });
const launched = await launchBrowser();
const { browser } = launched;
try {
  const contextOf = () => browser.newContext({ locale: 'en-US', timezoneId: 'America/Toronto', viewport: { width: 1366, height: 768 } });
  const adminContext = await contextOf();
  const admin = await adminContext.newPage();
  await signUpInBrowser(admin, server.firstAdminLink!, 'root', '林');
  await checkChineseGlyphsRender(admin);
  const volunteerContext = await contextOf();
  const volunteer = await volunteerContext.newPage();
  await signUpInBrowser(volunteer, inviteLink(server, 'volunteer'), 'mei', '梅');
  await seedEveryList(admin, volunteer);
  const publicContext = await browser.newContext({ locale: 'en-US' });
  const visitor = await publicContext.newPage();
  for (const locale of LOCALES) {
    await openScreen(admin, '/');
    await chooseLanguage(admin, locale);
    await openScreen(volunteer, '/');
    await chooseLanguage(volunteer, locale);
    await discardDraft(volunteer);
    await typeCall(volunteer, SAMPLES[locale]);
    for (const size of SIZES) {
      await admin.setViewportSize({ width: size.width, height: size.height });
      for (const route of ADMIN_SCREENS) {
        await openScreen(admin, route);
        await shoot(admin, fileName('console', route, locale, size.name));
      }
      await volunteer.setViewportSize({ width: size.width, height: size.height });
      await volunteer.reload();
      await volunteer.locator('#reg-name').waitFor();
      await volunteer.locator('#reg-name').blur();
      await volunteer.waitForTimeout(300);
      await shoot(volunteer, fileName('console', '/in-a-call', locale, size.name));
      await visitor.setViewportSize({ width: size.width, height: size.height });
      for (const route of PUBLIC_PAGES) {
        await visitor.goto(`${server.url}${PUBLIC_PREFIX[locale]}${route}`);
        await shoot(visitor, fileName('public', route, locale, size.name));
      }
    }
  }
} finally {
  await launched.close();
  await server.close();
}
