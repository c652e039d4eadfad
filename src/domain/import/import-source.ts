import { createReadStream, openSync, readSync, closeSync, statSync } from 'node:fs';
import { Parser } from 'csv-parse';
import { AppError } from '../../shared/app-error';
import {
  CSV_COLUMNS,
  MAX_RECORD_BYTES,
  OPTIONAL_CSV_COLUMNS,
  type CsvColumn,
  type RowResult,
  rowFromCsv,
  rowFromJson,
} from './statement-row';

/** The formats `hotline import statements` reads, chosen by the file's extension. */
export type ImportFormat = 'csv' | 'jsonl';

/** One record read from the file: where it starts, where it ends (to resume after it), and what it holds. */
export interface SourceRecord {
  /** 1-based line where the record starts (what the errors file names). */
  line: number;
  /** Byte offset to resume at after this record: just after its line break. */
  endOffset: number;
  /** Line on which the record ends. */
  endLine: number;
  result: RowResult;
}

/**
 * Where to start reading (the first data record, or just after the last committed one): the byte
 * offset, and how many lines come before it.
 */
export interface SourcePosition {
  offset: number;
  line: number;
}

/** The format of a file by its extension, or an error naming the accepted ones. */
export function formatOf(file: string): ImportFormat {
  const lower = file.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return 'jsonl';
  throw new AppError('BAD_REQUEST', 'The file must end in .csv or .jsonl');
}

