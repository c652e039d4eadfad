import { describe, expect, it } from 'vitest';
import { readSubmitForm } from './submit-form';

const valid = {
  nameKind: 'pseudonym',
  name: ' 金福 ',
  organizations: ['party', 'league', 'party'],
  province: '430000',
  prefecture: '430100',
  county: '430121',
  peopleCount: '19',
  text: ' 声明 ',
  consent: 'yes',
  formToken: 'tok',
  website: '',
};

describe('readSubmitForm', () => {
  it('turns a complete form into a submission at the most specific region, with the anti-abuse evidence', () => {
    const form = readSubmitForm(valid);
    expect(form.errors).toEqual({});
    expect(form.submission).toEqual({ nameKind: 'pseudonym', name: '金福', organizations: ['party', 'league'], peopleCount: 19, region: '430121', text: '声明', consent: true });
    expect(form.antiAbuse).toEqual({ formToken: 'tok' });
    expect(readSubmitForm({ ...valid, county: '' }).submission?.region).toBe('430100');
    expect(readSubmitForm({ ...valid, county: '', prefecture: '' }).submission?.region).toBe('430000');
    expect(readSubmitForm({ ...valid, province: 'abroad', prefecture: '430100' }).submission?.region).toBe('abroad');
    // Beijing's districts sit directly under the municipality in the picker.
    expect(readSubmitForm({ ...valid, province: '110000', prefecture: '110101', county: '' }).submission?.region).toBe('110101');
  });

  it('passes proof of work and honeypot on to the registry', () => {
    const form = readSubmitForm({ ...valid, powChallenge: 'c', powNonce: '42', website: 'http://spam' });
    expect(form.antiAbuse).toEqual({ pow: { challenge: 'c', nonce: '42' }, formToken: 'tok', honeypot: 'http://spam' });
  });

  it('names each wrong field and keeps what was typed', () => {
    const form = readSubmitForm({ nameKind: 'x', name: '111', organizations: 'cadre', province: '430000', prefecture: '110100', peopleCount: '0', text: 'a'.repeat(2001) });
    expect(form.submission).toBeUndefined();
    expect(Object.keys(form.errors).sort()).toEqual(['consent', 'nameKind', 'name', 'organizations', 'peopleCount', 'region', 'text'].sort());
    expect(form.errors.name).toEqual({ pseudonym: 'REPEATED_CHARACTER' });
    expect(form.values.name).toBe('111');
    expect(form.values.prefecture).toBe('110100');
  });

  it('reads anything that is not a urlencoded form as an empty one', () => {
    for (const body of [undefined, null, 'text', 42, { name: { nested: true }, organizations: [1, 2] }]) {
      const form = readSubmitForm(body);
      expect(form.submission).toBeUndefined();
      expect(form.errors.name).toEqual({ pseudonym: 'EMPTY' });
    }
  });
});
