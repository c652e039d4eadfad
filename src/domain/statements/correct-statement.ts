import { z } from 'zod';
import type { StatementRow } from '../../db/repositories/registry/index';
import { AppError } from '../../shared/app-error';
import { checkPseudonym, checkRealName, pseudonymProblemMessages } from '../../shared/pseudonym';
import { isSpecialRegionInput, provinceOf, RegionInputSchema } from '../../shared/regions';
import { Cohort, countsOf } from '../../shared/schemas/statements';
import { type Actor, authorize, can } from '../auth/policy';
import { appendAudit } from '../audit/append-audit';
import { chinaDay } from '../counters/china-day';
import { lockRegistry, moveCounters } from '../counters/counter-change';
import { logPublished, logWithdrawn } from '../transparency/log-writer';
import { type Deps, inTransaction } from '../deps';
import { REAL_NAME_CONTEXT, publicNameForRealName, realNameIndex } from './statement-fields';

/** What a correction may change (at least one), and why: the reason is kept in the audit log. */
export const StatementCorrection = z
  .object({
    cohorts: z.array(Cohort).min(1).max(10).optional(),
    region: RegionInputSchema.optional(),
    /** The name as the public should see it: a pseudonym, or the real name (masked for the public). */
    name: z.string().trim().min(1).max(100).optional(),
    reason: z.string().trim().min(1).max(500),
  })
  .refine((c) => c.cohorts !== undefined || c.region !== undefined || c.name !== undefined, 'change the counts, the region or the name');
export type StatementCorrection = z.infer<typeof StatementCorrection>;

/** A statement after its correction. */
export interface CorrectedStatement {
  id: string;
  status: string;
  sequence: number | null;
  publicName: string;
  counts: { people: number; party: number; league: number; pioneers: number };
  regionCode: string;
  correctedAt: number;
}

const countsText = (row: Pick<StatementRow, 'people' | 'party' | 'league' | 'pioneers'>) => [row.people, row.party, row.league, row.pioneers];

/**
 * A coordinator corrects a statement's counts, region or name (a volunteer's slip found later, as
 * the person or their family told it). A published statement stays published under its number and
 * day: its old counts come off that day's, the province's and the channel's counters and the new
 * ones go on, in the same transaction, so the public total follows at once and the public statement
 * says it was corrected. The audit log keeps who, when, why, and the counts and region before and
 * after (the name itself never: it may be a real one). Rejected, duplicate and held statements are
 * not corrected (they count nobody; a held one is for admins' review).
 */
export async function correctStatement(deps: Deps, options: { actor: Actor; statementId: string; correction: unknown }): Promise<CorrectedStatement> {
  const { actor } = options;
  authorize(actor, 'statement.correct', undefined, deps.clock());
  const parsed = StatementCorrection.safeParse(options.correction);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
    throw new AppError('VALIDATION_FAILED', `Invalid correction: ${issues.map((i) => `${i.path || 'correction'}: ${i.message}`).join('; ')}`, { details: { issues } });
  }
  const correction = parsed.data;
  return deps.store.transaction(async (tx) => {
    const txDeps = inTransaction(deps, tx);
    await lockRegistry(txDeps);
    const row = await tx.registry.statements.findById(options.statementId);
    const now = deps.clock();
    if (!row || (row.status === 'held' && !can(actor, 'statement.review-held', undefined, now))) throw new AppError('NOT_FOUND', 'No such statement');
    if (row.status !== 'published' && row.status !== 'pending') {
      throw new AppError('CONFLICT', `A ${row.status} statement counts nobody and is not corrected`, { details: { reason: 'NOT_CORRECTABLE', status: row.status } });
    }
    const changes: Partial<StatementRow> = { corrected_at: now, corrected_by: actor.id, updated_at: now };
    if (correction.cohorts) {
      Object.assign(changes, countsOf(correction.cohorts), { cohorts: JSON.stringify(correction.cohorts) });
    }
    if (correction.region !== undefined) {
      changes.region_code = correction.region;
      changes.province_code = isSpecialRegionInput(correction.region) ? correction.region : (provinceOf(correction.region)?.code ?? 'unknown');
    }
    if (correction.name !== undefined) {
      const isReal = row.name_kind === 'real';
      const check = isReal ? checkRealName(correction.name) : checkPseudonym(correction.name);
      if (!check.ok) throw new AppError('NAME_REFUSED', `name: ${pseudonymProblemMessages[check.reason].en}`, { details: { field: 'name', reason: check.reason } });
      changes.public_name = isReal ? publicNameForRealName(check.normalized) : check.normalized;
      if (isReal) {
        changes.real_name_enc = deps.keyring.encrypt(check.normalized, REAL_NAME_CONTEXT);
        changes.real_name_index = realNameIndex(deps.keyring, check.normalized);
      }
    }
    const after: StatementRow = { ...row, ...changes };
    if (row.status === 'published') {
      const day = row.published_day ?? chinaDay(row.published_at ?? row.created_at);
      await moveCounters(txDeps, { ...row, provinceCode: row.province_code, day }, -1);
      await moveCounters(txDeps, { ...after, provinceCode: after.province_code, day }, 1);
      // The log keeps what was published: the old entry is withdrawn as corrected, the corrected one follows.
      await logWithdrawn(txDeps, row.sequence as number, 'corrected', chinaDay(now));
      await logPublished(txDeps, [{ ...after, published_day: day }]);
    }
    await tx.registry.statements.update(row.id, changes);
    await appendAudit(txDeps, {
      actorId: actor.id,
      action: 'statement.corrected',
      entityType: 'statement',
      entityId: row.id,
      details: {
        reason: correction.reason,
        status: row.status,
        countsBefore: countsText(row),
        countsAfter: countsText(after),
        regionBefore: row.region_code,
        regionAfter: after.region_code,
        nameChanged: after.public_name !== row.public_name || correction.name !== undefined,
      },
    });
    return {
      id: row.id,
      status: row.status,
      sequence: row.sequence,
      publicName: after.public_name,
      counts: { people: after.people, party: after.party, league: after.league, pioneers: after.pioneers },
      regionCode: after.region_code,
      correctedAt: now,
    };
  });
}
