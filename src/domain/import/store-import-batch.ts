import { isAppError } from '../../shared/app-error';
import { appendAudit } from '../audit/append-audit';
import { chinaDay } from '../counters/china-day';
import { COUNTERS_TOPIC, CounterTotals, type CountersChangedEvent, lockRegistry } from '../counters/counter-change';
import { type Deps, inTransaction } from '../deps';
import { type PreparedStatement, prepareStatement } from '../statements/register-statement';
import type { StatementsTable } from '../../db/schema';
import { encodeStatement } from '../../db/schema/statement-copy';
import type { Store } from '../../db/store';
import type { ImportRow } from './statement-row';

/** Status imported statements get (a statement that reads as a threat is held whatever this says). */
export type ImportStatus = 'published' | 'pending';

/** What a batch needs to know of an imported row besides its encoding: ids, status, day, province, channel, counts. */
export type ImportedRowFacts = Pick<StatementsTable, 'id' | 'client_id' | 'status' | 'published_day' | 'province_code' | 'channel' | 'people' | 'party' | 'league' | 'pioneers'>;

/**
 * A row checked and encrypted by registration's own `prepareStatement`, ready for the batch: the
 * whole row, or (for PostgreSQL, see `encodeImportRow`) its facts and the row encoded for COPY.
 */
export type PreparedImportRow = { sourceId: string; row: StatementsTable; encoded?: undefined } | { sourceId: string; row: ImportedRowFacts; encoded: string };

/**
 * Checks and encrypts one imported row exactly as registration does (schema, region, careless
 * names, threats held for admins, phone numbers redacted from the text, real name encrypted with
 * its blind index), then gives it its original date and the import's status. Returns the reason
 * when the row is refused; the reason never holds the row's values.
 */
export function prepareImportRow(deps: Pick<Deps, 'keyring' | 'clock'>, row: ImportRow, status: ImportStatus): { sourceId: string; row: StatementsTable } | { reason: string } {
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
 * A prepared row as PostgreSQL's bulk path takes it, encoded where it was prepared (the import's
 * second thread), so that the writing thread only joins lines and numbers them.
 */
export function encodeImportRow(prepared: { sourceId: string; row: StatementsTable }): PreparedImportRow {
  const { row } = prepared;
  return {
    sourceId: prepared.sourceId,
    row: {
      id: row.id,
      client_id: row.client_id,
      status: row.status,
      published_day: row.published_day,
      province_code: row.province_code,
      channel: row.channel,
      people: row.people,
      party: row.party,
      league: row.league,
      pioneers: row.pioneers,
    },
    encoded: encodeStatement(row),
  };
}

/**
 * Inserts a batch's fresh rows with their public numbers, encoded or whole (never a mix); the ids
 * inserted. Encoded rows all are (see `insertEncoded`): the batch holds the registry lock and has
 * left out the stored ones.
 */
async function insertRows(tx: Store, rows: PreparedImportRow[], numbers: (number | null)[]): Promise<Set<string>> {
  const encoded = rows.flatMap((item, index) => (item.encoded === undefined ? [] : [{ encoded: item.encoded, sequence: numbers[index] ?? null }]));
  if (encoded.length === rows.length) {
    await tx.registry.statements.insertEncoded(encoded);
    return new Set(rows.map((item) => item.row.id));
  }
  if (encoded.length > 0) throw new Error('a batch mixes encoded and whole rows');
  return tx.registry.statements.insertMany(rows.map((item, index) => ({ ...(item.row as StatementsTable), sequence: numbers[index] ?? null })));
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
export async function storeImportBatch(deps: Deps, batch: { actorId: string | null; rows: PreparedImportRow[] }): Promise<StoredBatch> {
  return deps.store.transaction(async (tx) => {
    const txDeps = inTransaction(deps, tx);
    await lockRegistry(txDeps);
    // Rows already stored, and a row repeating an earlier one's id in this batch, are skipped.
    const seen: Set<string | null> = await tx.registry.statements.existingClientIds(batch.rows.map((item) => item.row.client_id ?? ''));
    const fresh = batch.rows.filter((item) => {
      if (seen.has(item.row.client_id)) return false;
      seen.add(item.row.client_id);
      return true;
    });
    let sequence = await tx.registry.statements.maxSequence();
    const numbers = fresh.map((item) => (item.row.status === 'published' ? ++sequence : null));
    const inserted = fresh.length > 0 ? await insertRows(tx, fresh, numbers) : new Set<string>();

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
    const deltas = totals.sorted();
    if (deltas.length > 0) await tx.registry.imports.addCounters(deltas);
    const skipped = batch.rows.length - inserted.size;
    await appendAudit(txDeps, {
      actorId: batch.actorId,
      action: 'statements.imported',
      entityType: 'statement',
      details: { imported: inserted.size, skipped, firstSourceId: firstId ?? null, lastSourceId: lastId ?? null },
    });
    if (deltas.length > 0) {
      const at = deps.clock();
      tx.onCommit(() => {
        deps.hub.publish(COUNTERS_TOPIC, { deltas, at } satisfies CountersChangedEvent);
      });
    }
    return { imported: inserted.size, skipped };
  });
}
