import type { AuditRow } from '../../db/repositories/audit.repository';
import { type Actor, authorize } from '../auth/policy';
import { staffNames } from '../auth/staff-accounts';
import type { Deps } from '../deps';

/** The audit log, newest first: every entry, or those about one record or by one person (audit.read). */
export async function readAuditLog(
  deps: Deps,
  actor: Actor,
  query: { limit: number; before?: number; entityId?: string; actorId?: string },
): Promise<{ rows: AuditRow[]; names: Map<string, string> }> {
  authorize(actor, 'audit.read', undefined, deps.clock());
  const rows = await deps.store.audit.recent(query.limit, query.before, {
    ...(query.entityId === undefined ? {} : { entityId: query.entityId }),
    ...(query.actorId === undefined ? {} : { actorId: query.actorId }),
  });
  return { rows, names: await staffNames(deps) };
}
