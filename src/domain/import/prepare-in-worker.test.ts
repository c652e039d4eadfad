import { deserialize, serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { Keyring, generateKeyringFile } from '../../crypto/keyring';
import { type PreparedRecord, joinedForTransfer, packBatch, prepareRecord, unpackBatch } from './prepare-in-worker';
import { rowFromCsv } from './statement-row';

const keyring = new Keyring(generateKeyringFile());
const now = Date.UTC(2026, 10, 25);
const deps = { keyring, clock: () => now };

function record(line: number, fields: Record<string, string>, encode = false): PreparedRecord {
  const base = { id: `H${line}`, registered_at: '2019-03-02', name_kind: 'pseudonym', name: '金福', cohorts: '1:party', region: '110105', occupation: '', channel: 'hotline', provenance: 'personal', relation: '', text: '' };
  return prepareRecord(deps, { line, endLine: line, endOffset: line * 100, result: rowFromCsv({ ...base, ...fields }, now) }, { status: 'published', encode });
}

describe('records crossing to the writing thread', () => {
  it('arrive exactly as prepared, real names still encrypted and readable, bad rows with their reason', () => {
    const records = [
      record(2, {}),
      record(3, { name_kind: 'real', name: '王建国', cohorts: '8:party;11:league+pioneers', text: '声明退出' }),
      record(4, { region: '999999' }),
    ];
    expect(records[2]?.bad?.reason).toMatch(/region/);

    // The structured clone a worker's postMessage applies.
    const arrived = unpackBatch(deserialize(serialize(joinedForTransfer(packBatch(records)))) as ReturnType<typeof joinedForTransfer>);

    expect(arrived).toEqual(records);
    const whole = arrived[1]?.row;
    if (whole?.encoded !== undefined) throw new Error('expected a whole row');
    const encrypted = whole?.row.real_name_enc;
    expect(Buffer.isBuffer(encrypted)).toBe(true);
    expect(keyring.decrypt(encrypted as Buffer, 'statements.real_name')).toBe('王建国');
    expect(whole?.row.people).toBe(19);
  });

  it('arrive encoded for PostgreSQL with the facts the batch counts, the real name encrypted in the COPY text', () => {
    const records = [record(2, {}, true), record(3, { name_kind: 'real', name: '王建国', cohorts: '8:party;11:league+pioneers', text: '声明\t退出' }, true), record(4, { region: '999999' }, true)];
    const arrived = unpackBatch(deserialize(serialize(joinedForTransfer(packBatch(records)))) as ReturnType<typeof joinedForTransfer>);
    expect(arrived).toEqual(records);
    const encoded = arrived[1]?.row;
    expect(encoded?.row).toEqual({ id: expect.any(String), client_id: 'import:H3', status: 'published', published_day: '2019-03-02', province_code: '110000', channel: 'hotline', people: 19, party: 8, league: 11, pioneers: 11 });
    const fields = (encoded?.encoded ?? '').split('\t');
    // Every column but the public number, which the transaction appends; the text's tab escaped.
    expect(fields).toHaveLength(33);
    expect(fields).toContain('声明\\t退出');
    const hex = fields.find((field) => field.startsWith('\\\\x'))?.slice(3) ?? '';
    expect(keyring.decrypt(Buffer.from(hex, 'hex'), 'statements.real_name')).toBe('王建国');
  });
});
