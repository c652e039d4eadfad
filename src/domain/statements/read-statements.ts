import type { PublicStatementRow, StatementRow } from '../../db/repositories/registry/statement.repository';
import { AppError } from '../../shared/app-error';
import { type Actor, authorize, can } from '../auth/policy';
import type { Deps } from '../deps';

/**
 * One statement for a staff member who may read it (held ones only for those who review them), and
 * whether they may see the real name. Not found for everyone else, so ids reveal nothing.
 */
export async function readStatement(deps: Deps, actor: Actor, statementId: string): Promise<{ row: StatementRow; canReadRealName: boolean }> {
  const now = deps.clock();
  const row = await deps.store.registry.statements.findById(statementId);
  const isVisible = row !== undefined && can(actor, 'statement.read', { ownerId: row.registered_by }, now) && (row.status !== 'held' || can(actor, 'statement.review-held', undefined, now));
  if (!isVisible) throw new AppError('NOT_FOUND', 'No such statement');
  authorize(actor, 'statement.read', { ownerId: row.registered_by }, now);
  return { row, canReadRealName: can(actor, 'statement.read-real-name', undefined, now) };
}

/** The newest published statements (public fields only), before a sequence number when given. */
export function latestPublishedStatements(deps: Deps, limit: number, beforeSequence?: number): Promise<PublicStatementRow[]> {
  return deps.store.registry.statements.latestPublished(limit, beforeSequence);
}

/** One China day's published statements (public fields only), oldest first, after a sequence number. */
export function statementsPublishedOn(deps: Deps, day: string, limit: number, afterSequence?: number): Promise<PublicStatementRow[]> {
  return deps.store.registry.statements.publishedOnDay(day, limit, afterSequence);
}
