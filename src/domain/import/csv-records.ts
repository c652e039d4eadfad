/**
 * RFC 4180 records read straight from a file's bytes, each with where it starts and ends, for the
 * import. A record with no quote (nearly every one) is found with one native `indexOf`, decoded
 * once and split on commas; a quoted one goes through a small state machine. csv-parse did the same
 * job at a third of the import's CPU time.
 *
 * Records end at LF or CRLF; empty lines are skipped; a field may be quoted, with `""` for a quote
 * and line breaks inside. A record longer than `maxRecordBytes`, a quote inside an unquoted field,
 * text after a closing quote and a quote left open at the end of the file make a bad record (its
 * `error`), and reading goes on after it.
 */

import { open } from 'node:fs/promises';

/** One record: its fields, or why it could not be read; the 1-based lines it spans; the byte offset just after it. */
export interface CsvRecord {
  values?: string[];
  error?: CsvRecordError;
  line: number;
  endLine: number;
  endOffset: number;
}

/** Why a record could not be read. */
export type CsvRecordError = 'CSV_MAX_RECORD_SIZE' | 'CSV_INVALID_OPENING_QUOTE' | 'CSV_INVALID_CLOSING_QUOTE' | 'CSV_QUOTE_NOT_CLOSED';

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const COMMA = 0x2c;

/** How much is read from the file at a time. */
const READ_BYTES = 64 * 1024;

/**
 * The records of `file` from byte `offset`, after line `line` (the header's, or the last one an
 * earlier run committed), in groups as they come out of each read.
 */
export async function* readCsvRecords(file: string, from: { offset: number; line: number }, maxRecordBytes: number): AsyncGenerator<CsvRecord[]> {
  const handle = await open(file, 'r');
  try {
    const reader = new CsvReader(from.offset, from.line, maxRecordBytes);
    let position = from.offset;
    let pending = Buffer.alloc(0);
    for (;;) {
      const chunk = Buffer.allocUnsafe(READ_BYTES);
      const { bytesRead } = await handle.read(chunk, 0, READ_BYTES, position);
      position += bytesRead;
      const isEnd = bytesRead === 0;
      const data = pending.length === 0 ? chunk.subarray(0, bytesRead) : Buffer.concat([pending, chunk.subarray(0, bytesRead)]);
      const { records, consumed } = reader.read(data, isEnd);
      pending = Buffer.from(data.subarray(consumed));
      if (records.length > 0) yield records;
      if (isEnd) return;
    }
  } finally {
    await handle.close();
  }
}

/** The parser's state between reads: where in the file and on which line the unread data starts. */
export class CsvReader {
  constructor(
    private offset: number,
    private line: number,
    private readonly maxRecordBytes: number,
  ) {}

  /**
   * The complete records at the start of `data` (and, at the end of the file, the last one even
   * without a line break), and how many bytes they took: the rest comes again with the next read.
   */
  read(data: Buffer, isEnd: boolean): { records: CsvRecord[]; consumed: number } {
    const records: CsvRecord[] = [];
    let at = 0;
    if (this.skipping !== undefined) {
      const skipped = this.skip(data, isEnd);
      if (skipped.record === undefined) return { records, consumed: data.length };
      records.push(skipped.record);
      at = skipped.next;
    }
    let nextQuote = -1;
    while (at < data.length) {
      const newline = data.indexOf(LF, at);
      const lineEnd = newline < 0 ? data.length : newline;
      if (newline < 0 && !isEnd) {
        // The rest of a record may come with the next read, unless it is too long already.
        if (data.length - at <= this.maxRecordBytes) break;
      }
      let contentEnd = lineEnd;
      if (contentEnd > at && data[contentEnd - 1] === CR) contentEnd -= 1;
      const next = newline < 0 ? data.length : newline + 1;
      if (contentEnd === at) {
        // An empty line.
        this.advance(next - at, 1);
        at = next;
        continue;
      }
      // The next quote, searched again only once passed (searching from every record is quadratic).
      if (nextQuote < at) {
        const found = data.indexOf(QUOTE, at);
        nextQuote = found < 0 ? data.length : found;
      }
      if (nextQuote >= lineEnd && lineEnd - at <= this.maxRecordBytes) {
        const values = data.toString('utf8', at, contentEnd).split(',');
        records.push(this.record(values, undefined, next - at, 1));
        at = next;
        continue;
      }
      const quoted = this.readQuoted(data, at, isEnd);
      if (quoted === undefined) break;
      if (quoted.record !== undefined) records.push(quoted.record);
      at = quoted.next;
    }
    return { records, consumed: at };
  }

