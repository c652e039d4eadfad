import type { Readable } from 'node:stream';
import { CsvError, type Options, parse } from 'csv-parse';
import { AppError } from '../../shared/app-error';

/** Why a whole file cannot be read (CSV_UNREADABLE's `reason`); the console and the CLI translate it. */
export type UnreadableReason = 'QUOTE_NOT_CLOSED' | 'ROW_TOO_LONG' | 'QUOTES_BROKEN_ACROSS_LINES' | 'NOT_CSV';

/** One data row of a CSV file as read: its fields, or why its structure is broken. */
export type CsvRow =
  | { line: number; fields: string[]; problem?: undefined }
  | { line: number; fields?: undefined; problem: 'ROW_MALFORMED' | 'ROW_QUOTES_INVALID' };

/** The longest record accepted: far above any real row, low enough that an unclosed quote is caught. */
export const MAX_RECORD_BYTES = 4096;

const LINE_BREAK = /\r\n|\n|\r/g;
const LEADING_BREAKS = /^(?:\r\n|\n|\r)*/;

/**
 * Whether a record's raw text follows RFC 4180 quoting: a field is either unquoted and holds no
 * quotation mark, or quoted from its first character to a closing quote followed by a comma or the
 * end, with quotes inside doubled. `The "Red" Office` and `"+86 138"x` are not.
 */
export function hasWellFormedQuotes(raw: string): boolean {
  const text = raw.replace(/(?:\r\n|\n|\r)$/, '');
  let i = 0;
  for (;;) {
    if (text[i] === '"') {
      i += 1;
      for (;;) {
        const close = text.indexOf('"', i);
        if (close === -1) return false;
        if (text[close + 1] === '"') {
          i = close + 2;
          continue;
        }
        i = close + 1;
        break;
      }
      if (i === text.length) return true;
      if (text[i] !== ',') return false;
      i += 1;
    } else {
      const comma = text.indexOf(',', i);
      const end = comma === -1 ? text.length : comma;
      if (text.slice(i, end).includes('"')) return false;
      if (comma === -1) return true;
      i = comma + 1;
    }
  }
}

/**
 * Reads a CSV stream row by row, comparing every row with the header on its own: a row with the
 * wrong number of fields is ROW_MALFORMED and one with misplaced quotation marks ROW_QUOTES_INVALID,
 * and the rows after it are read normally. Each row carries the line it starts on (a quoted field
 * may span lines). A file whose structure is lost (a quotation mark never closed, a row longer than
 * MAX_RECORD_BYTES, a broken row spanning lines, which means rows ran together) throws
 * CSV_UNREADABLE with the line and the reason: nothing in it can be trusted row by row.
 *
 * The first yielded value is the header (its fields), then the data rows.
 */
export async function* readCsvRows(source: Readable): AsyncGenerator<{ header: string[] } | CsvRow> {
  // Lines are counted as the parser emits records (synchronously, in file order), so that an error
  // thrown while earlier records still wait in the stream's buffer names the right line.
  let linesBefore = 0;
  const locate = (ext: { record: string[]; raw: string }) => {
    const leading = LEADING_BREAKS.exec(ext.raw)?.[0] ?? '';
    const line = linesBefore + (leading.match(LINE_BREAK)?.length ?? 0) + 1;
    const body = ext.raw.slice(leading.length);
    linesBefore += ext.raw.match(LINE_BREAK)?.length ?? 0;
    return { fields: ext.record, body, line, span: body.replace(/(?:\r\n|\n|\r)$/, '').match(LINE_BREAK)?.length ?? 0 };
  };
  // relax_quotes: a stray quote is reported per row (hasWellFormedQuotes) instead of failing the file.
  const options: Options = { bom: true, relax_quotes: true, relax_column_count: true, skip_empty_lines: true, raw: true, max_record_size: MAX_RECORD_BYTES };
  options.on_record = locate as unknown as Options['on_record'];
  const parser = source.pipe(parse(options));
  source.on('error', (error) => parser.destroy(error));
  let header: string[] | undefined;
  try {
    for await (const item of parser as AsyncIterable<ReturnType<typeof locate>>) {
      const { line, body, span } = item;
      if (header === undefined) {
        header = item.fields;
        yield { header };
        continue;
      }
      const problem = !hasWellFormedQuotes(body) ? 'ROW_QUOTES_INVALID' : item.fields.length !== header.length ? 'ROW_MALFORMED' : undefined;
      if (problem && span > 0) unreadable('QUOTES_BROKEN_ACROSS_LINES', line, 'runs over several lines and its quotation marks or columns do not match: rows have run together');
      yield problem ? { line, problem } : { line, fields: item.fields };
    }
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const line = linesBefore + 1;
    if (error.code === 'CSV_QUOTE_NOT_CLOSED') unreadable('QUOTE_NOT_CLOSED', line, 'opens a quotation mark that is never closed', error);
    if (error.code === 'CSV_MAX_RECORD_SIZE') unreadable('ROW_TOO_LONG', line, `is longer than ${MAX_RECORD_BYTES} bytes (perhaps a quotation mark is not closed)`, error);
    unreadable('NOT_CSV', line, 'cannot be read as CSV', error);
  }
}

function unreadable(reason: UnreadableReason, line: number, what: string, cause?: unknown): never {
  throw new AppError('CSV_UNREADABLE', `The file is not a readable CSV: the row starting on line ${line} ${what}. Nothing was stored.`, {
    details: { line, reason },
    ...(cause === undefined ? {} : { cause }),
  });
}
