import { AppError, isAppError } from '../../shared/app-error';
import { appendAudit } from '../audit/append-audit';
import { chinaDay } from '../counters/china-day';
import { COUNTERS_TOPIC, type CounterEntry, CounterTotals, type CountersChangedEvent, lockRegistry } from '../counters/counter-change';
import { type Deps, inTransaction } from '../deps';
import { STATEMENT_ENTRY_HEAD, logPublished, statementEntryTail } from '../transparency/log-writer';
import { type PreparedStatement, prepareStatement } from '../statements/register-statement';
import type { StatementsTable } from '../../db/schema';
import { encodeStatementLine } from '../../db/schema/statement-copy';
import { type ImportRow, clientIdOf, sourceIdOf } from './statement-row';

/** Status imported statements get (a statement that reads as a threat is held whatever this says). */
export type ImportStatus = 'published' | 'pending';

/** A row checked and encrypted by registration's own `prepareStatement`, ready for the batch. */
export interface PreparedImportRow {
  sourceId: string;
  row: StatementsTable;
}

/**
 * A batch's rows encoded for PostgreSQL's COPY where they were prepared (the import's second
 * thread), so that the writing thread only numbers and sends them: one buffer of COPY text, and
 * what the batch needs to know besides. Its typed arrays cross threads without a copy.
 */
export interface EncodedImportRows {
  /**
   * COPY text of the rows, one line each, in order (`ENCODED_STATEMENT_COLUMNS`), as UTF-8; a
   * published row ends in a 12-digit placeholder for its public number. Made with one call from
   * the joined lines (writing each row into a buffer cost a tenth of the preparing thread), in a
   * buffer of its own so that it crosses threads without a copy.
   */
  copy: Uint8Array;
  /** Per row: the byte offset of its line break. */
  ends: Int32Array;
  /** Per row: 1 when it is published (and has a placeholder), else 0. */
  published: Uint8Array;
  /** Client ids of the rows, one per line (each `import:` and the row's source id). */
  clientIds: string;
  /** The counters the published rows move, all together. */
  totals: CounterEntry[];
  /** Rows left out for repeating a client id earlier in the batch (counted as skipped). */
  repeated: number;
  /**
   * The published rows' log entries without their numbers, one line each: the hex of the entry's
   * bytes after its public number, a tab, and its salt as COPY bytea (see `statementEntryTail`).
   */
  logTails: string;
}

/** The rows of a batch: whole (SQLite), or encoded (PostgreSQL). */
export type ImportBatchRows = { kind: 'whole'; rows: PreparedImportRow[] } | { kind: 'encoded'; encoded: EncodedImportRows };

/** COPY text as UTF-8 in a buffer of its own, and where each of its lines ends. */
function copyOf(text: string): { copy: Uint8Array; ends: Int32Array } {
  const bytes = Buffer.byteLength(text);
  // Not Buffer.from: a small one would be a slice of Node's shared pool, which cannot be handed to another thread.
  const copy = new Uint8Array(new ArrayBuffer(bytes));
  Buffer.from(copy.buffer, 0, bytes).write(text, 'utf8');
  // Every row ends in a line break, and only there: COPY text escapes the ones inside values.
  const ends: number[] = [];
  for (let at = copy.indexOf(0x0a); at >= 0; at = copy.indexOf(0x0a, at + 1)) ends.push(at);
  return { copy, ends: new Int32Array(ends) };
}

/** Digits of a public number's placeholder: numbers up to 999,999,999,999. */
const NUMBER_DIGITS = 12;
const NUMBER_PLACEHOLDER = '0'.repeat(NUMBER_DIGITS);

/**
 * Checks and encrypts one imported row exactly as registration does (schema, region, careless
 * names, threats held for admins, phone numbers redacted from the text, real name encrypted with
 * its blind index), then gives it its original date and the import's status. Returns the reason
 * when the row is refused; the reason never holds the row's values.
 */
export function prepareImportRow(deps: Pick<Deps, 'keyring' | 'clock'>, row: ImportRow, status: ImportStatus): PreparedImportRow | { reason: string } {
  let prepared: PreparedStatement;
  try {
    prepared = prepareStatement({ keyring: deps.keyring, clock: () => row.registeredAt }, { source: { kind: 'operator' }, input: row.input, hasReceipt: false });
  } catch (error) {
    if (isAppError(error)) return { reason: error.message.replace(/^Invalid statement: /, '') };
    throw error;
  }
  const isHeld = prepared.row.status === 'held';
  const isPublished = !isHeld && status === 'published';
  prepared.row.status = isHeld ? 'held' : status;
  prepared.row.published_at = isPublished ? row.registeredAt : null;
  prepared.row.published_day = isPublished ? chinaDay(row.registeredAt) : null;
  prepared.row.updated_at = deps.clock();
  return { sourceId: row.sourceId, row: prepared.row };
}

/**
 * Encodes a batch's rows one by one as they are prepared (see `EncodedImportRows`), so that each
 * row's objects are garbage at once: holding a whole batch of them until it was complete made the
 * collector copy them from one nursery to the next.
 */
