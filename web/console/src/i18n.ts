import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from '../../../locales/en/console.json';
import enOperations from '../../../locales/en/operations.json';
import enSoftphone from '../../../locales/en/softphone.json';
import enReports from '../../../locales/en/reports.json';
import { CONSOLE_LOCALES, type ConsoleLocale, localeFromBrowser } from './locale';

export { CONSOLE_LOCALES, type ConsoleLocale } from './locale';

const STORAGE_KEY = 'hotline.console.locale';

function initialLocale(): ConsoleLocale {
  const stored = localStorage.getItem(STORAGE_KEY);
  if (stored && (CONSOLE_LOCALES as readonly string[]).includes(stored)) return stored as ConsoleLocale;
  return localeFromBrowser(navigator.languages.length > 0 ? navigator.languages : [navigator.language]);
}

/**
 * The Chinese texts load when first needed, each language as a chunk of its own: a volunteer on a
 * slow link loads English (the fallback for any missing text) and their own language, not all three.
 */
const LAZY_LANGUAGES: Record<Exclude<ConsoleLocale, 'en'>, () => Promise<Record<string, Record<string, unknown>>>> = {
  'zh-Hans': () =>
    Promise.all([
      import('../../../locales/zh-Hans/console.json'),
      import('../../../locales/zh-Hans/operations.json'),
      import('../../../locales/zh-Hans/softphone.json'),
      import('../../../locales/zh-Hans/reports.json'),
    ]).then(([console, operations, softphone, reports]) => ({
      console: console.default,
      operations: operations.default,
      softphone: softphone.default,
      reports: reports.default,
    })),
  'zh-Hant': () =>
    Promise.all([
      import('../../../locales/zh-Hant/console.json'),
      import('../../../locales/zh-Hant/operations.json'),
      import('../../../locales/zh-Hant/softphone.json'),
      import('../../../locales/zh-Hant/reports.json'),
    ]).then(([console, operations, softphone, reports]) => ({
      console: console.default,
      operations: operations.default,
      softphone: softphone.default,
      reports: reports.default,
    })),
};

async function loadLanguage(locale: ConsoleLocale): Promise<void> {
  if (locale === 'en' || i18next.hasResourceBundle(locale, 'console')) return;
  const bundles = await LAZY_LANGUAGES[locale]();
  for (const [namespace, resources] of Object.entries(bundles)) i18next.addResourceBundle(locale, namespace, resources, true, true);
}

/** Switches the language (loading its texts first) and remembers the choice. */
export async function setLocale(locale: ConsoleLocale): Promise<void> {
  localStorage.setItem(STORAGE_KEY, locale);
  await loadLanguage(locale).catch(() => undefined);
  await i18next.changeLanguage(locale);
  document.documentElement.lang = locale;
}

const locale = initialLocale();
const initialized = i18next.use(initReactI18next).init({
  lng: 'en',
  fallbackLng: 'en',
  resources: { en: { console: en, operations: enOperations, softphone: enSoftphone, reports: enReports } },
  partialBundledLanguages: true,
  defaultNS: 'console',
  interpolation: { escapeValue: false },
});

/** Resolves once the reader's language is loaded (the console renders after it, so nothing flashes in English). */
export const i18nReady: Promise<void> = initialized.then(() => setLocale(locale));

export { i18next };
