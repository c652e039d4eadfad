import en from '../../../locales/en/public.json' with { type: 'json' };
import zhHans from '../../../locales/zh-Hans/public.json' with { type: 'json' };
import zhHant from '../../../locales/zh-Hant/public.json' with { type: 'json' };
import { LOCALES, type Locale } from '../../shared/localized-text';

/** A key of the public site's strings (`locales/<locale>/public.json`). */
export type PublicKey = keyof typeof zhHans;

const STRINGS: Readonly<Record<Locale, Readonly<Record<PublicKey, string>>>> = { 'zh-Hans': zhHans, 'zh-Hant': zhHant, en };

/** The translator of one page: `t('statement.people', { count: 3 })`. */
export type Translate = (key: PublicKey, params?: Readonly<Record<string, string | number>>) => string;

/** A translator for `locale`; `{name}` placeholders are filled from `params`. */
export function translator(locale: Locale): Translate {
  const strings = STRINGS[locale];
  return (key, params) => {
    const text = strings[key];
    if (params === undefined) return text;
    return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
  };
}

/** The URL path prefix of each locale's pages; Simplified Chinese, the default, has none. */
export const LOCALE_PREFIX: Readonly<Record<Locale, string>> = { 'zh-Hans': '', 'zh-Hant': '/zh-hant', en: '/en' };

/** The path prefixes the routes are registered under, and the locale each one means. */
export const ROUTE_PREFIXES: readonly { prefix: string; locale: Locale }[] = [
  { prefix: '', locale: 'zh-Hans' },
  { prefix: '/zh-hans', locale: 'zh-Hans' },
  { prefix: '/zh-hant', locale: 'zh-Hant' },
  { prefix: '/en', locale: 'en' },
];

/** How each language names itself in the switcher. */
export const LOCALE_NAMES: Readonly<Record<Locale, string>> = { 'zh-Hans': '简体中文', 'zh-Hant': '繁體中文', en: 'English' };

/** The BCP 47 tag for number and date formatting. */
export const INTL_TAG: Readonly<Record<Locale, string>> = { 'zh-Hans': 'zh-CN', 'zh-Hant': 'zh-TW', en: 'en' };

/** A `?lang=` value as a locale, case-insensitively (`zh-hant`, `en`); undefined when it names none. */
export function parseLangParam(value: unknown): Locale | undefined {
  if (typeof value !== 'string') return undefined;
  const wanted = value.trim().toLowerCase();
  return LOCALES.find((locale) => locale.toLowerCase() === wanted);
}

/**
 * The locale an Accept-Language header prefers among ours, used only as a hint for `/`: Chinese
 * written in Taiwan, Hong Kong or Macau (or tagged Hant) means Traditional, other Chinese means
 * Simplified, English means English. Anything else, or nothing, falls back to Simplified Chinese.
 */
export function negotiateLocale(acceptLanguage: string | undefined): Locale {
  if (!acceptLanguage) return 'zh-Hans';
  const ranges = acceptLanguage
    .slice(0, 500)
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { tag: tag.trim(), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((range) => range.tag !== '' && range.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of ranges) {
    if (tag.startsWith('zh')) return /hant|-tw|-hk|-mo/.test(tag) ? 'zh-Hant' : 'zh-Hans';
    if (tag.startsWith('en')) return 'en';
  }
  return 'zh-Hans';
}
