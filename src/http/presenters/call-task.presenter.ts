import type { Keyring } from '../../crypto/keyring';
import type { CallListEntryRow } from '../../db/repositories/operations/call-lists.repository';
import type { CallTaskRow } from '../../db/repositories/operations/campaigns.repository';
import { OPERATIONS_FIELDS } from '../../db/schema/operations';
import { maskPhone } from '../../shared/phone';

/** A task as the claiming volunteer's list shows it: the number masked, never in full. */
export interface PresentedTask {
  id: string;
  kind: string;
  campaignId: string | null;
  maskedNumber: string;
  organization: string | null;
  category: string | null;
  regionCode: string | null;
  attempts: number;
  maxAttempts: number;
  claimExpiresAt: number | null;
  lastOutcome: string | null;
}

function phoneOf(task: CallTaskRow, entry: CallListEntryRow | undefined, keyring: Keyring): string | null {
  if (task.phone_enc) return keyring.decrypt(task.phone_enc, OPERATIONS_FIELDS.taskPhone);
  if (entry) return keyring.decrypt(entry.phone_enc, OPERATIONS_FIELDS.entryPhone);
  return null;
}

/**
 * The only place a claimed task becomes output. The number is decrypted only to be masked here; the
 * organization is shown to the volunteer holding the claim (it says whom they are calling).
 */
export function presentTask(task: CallTaskRow, entry: CallListEntryRow | undefined, keyring: Keyring): PresentedTask {
  const phone = phoneOf(task, entry, keyring);
  return {
    id: task.id,
    kind: task.kind,
    campaignId: task.campaign_id,
    maskedNumber: phone ? maskPhone(phone) : '****',
    organization: entry ? keyring.decrypt(entry.organization_enc, OPERATIONS_FIELDS.entryOrganization) : null,
    category: entry?.category ?? null,
    regionCode: entry?.region_code ?? null,
    attempts: task.attempts,
    maxAttempts: task.max_attempts,
    claimExpiresAt: task.claim_expires_at,
    lastOutcome: task.last_outcome,
  };
}

/**
 * The full number of a task, for the volunteer dialing it. Callers must have checked the claim
 * (`taskForDialing`, which audits the reveal) before calling this.
 */
export function revealTaskNumber(task: CallTaskRow, entry: CallListEntryRow | undefined, keyring: Keyring): string {
  return phoneOf(task, entry, keyring) ?? '';
}
