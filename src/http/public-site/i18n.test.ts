import { describe, expect, it } from 'vitest';
import en from '../../../locales/en/public.json' with { type: 'json' };
import zhHans from '../../../locales/zh-Hans/public.json' with { type: 'json' };
import zhHant from '../../../locales/zh-Hant/public.json' with { type: 'json' };
import { negotiateLocale, parseLangParam, translator } from './i18n';

describe('public site strings', () => {
  it('has every key in all three languages, none empty, with the same placeholders', () => {
    const keys = Object.keys(zhHans).sort();
    for (const strings of [en, zhHant] as Record<string, string>[]) {
      expect(Object.keys(strings).sort()).toEqual(keys);
      for (const key of keys) {
        const placeholders = (text: string) => (text.match(/\{\w+\}/g) ?? []).sort();
        expect(strings[key]!.length).toBeGreaterThan(0);
        expect(placeholders(strings[key]!)).toEqual(placeholders((zhHans as Record<string, string>)[key]!));
      }
    }
  });

  it('fills placeholders', () => {
    expect(translator('en')('statement.people', { count: 19 })).toBe('19 people');
    expect(translator('zh-Hans')('statement.number', { sequence: 7 })).toBe('第 7 号');
  });
});

describe('language choice', () => {
  it('reads ?lang= case-insensitively and ignores unknown values', () => {
    expect(parseLangParam('zh-hant')).toBe('zh-Hant');
    expect(parseLangParam('EN')).toBe('en');
    expect(parseLangParam('fr')).toBeUndefined();
    expect(parseLangParam(['en'])).toBeUndefined();
  });

  it('takes Accept-Language as a hint, defaulting to Simplified Chinese', () => {
    expect(negotiateLocale(undefined)).toBe('zh-Hans');
    expect(negotiateLocale('zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh-Hans');
    expect(negotiateLocale('zh-TW,zh;q=0.9')).toBe('zh-Hant');
    expect(negotiateLocale('zh-Hant-HK')).toBe('zh-Hant');
    expect(negotiateLocale('fr-FR,en;q=0.5,zh;q=0.9')).toBe('zh-Hans');
    expect(negotiateLocale('en-US,en;q=0.9')).toBe('en');
    expect(negotiateLocale('de-DE')).toBe('zh-Hans');
  });
});
