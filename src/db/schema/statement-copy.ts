import { copyField } from '../copy-text';
import type { StatementsTable } from './registry';
import { STATEMENT_COLUMNS } from './statement-columns';

/**
 * A statement row encoded for PostgreSQL's bulk path before its transaction starts (the import
 * does it on its preparing thread): every column but `sequence`, in this order, then `sequence`,
 * as COPY text. The transaction fills in the public numbers.
 */
export const ENCODED_STATEMENT_COLUMNS = [...STATEMENT_COLUMNS.filter((column) => column !== 'sequence'), 'sequence'] as const;

const nullable = (value: string | number | null): string | number => value ?? '\\N';
const escaped = (value: string | null): string => (value === null ? '\\N' : copyField(value));

/**
 * The row as one line of COPY text in `ENCODED_STATEMENT_COLUMNS` order, ending with `sequence`
 * (COPY text: digits, or `\N`) and the line break. Columns whose values Hotline makes or checks
 * to a fixed shape (its own ids, codes, enums, days, numbers, hex, the cohorts' JSON of numbers
 * and enums) never hold a tab, a line break or a backslash and are written as they are; names,
 * texts, reasons, client and call ids and the ciphertext are escaped. Each column is named here
 * rather than looked up by name in a loop, which cost more than all the rest of the encoding;
 * statement-copy.test.ts checks the line against escaping every column in the listed order.
 */
export function encodeStatementLine(row: StatementsTable, sequence: string): string {
  return [
    row.id,
    escaped(row.client_id),
    row.status,
    row.name_kind,
    escaped(row.public_name),
    row.real_name_enc === null ? '\\N' : copyField(row.real_name_enc),
    nullable(row.real_name_index),
    row.region_code,
    row.province_code,
    nullable(row.occupation),
    row.channel,
    escaped(row.text),
    row.cohorts,
    row.people,
    row.party,
    row.league,
    row.pioneers,
    row.provenance,
    nullable(row.registered_by),
    escaped(row.call_id),
    nullable(row.consent),
    escaped(row.relation),
    nullable(row.hold_reason),
    escaped(row.rejection_reason),
    nullable(row.duplicate_of),
    nullable(row.published_at),
    nullable(row.published_day),
    nullable(row.moderated_by),
    nullable(row.moderated_at),
    row.created_at,
    row.updated_at,
    nullable(row.corrected_at),
    nullable(row.corrected_by),
    `${sequence}\n`,
  ].join('\t');
}
