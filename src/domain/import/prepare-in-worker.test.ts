import { deserialize, serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { Keyring, generateKeyringFile } from '../../crypto/keyring';
import type { SourceRecord } from './import-source';
import { type BatchInTransfer, forTransfer, fromTransfer, prepareBatch } from './prepare-in-worker';
import { rowFromCsv } from './statement-row';

const keyring = new Keyring(generateKeyringFile());
const now = Date.UTC(2026, 10, 25);
const deps = { keyring, clock: () => now };

function record(line: number, fields: Record<string, string>): SourceRecord {
  const base = { id: `H${line}`, registered_at: '2019-03-02', name_kind: 'pseudonym', name: '金福', cohorts: '1:party', region: '110105', occupation: '', channel: 'hotline', provenance: 'personal', relation: '', text: '' };
  return { line, endLine: line, endOffset: line * 100, result: rowFromCsv({ ...base, ...fields }, now) };
}

const records = [
  record(2, {}),
  record(3, { name_kind: 'real', name: '王建国', cohorts: '8:party;11:league+pioneers', text: '声明\t退出' }),
  record(4, { region: '999999' }),
  // The same id again: stored once.
  record(5, { id: 'H2' }),
];

/** The structured clone a worker's postMessage applies. */
const crossed = (batch: BatchInTransfer) => deserialize(serialize(batch)) as BatchInTransfer;

describe('batches crossing to the writing thread', () => {
  it('arrive as prepared for SQLite: whole rows, real names still encrypted and readable, bad rows with their reason', () => {
    const prepared = prepareBatch(deps, records, { status: 'published', encode: false });
    expect(prepared.bad).toEqual([{ line: 4, id: 'H4', reason: expect.stringMatching(/region/) }]);
    expect(prepared.end).toEqual({ offset: 500, line: 5 });

    const arrived = fromTransfer(crossed(forTransfer(prepared).batch));
    expect(arrived).toEqual(prepared);
    if (arrived.rows.kind !== 'whole') throw new Error('expected whole rows');
    const row = arrived.rows.rows[1]?.row;
    expect(Buffer.isBuffer(row?.real_name_enc)).toBe(true);
    expect(keyring.decrypt(row?.real_name_enc as Buffer, 'statements.real_name')).toBe('王建国');
    expect(row?.people).toBe(19);
  });

  it('arrive encoded for PostgreSQL: COPY text with a placeholder for the public number, the counters they move, a repeated id left out', () => {
    const prepared = prepareBatch(deps, records, { status: 'published', encode: true });
    const { batch, transfer } = forTransfer(prepared);
    expect(transfer).toHaveLength(3);
    const arrived = fromTransfer(crossed(batch));
    if (arrived.rows.kind !== 'encoded') throw new Error('expected encoded rows');
    const encoded = arrived.rows.encoded;
    expect(encoded.repeated).toBe(1);
    expect(encoded.clientIds).toBe('import:H2\nimport:H3');
    expect(encoded.totals.find((entry) => entry.dimension === 'total')).toMatchObject({ people: 20, party: 9, league: 11, pioneers: 11 });

    const lines = Buffer.from(encoded.copy).toString('utf8').split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(2);
    expect(Array.from(encoded.published)).toEqual([1, 1]);
    const fields = (lines[1] ?? '').split('\t');
    // Every column, the public number last, to be filled in by the writer; the text's tab escaped.
    expect(fields).toHaveLength(34);
    expect(fields.at(-1)).toBe('000000000000');
    expect(fields).toContain('声明\\t退出');
    const hex = fields.find((field) => field.startsWith('\\\\x'))?.slice(3) ?? '';
    expect(keyring.decrypt(Buffer.from(hex, 'hex'), 'statements.real_name')).toBe('王建国');
  });
});
