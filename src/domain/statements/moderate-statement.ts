import { z } from 'zod';
import { type Actor, authorize, can } from '../auth/policy';
import { appendAudit } from '../audit/append-audit';
import { chinaDay } from '../counters/china-day';
import { lockRegistry, moveCounters } from '../counters/counter-change';
import { logPublished, logWithdrawn } from '../transparency/log-writer';
import { type Deps, inTransaction } from '../deps';
import type { StatementRow } from '../../db/repositories/registry/index';
import { AppError } from '../../shared/app-error';
import type { StatementStatus } from '../../shared/schemas/statements';

/** A moderator's decision on one statement. */
export const ModerationDecision = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('publish') }),
  z.object({ kind: z.literal('reject'), reason: z.string().trim().min(1).max(500) }),
  z.object({ kind: z.literal('duplicate'), ofId: z.string().min(1).max(64) }),
]);
export type ModerationDecision = z.infer<typeof ModerationDecision>;

/** A statement after moderation. */
export interface ModeratedStatement {
  id: string;
  status: StatementStatus;
  sequence: number | null;
}

/**
 * A statement may be marked as a duplicate only of an original that counts the person or will
 * once moderated (published or pending; never rejected, held or itself a duplicate), and a
 * published one only of a published original: otherwise the person would drop out of the public
 * counters altogether.
 */
function assertDuplicableOnto(row: StatementRow, original: StatementRow): void {
  if (original.status !== 'published' && original.status !== 'pending') {
    throw new AppError('CONFLICT', `A statement can be marked as a duplicate only of a published or pending one, not of a ${original.status} one`, {
      details: { reason: 'ORIGINAL_NOT_COUNTABLE', originalStatus: original.status },
    });
  }
  if (row.status === 'published' && original.status !== 'published') {
    throw new AppError('CONFLICT', 'A published statement can be marked as a duplicate only of a published one; publish the original first', {
      details: { reason: 'ORIGINAL_NOT_PUBLISHED', originalStatus: original.status },
    });
  }
}

/**
 * The statements marked as duplicates of `row` count their person only through it: rejecting it,
 * or marking it a duplicate in turn, would drop those people from the counters or leave them
 * pointing at a statement that counts nobody. The moderator publishes or rejects them first.
 */
async function assertNobodyDuplicates(tx: Deps['store'], row: StatementRow): Promise<void> {
  const duplicates = await tx.registry.statements.countDuplicatesOf(row.id);
  if (duplicates > 0) {
    throw new AppError('CONFLICT', `${duplicates} statement(s) are marked as duplicates of this one; publish or reject them first`, {
      details: { reason: 'HAS_DUPLICATES', duplicates },
    });
  }
}

function counted(row: StatementRow) {
  return { ...row, provinceCode: row.province_code, day: row.published_day ?? chinaDay(row.created_at) };
}

/**
 * Publishes, rejects (with a reason) or marks as duplicate one statement, moving the counters in
 * the same transaction: publishing counts it on today's CST day and gives it the next public
 * number; rejecting or marking a published statement as duplicate takes it off the day it was
 * counted on (a published statement duplicates only a published original, which keeps counting the
 * person). Held statements are for admins only.
 */
export async function moderateStatement(deps: Deps, options: { actor: Actor; statementId: string; decision: ModerationDecision }): Promise<ModeratedStatement> {
  const { actor, statementId } = options;
  const decision = ModerationDecision.parse(options.decision);
  authorize(actor, 'statement.moderate', undefined, deps.clock());
  return deps.store.transaction(async (tx) => {
    const txDeps = inTransaction(deps, tx);
    await lockRegistry(txDeps);
    const row = await tx.registry.statements.findById(statementId);
    if (!row) throw new AppError('NOT_FOUND', 'No such statement');
    // A coordinator is not told that a held statement exists.
    if (row.status === 'held') {
      try {
        authorize(actor, 'statement.review-held', undefined, deps.clock());
      } catch {
        throw new AppError('NOT_FOUND', 'No such statement');
      }
    }
    const now = deps.clock();
    const wasPublished = row.status === 'published';
    let changes: Partial<StatementRow>;
    if (decision.kind === 'publish') {
      if (wasPublished) throw new AppError('CONFLICT', 'The statement is already published');
      const day = chinaDay(now);
      const sequence = row.sequence ?? (await tx.registry.statements.maxSequence()) + 1;
      changes = { status: 'published', sequence, published_at: now, published_day: day, rejection_reason: null, duplicate_of: null };
      await moveCounters(txDeps, { ...counted(row), day }, 1);
    } else if (decision.kind === 'reject') {
      if (row.status === 'rejected') throw new AppError('CONFLICT', 'The statement is already rejected');
      await assertNobodyDuplicates(tx, row);
      changes = { status: 'rejected', rejection_reason: decision.reason };
      if (wasPublished) {
        await moveCounters(txDeps, counted(row), -1);
        await logWithdrawn(txDeps, row.sequence as number, 'rejected', chinaDay(now));
      }
    } else {
      if (row.status === 'duplicate') throw new AppError('CONFLICT', 'The statement is already marked as a duplicate');
      if (decision.ofId === row.id) throw new AppError('BAD_REQUEST', 'A statement cannot duplicate itself');
      const original = await tx.registry.statements.findById(decision.ofId);
      // Held originals stay unknown to coordinators, as everywhere else.
      if (!original || (original.status === 'held' && !can(actor, 'statement.review-held', undefined, now))) throw new AppError('NOT_FOUND', 'No such original statement');
      assertDuplicableOnto(row, original);
      await assertNobodyDuplicates(tx, row);
      changes = { status: 'duplicate', duplicate_of: original.id };
      if (wasPublished) {
        await moveCounters(txDeps, counted(row), -1);
        await logWithdrawn(txDeps, row.sequence as number, 'duplicate', chinaDay(now));
      }
    }
    await tx.registry.statements.update(row.id, { ...changes, moderated_by: actor.id, moderated_at: now, updated_at: now });
    if (decision.kind === 'publish') await logPublished(txDeps, [{ ...row, ...changes }]);
    await appendAudit(txDeps, {
      actorId: actor.id,
      action: `statement.${decision.kind === 'publish' ? 'published' : decision.kind === 'reject' ? 'rejected' : 'marked-duplicate'}`,
      entityType: 'statement',
      entityId: row.id,
      details: { from: row.status, ...(decision.kind === 'duplicate' ? { ofId: decision.ofId } : {}) },
    });
    return { id: row.id, status: changes.status as StatementStatus, sequence: changes.sequence ?? row.sequence };
  });
}
