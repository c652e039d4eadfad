import { describe, expect, it } from 'vitest';
import { type LogEntry, commitment, decodeEntry, encodeEntry, newCommitmentSalt, totalsOf } from './log-entry';

const salt = Buffer.alloc(32, 9);
const wang: LogEntry = {
  kind: 'statement',
  sequence: 1234,
  day: '2024-05-06',
  province: '430000',
  channel: 'outbound',
  people: 19,
  party: 8,
  league: 11,
  pioneers: 11,
  name: '万顺',
  commitment: commitment(salt, ['王建国', '13800138000', '430121', '我代表全会议室的人声明']),
};

describe('transparency log entries', () => {
  it('are the documented text, and read back only in that exact form', () => {
    const bytes = encodeEntry(wang);
    expect(bytes.toString('utf8')).toBe(
      `hotline-statement/v1\nsequence 1234\nday 2024-05-06\nprovince 430000\nchannel outbound\npeople 19\nparty 8\nleague 11\npioneers 11\nname 万顺\ncommitment ${wang.kind === 'statement' ? wang.commitment.toString('base64') : ''}\n`,
    );
    expect(decodeEntry(bytes)).toEqual(wang);
    for (const bad of [
      bytes.toString().replace('sequence 1234', 'sequence 01234'),
      bytes.toString().replace('people 19\nparty 8', 'party 8\npeople 19'),
      bytes.toString().replace('name 万顺', 'name  万顺'),
      bytes.toString().slice(0, -1),
      `${bytes.toString()}extra 1\n`,
    ]) {
      expect(() => decodeEntry(Buffer.from(bad))).toThrow();
    }
  });

  it('hold nothing private: no real name, no number, no place below the province, no text', () => {
    const text = encodeEntry(wang).toString('utf8');
    for (const secret of ['王建国', '13800138000', '430121', '会议室']) expect(text).not.toContain(secret);
  });

  it('commit to the private fields so that only the salt opens them', () => {
    const fields = ['王建国', '13800138000'];
    expect(commitment(salt, fields).equals(commitment(salt, fields))).toBe(true);
    expect(commitment(salt, fields).equals(commitment(newCommitmentSalt(), fields))).toBe(false);
    // Length-prefixed: moving a character from one field to the next changes the commitment.
    expect(commitment(salt, ['王建', '国13800138000']).equals(commitment(salt, fields))).toBe(false);
  });

  it('add up to the totals, withdrawals taking their counts back in the open', () => {
    const withdrawal: LogEntry = { kind: 'withdrawal', sequence: 1234, day: '2024-06-01', withdraws: 17, reason: 'withdrawn', people: 19, party: 8, league: 11, pioneers: 11 };
    expect(decodeEntry(encodeEntry(withdrawal))).toEqual(withdrawal);
    expect(encodeEntry(withdrawal).toString()).toBe('hotline-withdrawal/v1\nsequence 1234\nday 2024-06-01\nwithdraws 17\nreason withdrawn\npeople 19\nparty 8\nleague 11\npioneers 11\n');
    expect(() => decodeEntry(Buffer.from(encodeEntry(withdrawal).toString().replace('reason withdrawn', 'reason whim')))).toThrow(/reason/);
    expect(totalsOf([wang, { ...wang, sequence: 1235, people: 1, party: 1, league: 0, pioneers: 0 }])).toEqual({ statements: 2, people: 20, party: 9, league: 11, pioneers: 11 });
    expect(totalsOf([wang, withdrawal])).toEqual({ statements: 0, people: 0, party: 0, league: 0, pioneers: 0 });
  });
});
