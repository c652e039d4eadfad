import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { type CsvRecord, CsvReader } from './csv-records';

/** All records of `text`, fed to the reader in pieces of `piece` bytes (as reads of a file would). */
function readAll(text: string, piece: number, maxRecordBytes = 1000, start = { offset: 0, line: 0 }): CsvRecord[] {
  const bytes = Buffer.from(text);
  const reader = new CsvReader(start.offset, start.line, maxRecordBytes);
  const records: CsvRecord[] = [];
  let pending = Buffer.alloc(0);
  for (let at = 0; ; at += piece) {
    const isEnd = at >= bytes.length;
    const data = Buffer.concat([pending, bytes.subarray(at, Math.min(bytes.length, at + piece))]);
    const { records: read, consumed } = reader.read(data, isEnd);
    records.push(...read);
    pending = Buffer.from(data.subarray(consumed));
    if (isEnd) break;
  }
  return records;
}

/** Same records whatever the size of the reads. */
function readEveryWay(text: string, maxRecordBytes = 1000): CsvRecord[] {
  const whole = readAll(text, Buffer.byteLength(text) + 1, maxRecordBytes);
  for (const piece of [1, 2, 3, 5, 7, 16]) expect(readAll(text, piece, maxRecordBytes)).toEqual(whole);
  return whole;
}

const wellFormed = [
  'a,b,c\n1,2,3\n',
  'a,b,c\r\n1,2,3\r\n',
  'a,b,c\n1,2,3',
  '\n\na,b\n\n\nc,d\n\n',
  '王建国,"8:party;11:league+pioneers",湖南\n"万顺","两行\n文字",""\n',
  '"say ""hi""",x\n,,\n"",""\n',
  '"a,b","c\r\nd",e\r\nf,g,h\r\n',
  'tail,"quoted at the end"',
  'x,"é ü 退",y\n',
];

describe('reading CSV records from bytes', () => {
  it.each(wellFormed)('reads %j as csv-parse does, whatever the size of the reads', (text) => {
    const records = readEveryWay(text);
    const expected = parse(text, { relax_column_count: true, skip_empty_lines: true }) as string[][];
    expect(records.map((record) => record.values)).toEqual(expected);
  });

  it('says where each record starts and ends, in lines and bytes, counting skipped empty lines', () => {
    const text = 'h1\n\n"two\nlines",x\r\nlast';
    const records = readEveryWay(text);
    expect(records.map(({ line, endLine, endOffset }) => ({ line, endLine, endOffset }))).toEqual([
      { line: 1, endLine: 1, endOffset: 3 },
      { line: 3, endLine: 4, endOffset: 19 },
      { line: 5, endLine: 5, endOffset: 23 },
    ]);
    // Resuming from the middle of a file counts on from there.
    const resumed = readAll('a\nb\n', 100, 1000, { offset: 50, line: 9 });
    expect(resumed.map(({ line, endOffset }) => ({ line, endOffset }))).toEqual([
      { line: 10, endOffset: 52 },
      { line: 11, endOffset: 54 },
    ]);
  });

  it('makes a malformed record bad and goes on with the next one', () => {
    const text = 'ok,1\nbad"quote,2\n"closed"then,3\nok,4\n"never closed,5\nstill, inside\n';
    const records = readEveryWay(text);
    expect(records.map((record) => record.error ?? record.values?.join('|'))).toEqual(['ok|1', 'CSV_INVALID_OPENING_QUOTE', 'CSV_INVALID_CLOSING_QUOTE', 'ok|4', 'CSV_QUOTE_NOT_CLOSED']);
    expect(records.at(-1)).toMatchObject({ line: 5, endLine: 7, endOffset: Buffer.byteLength(text) });
  });

  it('refuses a record longer than the limit, quoted or not, without holding it, and reads the next', () => {
    const long = 'x'.repeat(200);
    const text = `a,1\n${long},2\n"${long}\n${long}",3\nb,4\n`;
    const records = readEveryWay(text, 100);
    expect(records.map((record) => record.error ?? record.values?.join('|'))).toEqual(['a|1', 'CSV_MAX_RECORD_SIZE', 'CSV_MAX_RECORD_SIZE', 'b|4']);
    expect(records.map((record) => record.line)).toEqual([1, 2, 3, 5]);
    // Read in small pieces, a long record never waits whole in memory.
    const reader = new CsvReader(0, 0, 100);
    const first = reader.read(Buffer.from(`${long}${long}`), false);
    expect(first).toEqual({ records: [], consumed: 400 });
    expect(reader.read(Buffer.from('tail\nnext,1\n'), true).records.map((record) => record.error ?? record.values?.join('|'))).toEqual(['CSV_MAX_RECORD_SIZE', 'next|1']);
  });
});
