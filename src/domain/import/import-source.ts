import { createReadStream, openSync, readSync, closeSync, statSync } from 'node:fs';
import { AppError } from '../../shared/app-error';
import { type CsvRecordError, readCsvRecords } from './csv-records';
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
 * Streams the records of `file` from `from`, in groups as read (a megabyte of CSV at a time), with
 * backpressure: memory stays constant whatever the file's size. Bad records come out as results
 * with a reason; reading goes on.
 */
export function readRecords(file: string, format: ImportFormat, from: SourcePosition, now: number): AsyncGenerator<SourceRecord[]> {
  return format === 'csv' ? readCsv(file, from, now) : readJsonl(file, from, now);
}

async function* readCsv(file: string, from: SourcePosition, now: number): AsyncGenerator<SourceRecord[]> {
  const { columns } = readCsvHeader(file);
  const fieldsReason = `expected ${columns.length} fields`;
  const reasons: Record<CsvRecordError, string> = {
    CSV_MAX_RECORD_SIZE: `record longer than ${MAX_RECORD_BYTES} bytes`,
    CSV_INVALID_OPENING_QUOTE: 'malformed CSV (CSV_INVALID_OPENING_QUOTE)',
    CSV_INVALID_CLOSING_QUOTE: 'malformed CSV (CSV_INVALID_CLOSING_QUOTE)',
    CSV_QUOTE_NOT_CLOSED: 'malformed CSV (CSV_QUOTE_NOT_CLOSED)',
  };
  for await (const records of readCsvRecords(file, from, MAX_RECORD_BYTES)) {
    yield records.map(({ values, error, line, endLine, endOffset }): SourceRecord => {
      const result: RowResult =
        values === undefined
          ? { ok: false, id: '', reason: reasons[error as CsvRecordError] }
          : values.length === columns.length
            ? rowFromCsv(byColumn(columns, values), now)
            : { ok: false, id: '', reason: fieldsReason };
      return { line, endLine, endOffset, result };
    });
  }
}

/** A record's fields by column name. */
function byColumn(columns: readonly CsvColumn[], values: readonly string[]): Partial<Record<CsvColumn, string>> {
  const record: Partial<Record<CsvColumn, string>> = {};
  for (let index = 0; index < columns.length; index += 1) record[columns[index] as CsvColumn] = values[index];
  return record;
}

async function* readJsonl(file: string, from: SourcePosition, now: number): AsyncGenerator<SourceRecord[]> {
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
    const records: SourceRecord[] = [];
    for (let newline = chunk.indexOf(0x0a, start); newline >= 0; newline = chunk.indexOf(0x0a, start)) {
      const piece = chunk.subarray(start, newline);
      const endOffset = offset + newline + 1;
      const bytes = pending.length === 0 ? piece : Buffer.concat([...pending, piece]);
      if (pendingBytes + piece.length > MAX_RECORD_BYTES) tooLong = true;
      const isBlank = !tooLong && bytes.toString('utf8').trim() === '';
      if (isBlank) line += 1;
      else records.push(recordOf(bytes, endOffset));
      pending = [];
      pendingBytes = 0;
      tooLong = false;
      start = newline + 1;
    }
    if (records.length > 0) yield records;
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
    if (tooLong || bytes.toString('utf8').trim() !== '') yield [recordOf(bytes, offset)];
  }
}
