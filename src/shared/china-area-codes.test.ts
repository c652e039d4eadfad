import { describe, expect, it } from 'vitest';
import { CHINA_AREA_CODES } from './china-area-codes';
import { getRegion, listProvinces } from './regions';

describe('CHINA_AREA_CODES', () => {
  const entries = Object.entries(CHINA_AREA_CODES);

  it('has more than 100 entries', () => {
    expect(entries.length).toBeGreaterThan(100);
  });

  it('maps only to regions that exist, at province or prefecture level (or a county-level city with its own code)', () => {
    for (const [areaCode, regionCode] of entries) {
      const region = getRegion(regionCode);
      expect(region, areaCode).toBeDefined();
      if (region?.level === 'county') expect(region.prefectureCode, areaCode).toBeUndefined();
    }
  });

  it('uses area codes of the right shape: 10, 2x, or three digits from 3 to 9 (four to refine one)', () => {
    for (const areaCode of Object.keys(CHINA_AREA_CODES)) expect(areaCode).toMatch(/^(?:10|2\d|[3-9]\d{2}\d?)$/);
  });

  it('covers every mainland province', () => {
    const covered = new Set(entries.map(([, regionCode]) => getRegion(regionCode)?.provinceCode));
    const mainland = listProvinces().filter((province) => !['810000', '820000'].includes(province.code));
    for (const province of mainland) expect(covered.has(province.code), province.name).toBe(true);
  });

  it('maps the capitals and cities the hotline calls most', () => {
    expect(CHINA_AREA_CODES).toMatchObject({
      '10': '110000',
      '21': '310000',
      '22': '120000',
      '23': '500000',
      '20': '440100',
      '755': '440300',
      '731': '430100',
      '730': '430600',
      '734': '430400',
      '24': '210100',
      '25': '320100',
      '27': '420100',
      '28': '510100',
      '29': '610100',
      '571': '330100',
      '871': '530100',
      '991': '650100',
    });
  });

  it('names each prefecture for at most one area code', () => {
    const prefectures = entries.map(([, regionCode]) => regionCode).filter((code) => getRegion(code)?.level === 'prefecture');
    expect(new Set(prefectures).size).toBe(prefectures.length);
  });
});