  /** A bad record being skipped across reads. */
  private skipping: { error: CsvRecordError; lines: number; bytes: number; isInQuotes: boolean } | undefined;

  /** Goes on skipping a bad record from the start of `data`: the record once its end is found. */
  private skip(data: Buffer, isEnd: boolean): { record?: CsvRecord; next: number } {
    const state = this.skipping as NonNullable<typeof this.skipping>;
    let at = 0;
    for (; at < data.length; at += 1) {
      const byte = data[at];
      if (byte === QUOTE) state.isInQuotes = !state.isInQuotes;
      else if (byte === LF) {
        state.lines += 1;
        if (!state.isInQuotes) {
          at += 1;
          break;
        }
      }
    }
    state.bytes += at;
    const isRecordEnd = data[at - 1] === LF && !state.isInQuotes;
    if (!isRecordEnd && !isEnd) return { next: at };
    if (!isRecordEnd) state.lines += 1;
    this.skipping = undefined;
    return { record: this.record(undefined, state.error, state.bytes, state.lines), next: at };
  }

  private advance(bytes: number, lines: number): void {
    this.offset += bytes;
    this.line += lines;
  }

  private record(values: string[] | undefined, error: CsvRecordError | undefined, bytes: number, lines: number): CsvRecord {
    const line = this.line + 1;
    this.advance(bytes, lines);
    // Keys assigned one by one: conditional spreads cost a third of reading a record.
    const record: CsvRecord = { line, endLine: this.line, endOffset: this.offset };
    if (values !== undefined) record.values = values;
    if (error !== undefined) record.error = error;
    return record;
  }

  /**
   * A record with a quote somewhere (or too long for the fast path), byte by byte from `start`.
   * Undefined when the data ends before the record does and more may come.
   */
  private readQuoted(data: Buffer, start: number, isEnd: boolean): { record?: CsvRecord; next: number } | undefined {
    const values: string[] = [];
    let error: CsvRecordError | undefined;
    let lines = 0;
    let at = start;
    // The field being read: where it starts, whether it is quoted and its quote closed, and (quoted) its bytes so far.
    const field = { start, isQuoted: false, isClosed: false, bytes: [] as number[] };
    const endField = (end: number) => {
      if (error !== undefined) return;
      values.push(field.isQuoted ? Buffer.from(field.bytes).toString('utf8') : data.toString('utf8', field.start, end));
    };
    const startField = (from: number) => {
      field.start = from;
      field.isQuoted = data[from] === QUOTE;
      field.isClosed = false;
      field.bytes = [];
    };
    startField(at);
    if (field.isQuoted) at += 1;
    for (;;) {
      if (at >= data.length) {
        if (!isEnd && error !== undefined) {
          // A bad record running past this read: skip the rest of it as it comes (memory stays flat).
          this.skipping = { error, lines, bytes: at - start, isInQuotes: field.isQuoted && !field.isClosed };
          return { next: at };
        }
        if (!isEnd) return undefined;
        if (field.isQuoted && !field.isClosed) error ??= 'CSV_QUOTE_NOT_CLOSED';
        endField(at);
        lines += 1;
        break;
      }
      if (at - start > this.maxRecordBytes) error ??= 'CSV_MAX_RECORD_SIZE';
      const byte = data[at] as number;
      if (field.isQuoted && !field.isClosed) {
        if (byte === QUOTE) {
          if (data[at + 1] === QUOTE) {
            field.bytes.push(QUOTE);
            at += 2;
            continue;
          }
          if (at + 1 >= data.length && !isEnd) return undefined;
          field.isClosed = true;
          at += 1;
          continue;
        }
        if (byte === LF) lines += 1;
        if (error === undefined) field.bytes.push(byte);
        at += 1;
        continue;
      }
      if (byte === COMMA) {
        endField(at);
        at += 1;
        startField(at);
        if (field.isQuoted) at += 1;
        continue;
      }
      if (byte === LF || (byte === CR && data[at + 1] === LF)) {
        endField(at);
        at += byte === CR ? 2 : 1;
        lines += 1;
        break;
      }
      if (byte === CR && at + 1 >= data.length && !isEnd) return undefined;
      if (field.isClosed) error ??= 'CSV_INVALID_CLOSING_QUOTE';
      else if (byte === QUOTE) error ??= 'CSV_INVALID_OPENING_QUOTE';
      at += 1;
    }
    return { record: this.record(error === undefined ? values : undefined, error, at - start, lines), next: at };
  }
}
