import { deserialize, serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { Keyring, generateKeyringFile } from '../../crypto/keyring';
import { type PreparedRecord, packBatch, prepareRecord, unpackBatch } from './prepare-in-worker';
import { rowFromCsv } from './statement-row';

const keyring = new Keyring(generateKeyringFile());
const now = Date.UTC(2026, 10, 25);
const deps = { keyring, clock: () => now };

function record(line: number, fields: Record<string, string>): PreparedRecord {
  const base = { id: `H${line}`, registered_at: '2019-03-02', name_kind: 'pseudonym', name: '金福', cohorts: '1:party', region: '110105', occupation: '', channel: 'hotline', provenance: 'personal', relation: '', text: '' };
  return prepareRecord(deps, { line, endLine: line, endOffset: line * 100, result: rowFromCsv({ ...base, ...fields }, now) }, 'published');
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
    const arrived = unpackBatch(deserialize(serialize(packBatch(records))) as ReturnType<typeof packBatch>);

    expect(arrived).toEqual(records);
    const encrypted = arrived[1]?.row?.prepared.row.real_name_enc;
    expect(Buffer.isBuffer(encrypted)).toBe(true);
    expect(keyring.decrypt(encrypted as Buffer, 'statements.real_name')).toBe('王建国');
    expect(arrived[1]?.row?.prepared.row.people).toBe(19);
  });
});
