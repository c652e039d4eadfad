import type { Deps } from '../deps';

/** One audit entry: who did what to which record. Details hold ids and codes, never decrypted values. */
export interface AuditEntry {
  actorId: string | null;
  action: string;
  entityType?: string;
  entityId?: string;
  details?: Record<string, string | number | boolean | null | string[] | number[]>;
}

/** The MAC of the empty chain's predecessor. */
export const GENESIS_MAC = '0'.repeat(64);

/** The text a row's MAC covers; any change to any field changes it. */
export function auditMessage(row: {
  seq: number;
  at: number;
  actor_id: string | null;
  action: string;
  entity_type: string | null;
  entity_id: string | null;
  details: string;
  prev_mac: string;
}): string {
  return JSON.stringify([row.seq, row.at, row.actor_id, row.action, row.entity_type, row.entity_id, row.details, row.prev_mac]);
}

/**
 * Appends an entry to the audit chain. Call it inside the transaction of the change it records, so
 * that both land or neither does. Each row's MAC covers the previous row's MAC, and the head is kept
 * in `meta` and, once committed, outside the database (`deps.auditHead`), so that deleting the
 * newest rows is detected too, even by someone who also rewrites `meta`.
 */
export async function appendAudit(deps: Deps, entry: AuditEntry): Promise<void> {
  await deps.store.transaction(async (tx) => {
    await tx.lock('audit_log');
    const last = await tx.audit.last();
    const row = {
      seq: (last?.seq ?? 0) + 1,
      at: deps.clock(),
      actor_id: entry.actorId,
      action: entry.action,
      entity_type: entry.entityType ?? null,
      entity_id: entry.entityId ?? null,
      details: JSON.stringify(entry.details ?? {}),
      prev_mac: last?.mac ?? GENESIS_MAC,
    };
    const mac = deps.keyring.auditMac(auditMessage(row));
    await tx.audit.append({ ...row, mac }, `${row.seq}:${mac}`);
    tx.onCommit(() => deps.auditHead?.record({ seq: row.seq, mac }));
  });
}
