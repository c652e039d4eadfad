import { Readable } from 'node:stream';
import type { ImportProblem } from '../../src/shared/schemas/operations';

/**
 * What each generated row is, so a test knows the exact report to expect: a valid new number, an
 * invalid number, a repeat of an earlier row, a do-not-call number, and structurally broken rows
 * (too few fields, too many fields, a misplaced quotation mark).
 */
export type PlannedRow = 'ok' | 'invalid_number' | 'duplicate' | 'do_not_call' | 'short_row' | 'long_row' | 'bad_quote';

/** The number of a normal row: alternately a Changsha fixed line and a mobile, all distinct. */
export function numberForRow(row: number): string {
  const digits = String(row).padStart(7, '0');
  return row % 2 === 0 ? `0731 8${digits}` : `+86 138 ${digits.slice(0, 3)} 0${digits.slice(3)}`;
}

/** A number that is on the do-not-call list in these tests. */
export function doNotCallNumber(k: number): string {
  return `139 ${String(k).padStart(8, '0')}`;
}

/** What row `row` (1-based data row) is in a generated file. */
export function planRow(row: number): PlannedRow {
  if (row % 97 === 0) return 'invalid_number';
  if (row % 101 === 0) return 'duplicate';
  if (row % 1009 === 0) return 'do_not_call';
  if (row % 503 === 0) return 'short_row';
  if (row % 709 === 0) return 'long_row';
  if (row % 4001 === 0) return 'bad_quote';
  return 'ok';
}

/** The earlier row a duplicate row repeats. */
export function duplicateSource(row: number): number {
  let source = row - 1;
  while (planRow(source) !== 'ok') source -= 1;
  return source;
}

/** The problem the report must give a planned row (null: accepted), for a file whose rows start on line 2. */
export function expectedProblem(row: number): { problem: ImportProblem; ref?: string } | null {
  switch (planRow(row)) {
    case 'ok':
      return null;
    case 'invalid_number':
      return { problem: 'NUMBER_INVALID' };
    case 'duplicate':
      return { problem: 'DUPLICATE_IN_FILE', ref: `line ${duplicateSource(row) + 1}` };
    case 'do_not_call':
      return { problem: 'DO_NOT_CALL' };
    case 'short_row':
    case 'long_row':
      return { problem: 'ROW_MALFORMED' };
    case 'bad_quote':
      return { problem: 'ROW_QUOTES_INVALID' };
  }
}

function lineFor(row: number): string {
  const categories = ['county government', 'police', 'court', 'school', 'company', 'home'];
  const category = categories[row % categories.length]!;
  const organization = `Org ${row}`;
  switch (planRow(row)) {
    case 'invalid_number':
      return `n/a,${organization},${category},\n`;
    case 'duplicate':
      return `${numberForRow(duplicateSource(row))},${organization},${category},\n`;
    case 'do_not_call':
      return `${doNotCallNumber(row % 3)},${organization},${category},\n`;
    case 'short_row':
      return `${numberForRow(row)},${organization}\n`;
    case 'long_row':
      return `${numberForRow(row)},${organization},${category},,one too many\n`;
    case 'bad_quote':
      return `${numberForRow(row)},The "Red" ${organization},${category},\n`;
    default:
      // Every 50th organization is quoted properly, with a comma and a doubled quote inside.
      return row % 50 === 0 ? `${numberForRow(row)},"${organization}, ""East"" gate",${category},\n` : `${numberForRow(row)},${organization},${category},\n`;
  }
}

/** A call-list CSV of `rows` data rows, generated lazily (constant memory whatever the size). */
export function callListCsv(rows: number): Readable {
  function* lines(): Generator<string> {
    yield 'number,organization,category,region\n';
    let buffer = '';
    for (let row = 1; row <= rows; row += 1) {
      buffer += lineFor(row);
      if (buffer.length > 16_384) {
        yield buffer;
        buffer = '';
      }
    }
    if (buffer) yield buffer;
  }
  return Readable.from(lines());
}

/** How many rows of each kind a file of `rows` rows holds. */
export function plannedCounts(rows: number): Record<PlannedRow, number> {
  const counts: Record<PlannedRow, number> = { ok: 0, invalid_number: 0, duplicate: 0, do_not_call: 0, short_row: 0, long_row: 0, bad_quote: 0 };
  for (let row = 1; row <= rows; row += 1) counts[planRow(row)] += 1;
  return counts;
}

/**
 * The report's counts per problem for a file of `rows` rows, when the first `alreadyListed` rows'
 * numbers are in a list already (every one of them is an 'ok' row).
 */
export function plannedProblemCounts(rows: number, alreadyListed = 0): Partial<Record<ImportProblem, number>> {
  const planned = plannedCounts(rows);
  return {
    NUMBER_INVALID: planned.invalid_number,
    DUPLICATE_IN_FILE: planned.duplicate,
    DO_NOT_CALL: planned.do_not_call,
    ROW_MALFORMED: planned.short_row + planned.long_row,
    ...(planned.bad_quote > 0 ? { ROW_QUOTES_INVALID: planned.bad_quote } : {}),
    ...(alreadyListed > 0 ? { ALREADY_IN_LIST: alreadyListed } : {}),
  };
}
