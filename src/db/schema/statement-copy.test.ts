import { describe, expect, it } from 'vitest';
import { copyLine } from '../copy-text';
import type { StatementsTable } from './registry';
import { STATEMENT_COLUMNS } from './statement-columns';
import { ENCODED_STATEMENT_COLUMNS, encodeStatementLine } from './statement-copy';

const row: StatementsTable = {
  id: 'Zx9_-a1b2c3d4e5f6',
  client_id: 'console:\tclient\\id',
  status: 'published',
  name_kind: 'real',
  public_name: '王*明\n',
  real_name_enc: Buffer.from([1, 2, 250, 0, 92]),
  real_name_index: 'ab12',
  region_code: '430121',
  province_code: '430000',
  occupation: null,
  channel: 'outbound',
  text: 'tab\there, new\nline, back\\slash \\N, carriage\rreturn 退党',
  cohorts: '[{"count":8,"organizations":["party"]}]',
  people: 8,
  party: 8,
  league: 0,
  pioneers: 0,
  provenance: 'volunteer',
  registered_by: 'u1',
  call_id: 'call\t1',
  consent: 'named_by_other',
  relation: '同事\\',
  hold_reason: null,
  rejection_reason: 'a\nb',
  duplicate_of: null,
  sequence: null,
  published_at: 1_700_000_000_000,
  published_day: '2023-11-15',
  moderated_by: null,
  moderated_at: null,
  created_at: 1_699_000_000_000,
  updated_at: 1_699_000_000_001,
  corrected_at: null,
  corrected_by: null,
};

describe('a statement encoded for COPY', () => {
  it('is what escaping every column gives, in the encoded column order, the public number last', () => {
    const reordered = { ...row, sequence: 42 };
    expect(encodeStatementLine(row, '42')).toBe(`${copyLine(reordered, ENCODED_STATEMENT_COLUMNS)}\n`);
    expect(encodeStatementLine(row, '\\N').split('\t')).toHaveLength(STATEMENT_COLUMNS.length);
    expect(encodeStatementLine(row, '\\N')).toContain('tab\\there, new\\nline, back\\\\slash \\\\N, carriage\\rreturn 退党');
    // Every column with a value of its own, so that two columns swapped would show.
    const full: StatementsTable = {
      ...row,
      occupation: 'police',
      hold_reason: 'kill',
      duplicate_of: 'dup-1',
      moderated_by: 'mod-1',
      moderated_at: 1_699_000_000_002,
      corrected_at: 1_699_000_000_003,
      corrected_by: 'cor-1',
      registered_by: 'reg-1',
      consent: 'personal',
      people: 16,
      party: 8,
      league: 5,
      pioneers: 3,
    };
    expect(encodeStatementLine(full, '7')).toBe(`${copyLine({ ...full, sequence: 7 }, ENCODED_STATEMENT_COLUMNS)}\n`);
    expect(new Set(encodeStatementLine(full, '7').split('\t')).size).toBe(STATEMENT_COLUMNS.length);
  });
});
