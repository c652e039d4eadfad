import { describe, expect, it } from 'vitest';
import { OUTBOUND_REFUSALS } from '../../../../src/shared/dial-target';
import en from '../../../../locales/en/softphone.json';
import zhHans from '../../../../locales/zh-Hans/softphone.json';
import zhHant from '../../../../locales/zh-Hant/softphone.json';

function keysOf(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([key, inner]) => keysOf(inner, prefix ? `${prefix}.${key}` : key));
}

describe('softphone translations', () => {
  it('has every English text in Simplified and Traditional Chinese too', () => {
    const english = keysOf(en).sort();
    expect(keysOf(zhHans).sort()).toEqual(english);
    expect(keysOf(zhHant).sort()).toEqual(english);
  });

  it('explains every refusal Hotline can send, in every language', () => {
    for (const messages of [en, zhHans, zhHant]) {
      for (const code of OUTBOUND_REFUSALS) expect(messages.refusal[code].length).toBeGreaterThan(10);
    }
  });
});
