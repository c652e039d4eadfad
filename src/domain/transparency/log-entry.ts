import { createHash, randomBytes } from 'node:crypto';

/**
 * The bytes the transparency log holds for each published statement, and for each withdrawal:
 * what the public site shows anyway, and a salted commitment to the private fields. Text, one
 * `key value` per line in a fixed order, UTF-8, ending in a newline; a verifier recomputes the
 * totals from these lines alone. Nothing in an entry names a person beyond the published name, and
 * the commitment cannot be brute-forced into a real name: its salt is 32 random bytes kept
 * (encrypted) with the statement, and erasing the statement destroys it, so an erased statement's
 * entry stays in the log, counted, and can never be opened.
 *
 *     hotline-statement/v1            hotline-withdrawal/v1
 *     sequence 1234                   sequence 1234
 *     day 2024-05-06                  day 2024-06-01
 *     province 430000                 withdraws 17
 *     channel outbound                reason corrected
 *     people 19                       people 19
 *     party 8                         party 8
 *     league 11                       league 11
 *     pioneers 11                     pioneers 11
 *     name 万顺
 *     commitment <base64 of 32 bytes>
 *
 * `name` is the pseudonym as published, or `*` for a statement under a real name: even the masked
 * name is the person's, and an erasure must be able to remove it from everything Hotline keeps.
 * `sequence` is the statement's public number; `day` the day (China time) it was counted, or
 * withdrawn. A withdrawal names the log index of the statement entry it takes back (`withdraws`),
 * why (`reason`: withdrawn by the person, rejected or a duplicate found by moderators, or corrected,
 * when the corrected statement follows as a new entry), and repeats that entry's counts, which leave
 * the totals.
 */

/** A published statement as the log records it. */
export interface StatementEntry {
  kind: 'statement';
  sequence: number;
  day: string;
  province: string;
  channel: string;
  people: number;
  party: number;
  league: number;
  pioneers: number;
  /** The pseudonym as published, or `*` for a statement under a real name (never even masked in the log). */
  name: string;
  commitment: Buffer;
}

/** Why a statement entry was taken back. */
export const WITHDRAWAL_REASONS = ['withdrawn', 'rejected', 'duplicate', 'corrected'] as const;
export type WithdrawalReason = (typeof WITHDRAWAL_REASONS)[number];

/** A withdrawal: the statement entry it takes back (its log index) and the counts that leave the totals. */
export interface WithdrawalEntry {
  kind: 'withdrawal';
  sequence: number;
  day: string;
  withdraws: number;
  reason: WithdrawalReason;
  people: number;
  party: number;
  league: number;
  pioneers: number;
}

export type LogEntry = StatementEntry | WithdrawalEntry;

const STATEMENT_HEADER = 'hotline-statement/v1';
const WITHDRAWAL_HEADER = 'hotline-withdrawal/v1';
const COUNTS = ['people', 'party', 'league', 'pioneers'] as const;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const NUMBER = /^(0|[1-9][0-9]*)$/;

/** The entry's bytes. Throws when a field cannot be written on one line. */
export function encodeEntry(entry: LogEntry): Buffer {
  const lines: string[] = [];
  const add = (key: string, value: string | number) => {
    const text = String(value);
    if (text === '' || /[\n\r]/.test(text) || text !== text.trim()) throw new Error(`log entry field ${key} must be one line without surrounding spaces`);
    lines.push(`${key} ${text}`);
  };
  lines.push(entry.kind === 'statement' ? STATEMENT_HEADER : WITHDRAWAL_HEADER);
  add('sequence', wholeNumber(entry.sequence, 'sequence'));
  if (!DAY.test(entry.day)) throw new Error('log entry day must be YYYY-MM-DD');
  add('day', entry.day);
  if (entry.kind === 'statement') {
    add('province', entry.province);
    add('channel', entry.channel);
  } else {
    add('withdraws', wholeNumber(entry.withdraws, 'withdraws'));
    if (!WITHDRAWAL_REASONS.includes(entry.reason)) throw new Error(`log entry reason must be one of ${WITHDRAWAL_REASONS.join(', ')}`);
    add('reason', entry.reason);
  }
  for (const key of COUNTS) add(key, wholeNumber(entry[key], key));
  if (entry.kind === 'statement') {
    add('name', entry.name);
    if (entry.commitment.length !== 32) throw new Error('log entry commitment must be 32 bytes');
    add('commitment', entry.commitment.toString('base64'));
  }
  return Buffer.from(`${lines.join('\n')}\n`, 'utf8');
}

