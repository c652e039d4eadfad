import { copyLine } from '../copy-text';
import type { StatementsTable } from './registry';
import { STATEMENT_COLUMNS } from './statement-columns';

/**
 * A statement row encoded for PostgreSQL's bulk path before its transaction starts (the import
 * does it on its preparing thread): every column but `sequence`, in this order, as COPY text.
 * The transaction numbers the published ones and appends the number as the last column.
 */
export const ENCODED_STATEMENT_COLUMNS = [...STATEMENT_COLUMNS.filter((column) => column !== 'sequence'), 'sequence'] as const;

const BEFORE_SEQUENCE = STATEMENT_COLUMNS.filter((column) => column !== 'sequence');

/** The row as COPY text, without its public number and line break (see `ENCODED_STATEMENT_COLUMNS`). */
export function encodeStatement(row: StatementsTable): string {
  return copyLine(row, BEFORE_SEQUENCE);
}
