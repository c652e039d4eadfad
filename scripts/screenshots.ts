// Regenerates docs/screenshots/: the call workspace mid-call, in English and Simplified Chinese, at
// 1366x768 and phone size. Run with `npm run screenshots` (builds the console first if needed).
import path from 'node:path';
import { launchBrowser } from '../test/support/browser';
import { ensureConsoleBuilt, inviteLink, signUpInBrowser, startServerProcess } from '../test/support/console-server';

const OUT = path.resolve(import.meta.dirname, '../docs/screenshots');
const SIZES = [
  { name: '1366x768', width: 1366, height: 768, isMobile: false },
  { name: '390x844', width: 390, height: 844, isMobile: true },
];

ensureConsoleBuilt();
const server = await startServerProcess();
const launched = await launchBrowser();
const { browser } = launched;
try {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  await signUpInBrowser(page, inviteLink(server, 'volunteer'), 'mei', 'Mei');
  // Story 1, halfway: Wang registered under his real name, his co-worker being typed.
  const keys = page.keyboard;
  await keys.type('010 6512 3456');
  await keys.press('Enter');
  await keys.press('Alt+A');
  await keys.press('Alt+W');
  for (let i = 0; i < 4; i++) await keys.press('ArrowDown');
  await keys.press('Alt+L');
  await keys.type('2');
  await keys.press('Alt+P');
  await keys.press('Alt+R');
  await keys.type('王明');
  await keys.press('Alt+1');
  await keys.press('Enter');
  await keys.press('Alt+H');
  await keys.press('Alt+K');
  await keys.type('Party member; asked a co-worker, who agreed to quit the League and Pioneers.');
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
  for (const locale of ['en', 'zh-Hans']) {
    await page.evaluate((l) => {
      localStorage.setItem('hotline.console.locale', l);
    }, locale);
    for (const size of SIZES) {
      await page.setViewportSize({ width: size.width, height: size.height });
      await page.reload();
      await page.locator('#reg-name').waitFor();
      await page.locator('#reg-name').blur();
      await page.waitForTimeout(300);
      const file = path.join(OUT, `workspace-${locale}-${size.name}.png`);
      await page.screenshot({ path: file, fullPage: size.isMobile });
      process.stdout.write(`wrote ${path.relative(process.cwd(), file)}\n`);
    }
  }
  await context.close();
} finally {
  await launched.close();
  await server.close();
}
