import type { Page } from 'playwright-core';

/** The console's and the public site's languages. */
export const LOCALES = ['en', 'zh-Hans', 'zh-Hant'] as const;
export type Locale = (typeof LOCALES)[number];

/** The two sizes every screen must work at: a phone and a laptop. */
export const SIZES = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'laptop', width: 1366, height: 768 },
] as const;

/** Every console screen, by the roles that open it (an auditor's account reads the audit log only). */
export const VOLUNTEER_SCREENS = ['/', '/calls', '/me', '/received', '/board', '/campaigns', '/shifts', '/account'] as const;
export const COORDINATOR_SCREENS = [...VOLUNTEER_SCREENS, '/log', '/moderation', '/archive', '/volunteers', '/scripts', '/lists', '/dashboard', '/stories'] as const;
export const ADMIN_SCREENS = [...COORDINATOR_SCREENS, '/followups', '/audit'] as const;
export const SCREENS_BY_ROLE = { volunteer: VOLUNTEER_SCREENS, coordinator: COORDINATOR_SCREENS, admin: ADMIN_SCREENS, auditor: ['/', '/account'] } as const;
export type Role = keyof typeof SCREENS_BY_ROLE;

/** The public site's pages in each language (`/` alone follows the browser's languages). */
export const PUBLIC_PREFIX: Record<Locale, string> = { en: '/en', 'zh-Hans': '/zh-hans', 'zh-Hant': '/zh-hant' };
export const PUBLIC_PAGES = ['/', '/submit', '/receipt', '/stories', '/reports'] as const;

/** Opens a console route in a signed-in page and waits until its lists have loaded. */
export async function openScreen(page: Page, route: string): Promise<void> {
  await page.evaluate((r) => {
    window.location.hash = `#${r}`;
  }, route);
  await page.locator('main h1, main h2').first().waitFor();
  // Lists fill in after their request; wait until nothing says "Loading" any more.
  for (let i = 0; i < 50; i++) {
    const loading = await page
      .locator('main [role=status]')
      .filter({ hasText: /Loading|载入|載入|加载|加載/ })
      .count();
    if (loading === 0) break;
    await page.waitForTimeout(100);
  }
  await page.waitForTimeout(250);
}

/** Switches a signed-in console page to a language. */
export async function chooseLanguage(page: Page, locale: Locale): Promise<void> {
  await page.locator('.lang select').selectOption(locale);
  await page.waitForFunction((l) => document.documentElement.lang === l, locale);
}
