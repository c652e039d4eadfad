import { Readable } from 'node:stream';

/** What each generated row is, so a test knows the exact report to expect. */
export type PlannedRow = 'ok' | 'malformed' | 'duplicate' | 'do_not_call';

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
  if (row % 97 === 0) return 'malformed';
  if (row % 101 === 0) return 'duplicate';
  if (row % 1009 === 0) return 'do_not_call';
  return 'ok';
}

/** The earlier row a duplicate row repeats. */
export function duplicateSource(row: number): number {
  let source = row - 1;
  while (planRow(source) !== 'ok') source -= 1;
  return source;
}

function lineFor(row: number): string {
  const categories = ['county government', 'police', 'court', 'school', 'company', 'home'];
  const category = categories[row % categories.length]!;
  const organization = `Org ${row}`;
  switch (planRow(row)) {
    case 'malformed':
      return `n/a,${organization},${category},\n`;
    case 'duplicate':
      return `${numberForRow(duplicateSource(row))},${organization},${category},\n`;
    case 'do_not_call':
      return `${doNotCallNumber(row % 3)},${organization},${category},\n`;
    default:
      return `${numberForRow(row)},${organization},${category},\n`;
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
  const counts: Record<PlannedRow, number> = { ok: 0, malformed: 0, duplicate: 0, do_not_call: 0 };
  for (let row = 1; row <= rows; row += 1) counts[planRow(row)] += 1;
  return counts;
}