/**
 * The entry its bytes hold; throws, naming the line, when they are not exactly what `encodeEntry`
 * writes. `trusted` (the sequencer, reading what Hotline wrote itself) skips the final check that
 * the bytes are canonical, which re-encodes the entry.
 */
export function decodeEntry(bytes: Uint8Array, options: { trusted?: boolean } = {}): LogEntry {
  const text = Buffer.from(bytes).toString('utf8');
  if (!text.endsWith('\n')) throw new Error('log entry must end with a newline');
  const [header, ...lines] = text.slice(0, -1).split('\n');
  const kind = header === STATEMENT_HEADER ? 'statement' : header === WITHDRAWAL_HEADER ? 'withdrawal' : undefined;
  if (kind === undefined) throw new Error('log entry has an unknown header');
  const keys = kind === 'statement' ? ['sequence', 'day', 'province', 'channel', ...COUNTS, 'name', 'commitment'] : ['sequence', 'day', 'withdraws', 'reason', ...COUNTS];
  if (lines.length !== keys.length) throw new Error(`log entry must have ${keys.length} fields`);
  const values: Record<string, string> = {};
  lines.forEach((line, index) => {
    const key = keys[index] as string;
    if (!line.startsWith(`${key} `)) throw new Error(`log entry line ${index + 2} must be ${key}`);
    values[key] = line.slice(key.length + 1);
  });
  const number = (key: string) => {
    const value = values[key] ?? '';
    if (!NUMBER.test(value) || !Number.isSafeInteger(Number(value))) throw new Error(`log entry ${key} must be a whole number`);
    return Number(value);
  };
  const day = values.day ?? '';
  if (!DAY.test(day)) throw new Error('log entry day must be YYYY-MM-DD');
  const counts = { people: number('people'), party: number('party'), league: number('league'), pioneers: number('pioneers') };
  let entry: LogEntry;
  if (kind === 'statement') {
    const commitment = Buffer.from(values.commitment ?? '', 'base64');
    if (commitment.length !== 32 || commitment.toString('base64') !== values.commitment) throw new Error('log entry commitment must be 32 bytes in base64');
    entry = { kind, sequence: number('sequence'), day, province: values.province ?? '', channel: values.channel ?? '', ...counts, name: values.name ?? '', commitment };
  } else {
    const reason = values.reason as WithdrawalReason;
    if (!WITHDRAWAL_REASONS.includes(reason)) throw new Error(`log entry reason must be one of ${WITHDRAWAL_REASONS.join(', ')}`);
    entry = { kind, sequence: number('sequence'), day, withdraws: number('withdraws'), reason, ...counts };
  }
  // Only the canonical form is accepted: one statement, one byte sequence.
  if (options.trusted !== true && !encodeEntry(entry).equals(Buffer.from(bytes))) throw new Error('log entry is not in canonical form');
  return entry;
}

function wholeNumber(value: number, key: string): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`log entry ${key} must be a whole number`);
  return value;
}

/** A fresh salt for a statement's commitment (kept encrypted with the statement, destroyed by erasure). */
export function newCommitmentSalt(): Buffer {
  return randomBytes(32);
}

/**
 * The commitment to a statement's private fields: SHA-256 of a domain tag, the salt and the
 * fields as length-prefixed UTF-8, in the order given. Whoever holds the salt and the fields can
 * show they are what was committed; without the salt, no guess can be checked.
 */
export function commitment(salt: Uint8Array, privateFields: readonly string[]): Buffer {
  if (salt.length !== 32) throw new Error('a commitment salt is 32 bytes');
  const hash = createHash('sha256').update('hotline-statement-commitment/v1\n').update(salt);
  for (const field of privateFields) {
    const bytes = Buffer.from(field, 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    hash.update(length).update(bytes);
  }
  return hash.digest();
}

/** What a sequence of entries adds up to: the totals a checkpoint's log stands for. */
export function totalsOf(entries: Iterable<LogEntry>): { statements: number; people: number; party: number; league: number; pioneers: number } {
  const totals = { statements: 0, people: 0, party: 0, league: 0, pioneers: 0 };
  for (const entry of entries) {
    const sign = entry.kind === 'statement' ? 1 : -1;
    totals.statements += sign;
    for (const key of COUNTS) totals[key] += sign * entry[key];
  }
  return totals;
}
