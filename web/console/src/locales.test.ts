import { describe, expect, it } from 'vitest';
import en from '../../../locales/en/console.json';
import zhHans from '../../../locales/zh-Hans/console.json';
import zhHant from '../../../locales/zh-Hant/console.json';

function keysOf(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([key, inner]) => keysOf(inner, prefix ? `${prefix}.${key}` : key));
}

describe('console translations', () => {
  it('has every English text in Simplified and Traditional Chinese too', () => {
    const english = keysOf(en).sort();
    expect(keysOf(zhHans).sort()).toEqual(english);
    expect(keysOf(zhHant).sort()).toEqual(english);
  });
});
