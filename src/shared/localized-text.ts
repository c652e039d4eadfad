/** The languages the public site and the console are written in. */
export type Locale = 'en' | 'zh-Hans' | 'zh-Hant';

/** The locales in the order a language switcher lists them. */
export const LOCALES: readonly Locale[] = ['zh-Hans', 'zh-Hant', 'en'];

/** One text in every locale, for short strings that live in code rather than in locales/*.json. */
export type LocalizedText = Readonly<Record<Locale, string>>;
