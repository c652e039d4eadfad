// Regenerates docs/screenshots/: the call workspace mid-call (story 1 of DOMAIN.md: officer Wang
// registered, his co-worker being typed), in English and Simplified Chinese, at 1366x768 and phone
// size (390x844), each as the screen shows it and as a full page (handed out, follow-up, outcome).
// Run with `npm run screenshots` (builds the console first if needed). Needs a CJK font: without
// one every Chinese character renders as a box, so the script checks first and stops.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser } from '../test/support/browser';
import { ensureConsoleBuilt, inviteLink, signUpInBrowser, startServerProcess } from '../test/support/console-server';

const OUT = path.resolve(import.meta.dirname, '../docs/screenshots');
const SIZES = [
  { name: '1366x768', width: 1366, height: 768 },
  { name: '390x844', width: 390, height: 844 },
];
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

checkChineseFontInstalled();
ensureConsoleBuilt();
const server = await startServerProcess();
const launched = await launchBrowser();
const { browser } = launched;
try {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  await signUpInBrowser(page, inviteLink(server, 'volunteer'), 'mei', 'Mei');
  await checkChineseGlyphsRender(page);
  for (const locale of ['en', 'zh-Hans'] as const) {
    await page.evaluate((l) => {
      localStorage.setItem('hotline.console.locale', l);
    }, locale);
    await page.setViewportSize({ width: 1366, height: 768 });
    await discardDraft(page);
    await typeCall(page, SAMPLES[locale]);
    for (const size of SIZES) {
      await page.setViewportSize({ width: size.width, height: size.height });
      await page.reload();
      await page.locator('#reg-name').waitFor();
      await page.locator('#reg-name').blur();
      await page.evaluate(() => {
        window.scrollTo(0, 0);
      });
      await page.waitForTimeout(300);
      for (const fullPage of [false, true]) {
        const file = path.join(OUT, `workspace-${locale}-${size.name}${fullPage ? '-full' : ''}.png`);
        await page.screenshot({ path: file, fullPage });
        process.stdout.write(`wrote ${path.relative(process.cwd(), file)}\n`);
      }
    }
  }
  await context.close();
} finally {
  await launched.close();
  await server.close();
}
