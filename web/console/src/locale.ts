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

/** i18next's current language as one of ours (English for anything else). */
export function consoleLocaleOf(language: string): ConsoleLocale {
  return (CONSOLE_LOCALES as readonly string[]).includes(language) ? (language as ConsoleLocale) : 'en';
}