function readHead(file: string, bytes: number): Buffer {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const read = readSync(fd, buffer, 0, bytes, 0);
    return buffer.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

/** The file's first bytes (what a checkpoint's hash covers) and its size. */
export function fileHead(file: string): { head: Buffer; size: number } {
  return { head: readHead(file, 64 * 1024), size: statSync(file).size };
}

/**
 * Reads the CSV header and checks it names exactly the documented columns (any order). Returns the
 * columns and where the first record starts.
 */
export function readCsvHeader(file: string): { columns: CsvColumn[]; start: SourcePosition } {
  const head = readHead(file, 8 * 1024);
  const newline = head.indexOf(0x0a);
  if (newline < 0) throw new AppError('VALIDATION_FAILED', `The CSV file has no header line; expected: ${CSV_COLUMNS.join(',')}`);
  const bom = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  const names = head
    .subarray(bom, newline)
    .toString('utf8')
    .replace(/\r$/, '')
    .split(',')
    .map((name) => name.trim().replace(/^"|"$/g, '').toLowerCase());
  const known = new Set<string>([...CSV_COLUMNS, ...OPTIONAL_CSV_COLUMNS]);
  const unknown = names.filter((name) => !known.has(name));
  const missing = CSV_COLUMNS.filter((column) => !names.includes(column));
  if (unknown.length > 0 || missing.length > 0 || new Set(names).size !== names.length) {
    const parts = [
      unknown.length > 0 ? `unknown column(s) ${unknown.join(', ')}` : '',
      missing.length > 0 ? `missing column(s) ${missing.join(', ')}` : '',
    ];
    throw new AppError(
      'VALIDATION_FAILED',
      `The CSV header is wrong (${parts.filter(Boolean).join('; ') || 'a column appears twice'}); expected: ${CSV_COLUMNS.join(',')}`,
    );
  }
  return { columns: names as CsvColumn[], start: { offset: newline + 1, line: 1 } };
}

/** Where the first record of a file starts. */
export function firstPosition(file: string, format: ImportFormat): SourcePosition {
  return format === 'csv' ? readCsvHeader(file).start : { offset: 0, line: 0 };
}

/**
 * Streams the records of `file` from `from`, one at a time, with backpressure: memory stays
 * constant whatever the file's size. Bad records come out as results with a reason; reading goes on.
 */
export function readRecords(file: string, format: ImportFormat, from: SourcePosition, now: number): AsyncGenerator<SourceRecord> {
  return format === 'csv' ? readCsv(file, from, now) : readJsonl(file, from, now);
}

/** A CSV record's fields, with csv-parse's count of bytes and lines read when it was complete. */
interface PositionedRecord {
  values: string[];
  bytes: number;
  lines: number;
}

/**
 * A csv-parse stream that hands out each record's fields with where it ends. csv-parse's `info`
 * option says the same but builds a whole object per record, and its `columns` option defines
 * each field as a property: together they doubled the cost of parsing an import.
 */
class PositionedCsvParser extends Parser {
  override push(record: unknown, encoding?: BufferEncoding): boolean {
    return super.push(record === null ? null : ({ values: record as string[], bytes: this.info.bytes, lines: this.info.lines } satisfies PositionedRecord), encoding);
  }
}

async function* readCsv(file: string, from: SourcePosition, now: number): AsyncGenerator<SourceRecord> {
  const { columns } = readCsvHeader(file);
  const fieldsReason = `expected ${columns.length} fields`;
  const skipped: SourceRecord[] = [];
  let lastEndLine = from.line;
  let lastEndOffset = from.offset;
  const source = createReadStream(file, { start: from.offset, highWaterMark: 64 * 1024 });
  const parser = source.pipe(
    new PositionedCsvParser({
      // Each record's field count is checked below: csv-parse would compare it with the first record's.
      relax_column_count: true,
      bom: from.offset === 0,
      skip_empty_lines: true,
      max_record_size: MAX_RECORD_BYTES,
      skip_records_with_error: true,
      on_skip: (error) => {
        const info = error as unknown as { lines?: number; bytes?: number; code?: string };
        const endLine = info.lines === undefined ? lastEndLine + 1 : from.line + info.lines;
        const endOffset = info.bytes === undefined ? lastEndOffset : from.offset + info.bytes;
        const reason =
          info.code === 'CSV_RECORD_INCONSISTENT_COLUMNS' || info.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH'
            ? fieldsReason
            : info.code === 'CSV_MAX_RECORD_SIZE'
              ? `record longer than ${MAX_RECORD_BYTES} bytes`
              : `malformed CSV (${info.code ?? 'parse error'})`;
        skipped.push({ line: lastEndLine + 1, endLine, endOffset, result: { ok: false, id: '', reason } });
        lastEndLine = endLine;
        lastEndOffset = endOffset;
        return undefined;
      },
    }),
  );
  try {
    yield* csvRecords();
  } finally {
    // A reader that stops early (the import hands the rest to its second thread) closes the file.
    source.destroy();
  }

  async function* csvRecords(): AsyncGenerator<SourceRecord> {
    for await (const item of parser as AsyncIterable<PositionedRecord>) {
      while (skipped.length > 0) yield skipped.shift()!;
      // csv-parse counts lines from 1 where it started reading, which is just after line `from.line`.
      const endLine = from.line + item.lines;
      let inner = 0;
      for (const value of item.values) {
        for (let at = value.indexOf('\n'); at >= 0; at = value.indexOf('\n', at + 1)) inner += 1;
      }
      const endOffset = from.offset + item.bytes;
      lastEndLine = endLine;
      lastEndOffset = endOffset;
      yield { line: endLine - inner, endLine, endOffset, result: item.values.length === columns.length ? rowFromCsv(byColumn(columns, item.values), now) : { ok: false, id: '', reason: fieldsReason } };
    }
    while (skipped.length > 0) yield skipped.shift()!;
  }
}

/** A record's fields by column name. */
function byColumn(columns: readonly CsvColumn[], values: readonly string[]): Partial<Record<CsvColumn, string>> {
  const record: Partial<Record<CsvColumn, string>> = {};
  for (let index = 0; index < columns.length; index += 1) record[columns[index] as CsvColumn] = values[index];
  return record;
}

async function* readJsonl(file: string, from: SourcePosition, now: number): AsyncGenerator<SourceRecord> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let tooLong = false;
  let offset = from.offset;
  let line = from.line;
  const recordOf = (bytes: Buffer, endOffset: number): SourceRecord => {
    line += 1;
    if (tooLong)
      return { line, endLine: line, endOffset, result: { ok: false, id: '', reason: `line longer than ${MAX_RECORD_BYTES} bytes` } };
    let value: unknown;
    try {
      value = JSON.parse(bytes.toString('utf8'));
    } catch {
      return { line, endLine: line, endOffset, result: { ok: false, id: '', reason: 'not valid JSON' } };
    }
    return { line, endLine: line, endOffset, result: rowFromJson(value, now) };
  };
  for await (const chunk of createReadStream(file, { start: from.offset, highWaterMark: 64 * 1024 }) as AsyncIterable<Buffer>) {
    let start = 0;
    for (let newline = chunk.indexOf(0x0a, start); newline >= 0; newline = chunk.indexOf(0x0a, start)) {
      const piece = chunk.subarray(start, newline);
      const endOffset = offset + newline + 1;
      const bytes = pending.length === 0 ? piece : Buffer.concat([...pending, piece]);
      if (pendingBytes + piece.length > MAX_RECORD_BYTES) tooLong = true;
      const isBlank = !tooLong && bytes.toString('utf8').trim() === '';
      if (isBlank) line += 1;
      else yield recordOf(bytes, endOffset);
      pending = [];
      pendingBytes = 0;
      tooLong = false;
      start = newline + 1;
    }
    const rest = chunk.subarray(start);
    if (rest.length > 0) {
      if (pendingBytes + rest.length > MAX_RECORD_BYTES) tooLong = true;
      else pending.push(Buffer.from(rest));
      pendingBytes += rest.length;
    }
    offset += chunk.length;
  }
  if (pendingBytes > 0) {
    const bytes = Buffer.concat(pending);
    if (tooLong || bytes.toString('utf8').trim() !== '') yield recordOf(bytes, offset);
  }
}
