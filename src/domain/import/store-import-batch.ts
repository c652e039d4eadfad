import { isAppError } from '../../shared/app-error';
import { appendAudit } from '../audit/append-audit';
import { chinaDay } from '../counters/china-day';
import { COUNTERS_TOPIC, CounterTotals, type CountersChangedEvent, lockRegistry } from '../counters/counter-change';
import { type Deps, inTransaction } from '../deps';
import { type PreparedStatement, prepareStatement } from '../statements/register-statement';
import type { ImportRow } from './statement-row';

/** Status imported statements get (a statement that reads as a threat is held whatever this says). */
export type ImportStatus = 'published' | 'pending';

/** A row checked and encrypted by registration's own `prepareStatement`, ready for the batch. */
export interface PreparedImportRow {
  sourceId: string;
  prepared: PreparedStatement;
}

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
  return { sourceId: row.sourceId, prepared };
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
    const found = await tx.registry.statements.findByClientIds(batch.rows.map((item) => item.prepared.row.client_id ?? ''));
    const existing = new Set(found.map((row) => row.client_id));
    const fresh = batch.rows.filter((item) => !existing.has(item.prepared.row.client_id));
    let sequence = await tx.registry.statements.maxSequence();
    for (const item of fresh) item.prepared.row.sequence = item.prepared.row.status === 'published' ? ++sequence : null;
    const inserted = fresh.length > 0 ? await tx.registry.statements.insertMany(fresh.map((item) => item.prepared.row)) : new Set<string>();

    const totals = new CounterTotals();
    let firstId: string | undefined;
    let lastId: string | undefined;
    for (const { sourceId, prepared } of fresh) {
      const row = prepared.row;
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
