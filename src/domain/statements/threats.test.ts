import { describe, expect, it } from 'vitest';
import { detectThreats } from './threats';

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
});
