import { describe, expect, it } from 'vitest';
import { CHINESE_THREAT_STARTS, THREAT_PATTERNS, detectThreats, simplified } from './threats';

describe('detectThreats', () => {
  it('finds bomb, kill, explosive and extortion threats in Chinese and English', () => {
    expect(detectThreats('明天我要在你们办公室放炸弹')).toEqual(['bomb']);
    expect(detectThreats('我要杀了你')).toEqual(['kill']);
    expect(detectThreats('I will kill you all')).toEqual(['kill']);
    expect(detectThreats('we have explosives')).toEqual(['explosive']);
    expect(detectThreats('交出十万块钱，否则后果自负')).toEqual(['extortion']);
    expect(detectThreats('Pay us or else, this is extortion')).toEqual(['extortion']);
  });

  it('catches Traditional characters and full-width letters', () => {
    expect(detectThreats('我會放炸彈')).toEqual(['bomb']);
    expect(detectThreats('勒索')).toEqual(['extortion']);
    expect(detectThreats('ＢＯＭＢ')).toEqual(['bomb']);
  });

  it('does not hold ordinary statements, even ones that speak of killing', () => {
    expect(detectThreats('我自愿退出中共及其一切组织，不再为中共杀人')).toEqual([]);
    expect(detectThreats('三退保平安', 'Quitting the party for a clear conscience')).toEqual([]);
    expect(detectThreats('Skilled worker')).toEqual([]);
  });

  it('looks at every field it is given', () => {
    expect(detectThreats('平安', '炸药已经准备好')).toEqual(['explosive']);
  });

  it('skips the conversion to Simplified only for text that could not match: the list of starting characters is complete', () => {
    const starts = new Set(CHINESE_THREAT_STARTS);
    for (const pattern of Object.values(THREAT_PATTERNS).flat()) {
      const first = pattern.source.charAt(0);
      if (/\p{Script=Han}/u.test(pattern.source)) expect(starts.has(first), pattern.source).toBe(true);
    }
    // Every character (after NFKC) that Simplified conversion turns into a starting character is listed.
    const ranges = [[0x3400, 0x4dbf], [0x4e00, 0x9fff], [0xf900, 0xfaff], [0x20000, 0x2ebef], [0x2f800, 0x2fa1f]] as const;
    for (const [from, to] of ranges) {
      for (let code = from; code <= to; code += 1) {
        const character = String.fromCodePoint(code).normalize('NFKC');
        if (Array.from(simplified(character)).some((converted) => starts.has(converted))) expect(starts.has(character), character).toBe(true);
      }
    }
    expect(detectThreats('我會殺了你')).toEqual(['kill']);
    expect(detectThreats('交出贖金')).toEqual(['extortion']);
  });
});
