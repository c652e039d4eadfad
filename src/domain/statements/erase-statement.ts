import type { StatementRow } from '../../db/repositories/registry/index';
import { AppError } from '../../shared/app-error';
import { type Actor, authorize } from '../auth/policy';
import { appendAudit } from '../audit/append-audit';
import { chinaDay } from '../counters/china-day';
import { lockRegistry, moveCounters } from '../counters/counter-change';
import { logWithdrawn } from '../transparency/log-writer';
import { type Deps, inTransaction } from '../deps';
import { ERASED_NAME } from '../../shared/erased';
import { receiptHash } from './statement-fields';


/** An erasure done. */
export interface ErasedStatement {
  id: string;
  sequence: number | null;
  status: string;
  counted: boolean;
  receiptCodesForgotten: number;
}

/** Finds a statement by its id or by a receipt code the person reads out. */
async function findStatement(deps: Deps, idOrReceipt: string): Promise<StatementRow | undefined> {
  const byId = await deps.store.registry.statements.findById(idOrReceipt.trim());
  if (byId) return byId;
  const id = await deps.store.registry.receipts.findStatementId(receiptHash(deps.keyring, idOrReceipt));
  return id ? deps.store.registry.statements.findById(id) : undefined;
}

/**
 * Erases a statement at the person's request. Everything that could name or describe them goes in
 * one transaction: the encrypted real name and its blind index, the masked name, the statement's
 * text, occupation, the region below the province, consent and relation notes, and every receipt
 * code (they then open nothing). On SQLite the freed bytes are zeroed and the WAL is folded into
 * the file and truncated, so a copy of the database made afterwards holds nothing of them; there is
 * nothing left to decrypt, so no key of the keyring can bring them back.
 *
 * `keepCounted`: the statement stays published under its number, without name or text, and its
 * people stay in the counters (the person left the Party; they only want their name gone). Else it
 * is withdrawn: status `withdrawn`, its people come off the total, the day's, the province's and the
 * channel's counters in the same transaction. The audit log says who, when, which statement and
 * which choice, never what was erased.
 */
export async function eraseStatement(
  deps: Deps,
  options: { actor: Actor | null; idOrReceipt: string; keepCounted: boolean },
): Promise<ErasedStatement> {
  if (options.actor) authorize(options.actor, 'statement.erase', undefined, deps.clock());
  const erased = await deps.store.transaction(async (tx) => {
    const txDeps = inTransaction(deps, tx);
    await lockRegistry(txDeps);
    const row = await findStatement(txDeps, options.idOrReceipt);
    if (!row) throw new AppError('NOT_FOUND', 'No statement has that id or receipt code');
    if (await tx.registry.statements.isErased(row.id)) throw new AppError('CONFLICT', 'That statement was already erased', { details: { reason: 'ALREADY_ERASED' } });
    const now = deps.clock();
    const withdraw = !options.keepCounted && row.status !== 'rejected' && row.status !== 'duplicate';
    if (withdraw && row.status === 'published') {
      const day = row.published_day ?? chinaDay(row.published_at ?? row.created_at);
      await moveCounters(txDeps, { ...row, provinceCode: row.province_code, day }, -1);
      await logWithdrawn(txDeps, row.sequence as number, 'withdrawn', chinaDay(now));
    }
    // Its log entries stay (the log is append-only) but their commitments can never be opened again.
    if (row.sequence !== null) await tx.transparency.forgetSalts(row.sequence);
    const status = withdraw ? 'withdrawn' : row.status;
    await tx.registry.statements.update(row.id, {
      status,
      public_name: ERASED_NAME,
      real_name_enc: null,
      real_name_index: null,
      text: '',
      occupation: null,
      region_code: row.province_code,
      consent: null,
      relation: null,
      client_id: null,
      updated_at: now,
    });
    const receiptCodesForgotten = await tx.registry.receipts.deleteOf(row.id);
    await tx.registry.statements.recordErasure({ statement_id: row.id, erased_at: now, erased_by: options.actor?.id ?? null, counted: status === 'withdrawn' ? 0 : 1 });
    await appendAudit(txDeps, {
      actorId: options.actor?.id ?? null,
      action: 'statement.erased',
      entityType: 'statement',
      entityId: row.id,
      details: { sequence: row.sequence, statusBefore: row.status, statusAfter: status, counted: status !== 'withdrawn', via: options.actor ? 'console' : 'cli' },
    });
    return { id: row.id, sequence: row.sequence, status, counted: status !== 'withdrawn', receiptCodesForgotten };
  });
  await deps.store.flushErased();
  return erased;
}

/** What was shredded and when, for the admins' view: erased statements and the retention runs. */
export interface ShreddingRecord {
  erasures: { statementId: string; sequence: number | null; status: string; counted: boolean; erasedAt: number; erasedBy: string | null }[];
  retentionRuns: { at: number; notes: number; followups: number; retentionDays: number }[];
}

/** Erased statements and retention runs (call notes and follow-up contacts shredded), newest first. */
export async function listShredding(deps: Deps, actor: Actor): Promise<ShreddingRecord> {
  authorize(actor, 'statement.erase', undefined, deps.clock());
  const erasures = await deps.store.registry.statements.listErasures(500);
  const runs = await deps.store.audit.recent(200, undefined, { action: 'call.shred-expired' });
  return {
    erasures: erasures.map((row) => ({
      statementId: row.statement_id,
      sequence: row.sequence,
      status: row.status,
      counted: row.counted === 1,
      erasedAt: row.erased_at,
      erasedBy: row.erased_by,
    })),
    retentionRuns: runs.map((row) => {
      const details = JSON.parse(row.details) as { notes?: number; followups?: number; retentionDays?: number };
      return { at: row.at, notes: details.notes ?? 0, followups: details.followups ?? 0, retentionDays: details.retentionDays ?? 0 };
    }),
  };
}
