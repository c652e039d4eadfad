import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from '../../../locales/en/console.json';
import zhHans from '../../../locales/zh-Hans/console.json';
import zhHant from '../../../locales/zh-Hant/console.json';
import enOperations from '../../../locales/en/operations.json';
import zhHansOperations from '../../../locales/zh-Hans/operations.json';
import zhHantOperations from '../../../locales/zh-Hant/operations.json';

/** The console's languages. */
export const CONSOLE_LOCALES = ['en', 'zh-Hans', 'zh-Hant'] as const;
export type ConsoleLocale = (typeof CONSOLE_LOCALES)[number];
const STORAGE_KEY = 'hotline.console.locale';

/** The browser's preferred language mapped to one we have (Traditional for TW/HK/MO and zh-Hant). */
export function localeFromBrowser(languages: readonly string[]): ConsoleLocale {
  for (const raw of languages) {
    const tag = raw.toLowerCase();
    if (tag.startsWith('zh')) return /hant|-tw|-hk|-mo/.test(tag) ? 'zh-Hant' : 'zh-Hans';
    if (tag.startsWith('en')) return 'en';
  }
  return 'en';
}

function initialLocale(): ConsoleLocale {
  const stored = localStorage.getItem(STORAGE_KEY);
  if (stored && (CONSOLE_LOCALES as readonly string[]).includes(stored)) return stored as ConsoleLocale;
  return localeFromBrowser(navigator.languages.length > 0 ? navigator.languages : [navigator.language]);
}

/** Switches the language and remembers the choice. */
export function setLocale(locale: ConsoleLocale): void {
  localStorage.setItem(STORAGE_KEY, locale);
  void i18next.changeLanguage(locale);
  document.documentElement.lang = locale;
}

const locale = initialLocale();
document.documentElement.lang = locale;
void i18next.use(initReactI18next).init({
  lng: locale,
  fallbackLng: 'en',
  resources: {
    en: { console: en, operations: enOperations },
    'zh-Hans': { console: zhHans, operations: zhHansOperations },
    'zh-Hant': { console: zhHant, operations: zhHantOperations },
  },
  defaultNS: 'console',
  interpolation: { escapeValue: false },
});

export { i18next };
