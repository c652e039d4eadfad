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

  it('checks a real name as a real name: 丽丽 passes, digits and key runs do not', () => {
    expect(readSubmitForm({ ...valid, nameKind: 'real', name: '丽丽' }).submission?.name).toBe('丽丽');
    expect(readSubmitForm({ ...valid, nameKind: 'pseudonym', name: '丽丽' }).errors.name).toEqual({ pseudonym: 'REPEATED_CHARACTER' });
    expect(readSubmitForm({ ...valid, nameKind: 'real', name: '111' }).errors.name).toEqual({ pseudonym: 'HAS_DIGITS' });
    expect(readSubmitForm({ ...valid, nameKind: 'real', name: 'asdf' }).errors.name).toEqual({ pseudonym: 'KEYBOARD_RUN' });
  });

  it('reads the "show counties" step as a step: no checks, no submission, choices that no longer fit dropped', () => {
    const step = readSubmitForm({ ...valid, county: '', step: 'regions', name: '' });
    expect(step.isRegionStep).toBe(true);
    expect(step.submission).toBeUndefined();
    expect(step.errors).toEqual({});
    expect(step.values).toMatchObject({ name: '', province: '430000', prefecture: '430100', county: '', text: ' 声明 ' });
    // The province changed after a prefecture was chosen: the prefecture (and its county) go.
    expect(readSubmitForm({ ...valid, province: '110000', step: 'regions' }).values).toMatchObject({ province: '110000', prefecture: '', county: '' });
    // A county of another prefecture goes; the prefecture stays.
    expect(readSubmitForm({ ...valid, prefecture: '430200', step: 'regions' }).values).toMatchObject({ prefecture: '430200', county: '' });
    expect(readSubmitForm(valid).isRegionStep).toBe(false);
  });

  it('refuses a single-valued field sent twice instead of guessing which one was meant', () => {
    const form = readSubmitForm({ ...valid, name: ['金福', '万顺'] });
    expect(form.submission).toBeUndefined();
    expect(form.errors.form).toEqual({ key: 'error.generic' });
    expect(readSubmitForm({ ...valid, peopleCount: ['1', '1000'] }).submission).toBeUndefined();
  });

  it('reads anything that is not a urlencoded form as an empty one', () => {
    for (const body of [undefined, null, 'text', 42, { name: { nested: true }, organizations: [1, 2] }]) {
      const form = readSubmitForm(body);
      expect(form.submission).toBeUndefined();
      expect(form.errors.name).toEqual({ pseudonym: 'EMPTY' });
    }
  });
});
