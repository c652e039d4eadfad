import { describe, expect, it } from 'vitest';
import { Keyring, generateKeyringFile } from '../../crypto/keyring';
import { fakeClock } from '../../shared/clock';
import { isAppError } from '../../shared/app-error';
import { prepareStatement } from './register-statement';

const deps = { keyring: new Keyring(generateKeyringFile()), clock: fakeClock() };
const statement = (nameKind: 'real' | 'pseudonym', name: string) => ({
  nameKind,
  name,
  cohorts: [{ count: 1, organizations: ['party'] }],
  region: '110000',
  channel: 'outbound',
  provenance: { kind: 'volunteer', consent: 'personal' },
});
const refusal = (nameKind: 'real' | 'pseudonym', name: string): string | undefined => {
  try {
    prepareStatement(deps, { source: { kind: 'operator' }, input: statement(nameKind, name) });
    return undefined;
  } catch (error) {
    return isAppError(error) ? String(error.details?.reason) : 'unexpected';
  }
};

describe('name checks', () => {
  it('refuses careless pseudonyms but accepts real names that only look careless', () => {
    expect(refusal('pseudonym', '丽丽')).toBe('REPEATED_CHARACTER');
    expect(refusal('real', '丽丽')).toBeUndefined();
    expect(refusal('real', '林林')).toBeUndefined();
    expect(refusal('real', 'Bo')).toBeUndefined();
  });

  it('still refuses a real name that no person has', () => {
    expect(refusal('real', '王123')).toBe('HAS_DIGITS');
    expect(refusal('real', '<script>')).toBe('HAS_PUNCTUATION_OR_SYMBOLS');
    expect(refusal('real', '测试')).toBe('PLACEHOLDER');
    // Careless entries a pseudonym check calls repeats or key runs are still careless as real names.
    expect(refusal('real', '111')).toBe('HAS_DIGITS');
    expect(refusal('real', '123')).toBe('HAS_DIGITS');
    expect(refusal('real', 'asdf')).toBe('KEYBOARD_RUN');
    expect(refusal('real', 'qwer')).toBe('KEYBOARD_RUN');
  });

  it('checks the real name behind a pseudonym as a real name', () => {
    const withRealName = (realName: string) => {
      try {
        prepareStatement(deps, { source: { kind: 'operator' }, input: { ...statement('pseudonym', '金福'), realName } });
        return undefined;
      } catch (error) {
        return isAppError(error) ? String(error.details?.reason) : 'unexpected';
      }
    };
    expect(withRealName('丽丽')).toBeUndefined();
    expect(withRealName('111')).toBe('HAS_DIGITS');
    expect(withRealName('asdf')).toBe('KEYBOARD_RUN');
  });
});
