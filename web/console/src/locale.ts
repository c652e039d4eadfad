/** The console's languages. */
export const CONSOLE_LOCALES = ['en', 'zh-Hans', 'zh-Hant'] as const;
export type ConsoleLocale = (typeof CONSOLE_LOCALES)[number];

/** The browser's preferred language mapped to one we have (Traditional for TW/HK/MO and zh-Hant). */
export function localeFromBrowser(languages: readonly string[]): ConsoleLocale {
  for (const raw of languages) {
    const tag = raw.toLowerCase();
    if (tag.startsWith('zh')) return /hant|-tw|-hk|-mo/.test(tag) ? 'zh-Hant' : 'zh-Hans';
    if (tag.startsWith('en')) return 'en';
  }
  return 'en';
}