export class ImportRowsEncoder {
  private lines: string[] = [];
  private published: number[] = [];
  private clientIds: string[] = [];
  private totals = new CounterTotals();
  private seen = new Set<string>();
  private repeated = 0;
  private logTails: string[] = [];

  /** Adds a row; one repeating a client id seen earlier in the batch is left out and counted. */
  add({ sourceId, row }: PreparedImportRow): void {
    const clientId = row.client_id ?? clientIdOf(sourceId);
    if (this.seen.has(clientId)) {
      this.repeated += 1;
      return;
    }
    this.seen.add(clientId);
    const isPublished = row.status === 'published' && row.published_day !== null;
    this.lines.push(encodeStatementLine(row, isPublished ? NUMBER_PLACEHOLDER : '\\N'));
    this.published.push(isPublished ? 1 : 0);
    this.clientIds.push(clientId);
    if (isPublished) {
      this.totals.addStatement(row, row.published_day as string, row.province_code, 1);
      const { tail, salt } = statementEntryTail(row);
      this.logTails.push(`${tail.toString('hex')}\t\\\\x${salt.toString('hex')}`);
    }
  }

  /** The rows added, encoded; the encoder starts a new batch. */
  finish(): EncodedImportRows {
    const encoded = {
      ...copyOf(this.lines.join('')),
      published: new Uint8Array(this.published),
      clientIds: this.clientIds.join('\n'),
      totals: this.totals.sorted(),
      repeated: this.repeated,
      logTails: this.logTails.join('\n'),
    };
    this.logTails = [];
    this.lines = [];
    this.published = [];
    this.clientIds = [];
    this.totals = new CounterTotals();
    this.seen = new Set();
    this.repeated = 0;
    return encoded;
  }
}

/**
 * The COPY data of the encoded rows kept (all when `keep` is undefined), numbered from `first`
 * in order.
 */
function numberedRows(encoded: EncodedImportRows, keep: number[] | undefined, first: number): Buffer {
  const { published } = encoded;
  let data = Buffer.from(encoded.copy.buffer, encoded.copy.byteOffset, encoded.copy.byteLength);
  let ends: ArrayLike<number> = encoded.ends;
  let isPublished = (position: number) => published[position] === 1;
  if (keep !== undefined) {
    // Some rows were stored already: copy the others out.
    const all = data;
    const allEnds = ends;
    data = Buffer.concat(keep.map((index) => all.subarray(index === 0 ? 0 : (allEnds[index - 1] as number) + 1, (allEnds[index] as number) + 1)));
    const keptEnds: number[] = [];
    for (let at = data.indexOf(0x0a); at >= 0; at = data.indexOf(0x0a, at + 1)) keptEnds.push(at);
    ends = keptEnds;
    isPublished = (position: number) => published[keep[position] as number] === 1;
  }
  let next = first;
  for (let position = 0; position < ends.length; position += 1) {
    if (!isPublished(position)) continue;
    next += 1;
    const digits = String(next);
    if (digits.length > NUMBER_DIGITS) throw new AppError('INTERNAL', 'Public numbers have outgrown their 12 digits');
    data.write(digits.padStart(NUMBER_DIGITS, '0'), (ends[position] as number) - NUMBER_DIGITS, 'latin1');
  }
  return data;
}

/** What one stored batch did. */
export interface StoredBatch {
  imported: number;
  /** Rows whose id was already in the registry. */
  skipped: number;
}

/**
 * Stores one batch of prepared statements in one transaction: the statements, the counters they
 * move (per day of their original date), and one audit row with the batch's source-id range and
 * counts, never a name. Rows whose client id is already stored (a crash between a commit and its
 * checkpoint) are skipped, so a replayed batch stores nothing twice and public numbers stay gapless.
 * Imported statements get no receipt code: their submitters hold the old system's.
 */
export async function storeImportBatch(deps: Deps, batch: { actorId: string | null; rows: ImportBatchRows }): Promise<StoredBatch> {
  return deps.store.transaction(async (tx) => {
    const txDeps = inTransaction(deps, tx);
    await lockRegistry(txDeps);
    const stored = batch.rows.kind === 'whole' ? await storeWholeRows(txDeps, batch.rows.rows) : await storeEncodedRows(txDeps, batch.rows.encoded);
    if (stored.totals.length > 0) await tx.registry.imports.addCounters(stored.totals);
    await appendAudit(txDeps, {
      actorId: batch.actorId,
      action: 'statements.imported',
      entityType: 'statement',
      details: { imported: stored.imported, skipped: stored.skipped, firstSourceId: stored.firstId ?? null, lastSourceId: stored.lastId ?? null },
    });
    if (stored.totals.length > 0) {
      const deltas = stored.totals;
      const at = deps.clock();
      tx.onCommit(() => {
        deps.hub.publish(COUNTERS_TOPIC, { deltas, at, ...(tx.logEnd === undefined ? {} : { logEnd: tx.logEnd }) } satisfies CountersChangedEvent);
      });
    }
    return { imported: stored.imported, skipped: stored.skipped };
  });
}

