import { type Actor, authorize, can } from '../auth/policy';
import type { Deps } from '../deps';
import type { StatementRow } from '../../db/repositories/registry/index';

/** A statement waiting for moderation, with other statements under the same real name. */
export interface ModerationQueueItem {
  row: StatementRow;
  possibleDuplicates: { id: string; status: string; sequence: number | null; publicName: string; createdAt: number }[];
}

/**
 * The moderation queue, oldest first: pending statements for coordinators, pending and held ones
 * for admins. Possible duplicates come from the real-name blind index (no decryption).
 */
export async function listModerationQueue(deps: Deps, options: { actor: Actor; limit?: number }): Promise<ModerationQueueItem[]> {
  const now = deps.clock();
  authorize(options.actor, 'statement.moderate', undefined, now);
  const statuses = can(options.actor, 'statement.review-held', undefined, now) ? ['pending', 'held'] : ['pending'];
  const limit = Math.max(1, Math.min(options.limit ?? 50, 200));
  const rows = await deps.store.registry.statements.queue(statuses, limit);
  const items: ModerationQueueItem[] = [];
  for (const row of rows) {
    const same = row.real_name_index === null ? [] : await deps.store.registry.statements.sameRealName(row.real_name_index, row.id, 5);
    items.push({
      row,
      possibleDuplicates: same
        // A coordinator must not learn of held statements through the duplicate list either.
        .filter((other) => statuses.includes('held') || other.status !== 'held')
        .map((other) => ({ id: other.id, status: other.status, sequence: other.sequence, publicName: other.public_name, createdAt: other.created_at })),
    });
  }
  return items;
}
