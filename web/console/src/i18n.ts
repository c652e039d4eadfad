import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from '../../../locales/en/console.json';
import zhHans from '../../../locales/zh-Hans/console.json';
import zhHant from '../../../locales/zh-Hant/console.json';
import enOperations from '../../../locales/en/operations.json';
import zhHansOperations from '../../../locales/zh-Hans/operations.json';
import zhHantOperations from '../../../locales/zh-Hant/operations.json';
import enSoftphone from '../../../locales/en/softphone.json';
import zhHansSoftphone from '../../../locales/zh-Hans/softphone.json';
import zhHantSoftphone from '../../../locales/zh-Hant/softphone.json';
import { CONSOLE_LOCALES, type ConsoleLocale, localeFromBrowser } from './locale';

export { CONSOLE_LOCALES, type ConsoleLocale } from './locale';

const STORAGE_KEY = 'hotline.console.locale';

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
    en: { console: en, operations: enOperations, softphone: enSoftphone },
    'zh-Hans': { console: zhHans, operations: zhHansOperations, softphone: zhHansSoftphone },
    'zh-Hant': { console: zhHant, operations: zhHantOperations, softphone: zhHantSoftphone },
  },
  defaultNS: 'console',
  interpolation: { escapeValue: false },
});

export { i18next };
