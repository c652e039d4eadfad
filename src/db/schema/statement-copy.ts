import { copyField } from '../copy-text';
import type { StatementsTable } from './registry';
import { STATEMENT_COLUMNS } from './statement-columns';

/**
 * A statement row encoded for PostgreSQL's bulk path before its transaction starts (the import
 * does it on its preparing thread): every column but `sequence`, in this order, then `sequence`,
 * as COPY text. The transaction fills in the public numbers.
 */
export const ENCODED_STATEMENT_COLUMNS = [...STATEMENT_COLUMNS.filter((column) => column !== 'sequence'), 'sequence'] as const;

const BEFORE_SEQUENCE = STATEMENT_COLUMNS.filter((column) => column !== 'sequence');

/**
 * Columns whose values Hotline makes or checks to a fixed shape (its own ids, codes, enums, days,
 * numbers, hex, the cohorts' JSON of numbers and enums): they never hold a tab, a line break or a
 * backslash, and are written as they are. Every other column (names, texts, reasons, client and
 * call ids, ciphertext) is escaped. statement-copy.test.ts checks the result against escaping all.
 */
const WRITTEN_AS_IS = new Set<string>([
  'id', 'status', 'name_kind', 'real_name_index', 'region_code', 'province_code', 'occupation', 'channel', 'cohorts', 'people', 'party', 'league',
  'pioneers', 'provenance', 'registered_by', 'consent', 'hold_reason', 'duplicate_of', 'published_at', 'published_day', 'moderated_by',
  'moderated_at', 'created_at', 'updated_at', 'corrected_at', 'corrected_by',
]);
const IS_AS_IS = BEFORE_SEQUENCE.map((column) => WRITTEN_AS_IS.has(column));

/**
 * The row as one line of COPY text in `ENCODED_STATEMENT_COLUMNS` order, ending with `sequence`
 * (COPY text: digits, or `\N`) and the line break.
 */
export function encodeStatementLine(row: StatementsTable, sequence: string): string {
  const fields = new Array<string>(BEFORE_SEQUENCE.length + 1);
  for (let index = 0; index < BEFORE_SEQUENCE.length; index += 1) {
    const value = row[BEFORE_SEQUENCE[index] as keyof StatementsTable];
    fields[index] = value === null ? '\\N' : IS_AS_IS[index] === true ? String(value) : copyField(value);
  }
  fields[BEFORE_SEQUENCE.length] = `${sequence}\n`;
  // Joined once: one flat string, where concatenating field by field made a chain of pieces to flatten later.
  return fields.join('\t');
}
