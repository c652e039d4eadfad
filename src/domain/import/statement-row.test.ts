import { describe, expect, it } from 'vitest';
import { parseCohorts, withSourceId } from './statement-row';

describe('import rows', () => {
  it('reads cohorts, and says what is wrong with a bad one', () => {
    expect(parseCohorts('8:party;11:league+pioneers')).toEqual([
      { count: 8, organizations: ['party'] },
      { count: 11, organizations: ['league', 'pioneers'] },
    ]);
    expect(parseCohorts(' 1 : party + league + pioneers ')).toEqual([{ count: 1, organizations: ['party', 'league', 'pioneers'] }]);
    expect(parseCohorts('0:party')).toBe('cohorts: a count must be between 1 and 10000');
    expect(parseCohorts('10001:party')).toBe('cohorts: a count must be between 1 and 10000');
    expect(parseCohorts('3:party+army')).toBe('cohorts: organizations are party, league and pioneers');
    expect(parseCohorts('3:party+league+pioneers+party')).toMatch(/^cohorts: /);
    expect(parseCohorts('3:')).toMatch(/^cohorts: expected count:organization/);
    expect(parseCohorts('')).toMatch(/^cohorts: missing/);
  });

  it('keeps a source id as given, and refuses one that is not an id', () => {
    const ok = withSourceId('H000000001', {}, 0);
    expect(ok).toEqual({ ok: true, row: { sourceId: 'H000000001', input: { clientId: 'import:H000000001' }, registeredAt: 0 } });
    expect(withSourceId('  H1  ', {}, 0)).toMatchObject({ ok: true, row: { sourceId: 'H1' } });
    expect(withSourceId('', {}, 0)).toEqual({ ok: false, id: '', reason: 'row: id is missing' });
    expect(withSourceId('x'.repeat(57), {}, 0)).toMatchObject({ ok: false, reason: 'row: id is longer than 56 characters' });
    expect(withSourceId('王1', {}, 0)).toMatchObject({ ok: false, id: '?1', reason: 'row: id may hold only letters, digits and . _ : -' });
    expect(withSourceId(42, {}, 0)).toMatchObject({ ok: false });
  });
});
