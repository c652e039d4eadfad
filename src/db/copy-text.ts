/**
 * PostgreSQL's COPY text format, without any database module: the import's preparing thread
 * encodes rows with it before they reach the writing thread.
 */

const NEEDS_ESCAPE = /[\\\t\n\r]/;
const ESCAPED = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** One value in COPY's text format: \N for null, bytea as \\x + hex, tabs, newlines and backslashes escaped. */
export function copyField(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'string') return NEEDS_ESCAPE.test(value) ? value.replace(ESCAPED, (character) => ESCAPES[character] as string) : value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (Buffer.isBuffer(value)) return `\\\\x${value.toString('hex')}`;
  if (value instanceof Uint8Array) return `\\\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}`;
  return copyField(JSON.stringify(value));
}

/** One row (the values of `columns`, in order) as a line of COPY text, without its line break. */
export function copyLine<Row>(row: Row, columns: readonly (keyof Row)[]): string {
  // Joined once rather than concatenated field by field: the result is one flat string, not a
  // chain of pieces that has to be flattened later (which cost more than the encoding).
  const fields = new Array<string>(columns.length);
  for (let index = 0; index < columns.length; index += 1) fields[index] = copyField(row[columns[index] as keyof Row]);
  return fields.join('\t');
}

/** Rows (each the values of `columns`, in order) as COPY text-format data. */
export function copyText<Row>(rows: readonly Row[], columns: readonly (keyof Row)[]): Buffer {
  let text = '';
  for (const row of rows) text += `${copyLine(row, columns)}\n`;
  return Buffer.from(text);
}
