import { randomBytes } from 'node:crypto';
import type { LogEntriesTable } from '../../db/schema';
import type { Deps } from '../deps';
import { type WithdrawalReason, commitment, decodeEntry, encodeEntry } from './log-entry';

/**
 * Appending to the transparency log, inside the transaction that publishes or withdraws a statement
 * (which holds the registry lock, so indexes are gapless and in commit order, like the public
 * numbers). The entry's bytes are fixed here, as the statement is at that moment; the sequencer
 * later hashes them into the tree and signs a checkpoint (`sequencer.ts`).
 */

/** What an entry is made from: a published statement's public fields and the private ones it commits to. */
export interface LoggedStatement {
  id: string;
  sequence: number | null;
  published_day: string | null;
  province_code: string;
  channel: string;
  people: number;
  party: number;
  league: number;
  pioneers: number;
  /** 'real' or 'pseudonym'. */
  name_kind: string;
  public_name: string;
  real_name_index: string | null;
  region_code: string;
  occupation: string | null;
  text: string;
}

/**
 * The private fields a statement's commitment covers: its id, the keyed blind index of the real
 * name (never the name: without the index key no guessed name can be checked, even with the salt),
 * the region below the province, the occupation and the text.
 */
export function committedFields(statement: Omit<LoggedStatement, 'sequence'>): string[] {
  return [statement.id, statement.real_name_index ?? '', statement.region_code, statement.occupation ?? '', statement.text];
}

/** A salt source that draws random bytes a batch at a time (one system call per 2,048 salts). */
class SaltPool {
  private pool = Buffer.alloc(0);
  private offset = 0;

  next(): Buffer {
    if (this.offset === this.pool.length) {
      this.pool = randomBytes(32 * 2048);
      this.offset = 0;
    }
    this.offset += 32;
    return Buffer.from(this.pool.subarray(this.offset - 32, this.offset));
  }
}
const salts = new SaltPool();

/**
 * The name an entry shows: the pseudonym, as published; for a statement under a real name, `*`:
 * even its masked form is the person's, and an erasure must be able to take it out of everything
 * Hotline keeps, which an append-only log could never give back.
 */
export const REAL_NAME_IN_LOG = '*';
function logName(statement: Pick<LoggedStatement, 'name_kind' | 'public_name'>): string {
  return statement.name_kind === 'real' ? REAL_NAME_IN_LOG : statement.public_name;
}

/** What every statement entry starts with, up to its public number. */
export const STATEMENT_ENTRY_HEAD = 'hotline-statement/v1\nsequence ';

/**
 * A statement entry without its public number: the bytes after it, and the salt of its commitment.
 * The entry of number N is `STATEMENT_ENTRY_HEAD`, N in decimal, then `tail` (how a bulk import
 * prepares entries before the numbers are given).
 */
export function statementEntryTail(statement: Omit<LoggedStatement, 'sequence'>): { tail: Buffer; salt: Buffer } {
  if (statement.published_day === null) throw new Error(`statement ${statement.id} is not published`);
  const salt = salts.next();
  const entry = encodeEntry({
    kind: 'statement',
    sequence: 0,
    day: statement.published_day,
    province: statement.province_code,
    channel: statement.channel,
    people: statement.people,
    party: statement.party,
    league: statement.league,
    pioneers: statement.pioneers,
    name: logName(statement),
    commitment: commitment(salt, committedFields(statement)),
  });
  return { tail: entry.subarray(STATEMENT_ENTRY_HEAD.length + 1), salt };
}

/** The statement entry of a published statement, and the salt of its commitment. */
export function statementEntryOf(statement: LoggedStatement): { entry: Buffer; salt: Buffer } {
  if (statement.sequence === null) throw new Error(`statement ${statement.id} is not published`);
  const { tail, salt } = statementEntryTail(statement);
  return { entry: Buffer.concat([Buffer.from(`${STATEMENT_ENTRY_HEAD}${statement.sequence}`), tail]), salt };
}

/**
 * Appends a statement entry for each newly published statement, in order. The caller's transaction
 * holds the registry lock (`lockRegistry`). Returns the first index given.
 */
export async function logPublished(deps: Deps, statements: readonly LoggedStatement[]): Promise<number> {
  const first = (await deps.store.transparency.lastIndex()) + 1;
  if (statements.length === 0) return first;
  const now = deps.clock();
  const rows: LogEntriesTable[] = statements.map((statement, offset) => {
    const { entry, salt } = statementEntryOf(statement);
    return { idx: first + offset, sequence: statement.sequence as number, withdrawal: 0, entry, salt, created_at: now };
  });
  await deps.store.transparency.insertEntries(rows);
  deps.store.noteLogEnd(first + rows.length);
  return first;
}

/**
 * Appends the withdrawal of a statement's current entry (the caller holds the registry lock): its
 * counts leave the totals, in the open. `day` is the day (China time) it is withdrawn. Nothing is
 * appended when the statement has no entry standing (it was never logged, or already withdrawn).
 */
export async function logWithdrawn(deps: Deps, sequence: number, reason: WithdrawalReason, day: string): Promise<void> {
  const current = await deps.store.transparency.currentEntryOf(sequence);
  if (current === undefined || current.withdrawal) return;
  const taken = decodeEntry(current.entry);
  if (taken.kind !== 'statement') return;
  const idx = (await deps.store.transparency.lastIndex()) + 1;
  const entry = encodeEntry({
    kind: 'withdrawal',
    sequence,
    day,
    withdraws: current.idx,
    reason,
    people: taken.people,
    party: taken.party,
    league: taken.league,
    pioneers: taken.pioneers,
  });
  await deps.store.transparency.insertEntries([{ idx, sequence, withdrawal: 1, entry, salt: null, created_at: deps.clock() }]);
  deps.store.noteLogEnd(idx + 1);
}
