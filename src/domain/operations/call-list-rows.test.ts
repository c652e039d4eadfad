import { describe, expect, it } from 'vitest';
import { canonicalHeader, parseCategory, validateListRecord } from './call-list-rows';

describe('call list rows', () => {
  it('reads English and Chinese headers and categories as people write them', () => {
    expect(canonicalHeader(['Phone', 'Organization name', 'Type', '地区'])).toEqual(['number', 'organization', 'category', 'region']);
    expect(parseCategory('County government')).toBe('county_government');
    expect(parseCategory('派出所')).toBe('police');
    expect(parseCategory('spaceship')).toBeUndefined();
  });

  it('stores E.164 and derives the region of a +86 fixed line from its area code; a given region wins', () => {
    expect(validateListRecord({ number: '0731-8888 1234', organization: '芙蓉区法院', category: 'court' })).toEqual({
      ok: true,
      row: { e164: '+8673188881234', organization: '芙蓉区法院', category: 'court', regionCode: '430100' },
    });
    expect(validateListRecord({ number: '+86 138 0013 8000', organization: 'x', category: 'home' })).toMatchObject({ ok: true, row: { regionCode: null } });
    expect(validateListRecord({ number: '+86 138 0013 8000', organization: 'x', category: 'home', region: '430000' })).toMatchObject({ ok: true, row: { regionCode: '430000' } });
  });

  it('names the first problem of a bad row', () => {
    expect(validateListRecord({ number: '', organization: 'x', category: 'police' })).toEqual({ ok: false, problem: 'NUMBER_MISSING' });
    expect(validateListRecord({ number: '0731 12', organization: 'x', category: 'police' })).toEqual({ ok: false, problem: 'NUMBER_TOO_SHORT' });
    expect(validateListRecord({ number: '13800138000', organization: ' ', category: 'police' })).toEqual({ ok: false, problem: 'ORGANIZATION_MISSING' });
    expect(validateListRecord({ number: '13800138000', organization: 'x', category: 'zoo' })).toEqual({ ok: false, problem: 'CATEGORY_UNKNOWN' });
    expect(validateListRecord({ number: '13800138000', organization: 'x', category: 'police', region: '999999' })).toEqual({ ok: false, problem: 'REGION_UNKNOWN' });
    expect(validateListRecord({ number: '13800138000', organization: 'x'.repeat(201), category: 'police' })).toEqual({ ok: false, problem: 'FIELD_TOO_LONG' });
  });
});