/** What inserting a batch's rows did: counts, the counters they move, the first and last source ids inserted. */
interface InsertedRows extends StoredBatch {
  totals: CounterEntry[];
  firstId?: string;
  lastId?: string;
}

/** Whole rows (SQLite): those not stored yet, numbered, inserted, and the published ones logged. */
async function storeWholeRows(txDeps: Deps, rows: PreparedImportRow[]): Promise<InsertedRows> {
  const tx = txDeps.store;
  // Rows already stored, and a row repeating an earlier one's id in this batch, are skipped.
  const seen: Set<string | null> = await tx.registry.statements.existingClientIds(rows.map((item) => item.row.client_id ?? ''));
  const fresh = rows.filter((item) => {
    if (seen.has(item.row.client_id)) return false;
    seen.add(item.row.client_id);
    return true;
  });
  let sequence = await tx.registry.statements.maxSequence();
  const numbered = fresh.map((item) => ({ ...item.row, sequence: item.row.status === 'published' ? ++sequence : null }));
  const inserted = numbered.length > 0 ? await tx.registry.statements.insertMany(numbered) : new Set<string>();
  const totals = new CounterTotals();
  let firstId: string | undefined;
  let lastId: string | undefined;
  for (const { sourceId, row } of fresh) {
    if (!inserted.has(row.id)) continue;
    firstId ??= sourceId;
    lastId = sourceId;
    if (row.status !== 'published' || row.published_day === null) continue;
    totals.addStatement(row, row.published_day, row.province_code, 1);
  }
  await logPublished(
    txDeps,
    numbered.filter((row) => row.sequence !== null && inserted.has(row.id)),
  );
  return { imported: inserted.size, skipped: rows.length - inserted.size, totals: totals.sorted(), ...(firstId === undefined ? {} : { firstId }), ...(lastId === undefined ? {} : { lastId }) };
}

/**
 * Encoded rows (PostgreSQL): numbered in their buffer and sent by one COPY. Only when some are
 * stored already (a batch replayed after a crash, or a file overlapping an earlier one) are the
 * others copied out, and the counters they move read back from what was stored.
 */
async function storeEncodedRows(txDeps: Deps, encoded: EncodedImportRows): Promise<InsertedRows> {
  const tx = txDeps.store;
  const clientIds = encoded.clientIds === '' ? [] : encoded.clientIds.split('\n');
  const { stored, lastNumber } = await tx.registry.statements.storedAndLastNumber(clientIds);
  const keep = stored.size === 0 ? undefined : clientIds.flatMap((clientId, index) => (stored.has(clientId) ? [] : [index]));
  const kept = keep === undefined ? clientIds : keep.map((index) => clientIds[index] as string);
  if (kept.length > 0) await tx.registry.statements.insertEncoded(numberedRows(encoded, keep, lastNumber));
  let totals = encoded.totals;
  if (keep !== undefined) {
    const sums = new CounterTotals();
    const rows = await tx.registry.statements.findByClientIds(kept);
    for (const row of rows) {
      if (row.status === 'published' && row.published_day !== null) sums.addStatement(row, row.published_day, row.province_code, 1);
    }
    totals = sums.sorted();
    await logPublished(
      txDeps,
      rows.filter((row) => row.status === 'published' && row.sequence !== null && row.sequence > lastNumber).sort((a, b) => (a.sequence as number) - (b.sequence as number)),
    );
  } else if (encoded.logTails !== '') {
    const firstIndex = (await tx.transparency.lastIndex()) + 1;
    await tx.transparency.insertEntriesCopy(logCopy(encoded.logTails, firstIndex, lastNumber + 1, txDeps.clock()));
    tx.noteLogEnd(firstIndex + encoded.logTails.split('\n').length);
  }
  const first = kept[0];
  const last = kept.at(-1);
  return {
    imported: kept.length,
    skipped: encoded.repeated + clientIds.length - kept.length,
    totals,
    ...(first === undefined ? {} : { firstId: sourceIdOf(first) }),
    ...(last === undefined ? {} : { lastId: sourceIdOf(last) }),
  };
}

const ENTRY_HEAD_HEX = Buffer.from(STATEMENT_ENTRY_HEAD).toString('hex');
/** Hex of each decimal digit's ASCII code. */
const DIGIT_HEX = Array.from({ length: 10 }, (_, digit) => (0x30 + digit).toString(16));

/**
 * COPY text for `log_entries` of the published rows' entries (`EncodedImportRows.logTails`), the
 * first getting log index `firstIndex` and public number `firstNumber`, the next ones the numbers after.
 */
function logCopy(logTails: string, firstIndex: number, firstNumber: number, now: number): Buffer {
  const lines = logTails.split('\n');
  let text = '';
  for (const [offset, tail] of lines.entries()) {
    const number = firstNumber + offset;
    let digits = '';
    for (const digit of String(number)) digits += DIGIT_HEX[digit.charCodeAt(0) - 0x30] as string;
    text += `${firstIndex + offset}\t${number}\t0\t\\\\x${ENTRY_HEAD_HEX}${digits}${tail}\t${now}\n`;
  }
  return Buffer.from(text);
}
