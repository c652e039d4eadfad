import type { Keyring } from '../../crypto/keyring';
import type { DoNotCallRow } from '../../db/repositories/operations/call-lists.repository';
import { OPERATIONS_FIELDS } from '../../db/schema/operations';
import { maskPhone } from '../../shared/phone';

/** A do-not-call entry as coordinators see it: the number masked (never in full), when and by whom. */
export interface PresentedDoNotCall {
  id: string;
  maskedNumber: string;
  reason: string | null;
  addedAt: number;
  addedBy: { id: string; displayName: string } | null;
}

/**
 * The only place a do-not-call entry becomes output. The number is decrypted only to be masked
 * (+86 138****5678): enough to tell entries apart and find the one to remove, not to dial.
 */
export function presentDoNotCall(row: DoNotCallRow & { added_by_name: string | null }, keyring: Keyring): PresentedDoNotCall {
  return {
    id: row.id,
    maskedNumber: maskPhone(keyring.decrypt(row.phone_enc, OPERATIONS_FIELDS.doNotCallPhone)),
    reason: row.reason,
    addedAt: row.added_at,
    addedBy: row.added_by ? { id: row.added_by, displayName: row.added_by_name ?? row.added_by } : null,
  };
}
