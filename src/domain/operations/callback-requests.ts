import { OPERATIONS_FIELDS } from '../../db/schema/operations';
import { parsePhoneNumber } from '../../shared/phone';
import { appendAudit } from '../audit/append-audit';
import { type Deps, inTransaction } from '../deps';

/** Callback requests are worked before campaign numbers and tried this many times. */
export const CALLBACK_PRIORITY = 100;
export const CALLBACK_ATTEMPTS = 3;
export const CALLBACK_SPACING_MINUTES = 30;

/**
 * Turns a caller's callback request into a call task that volunteers claim like a campaign number
 * (`claimNextNumbers` with campaignId null). The number is encrypted; the audit row holds only the
 * task id. Returns null when the caller's number is unknown or invalid (withheld caller id).
 */
export async function createCallbackRequest(deps: Deps, options: { fromE164: string | undefined; callId: string }): Promise<{ taskId: string } | null> {
  if (!options.fromE164) return null;
  const parsed = parsePhoneNumber(options.fromE164);
  if (!parsed.ok) return null;
  const now = deps.clock();
  const taskId = `callback:${options.callId}`;
  await deps.store.transaction(async (tx) => {
    if (await tx.operations.campaigns.findTask(taskId)) return;
    await tx.operations.campaigns.insertTask({
      id: taskId,
      kind: 'callback',
      campaign_id: null,
      entry_id: null,
      phone_enc: deps.keyring.encrypt(parsed.e164, OPERATIONS_FIELDS.taskPhone),
      phone_bidx: deps.keyring.blindIndex('phone', parsed.e164),
      priority: CALLBACK_PRIORITY,
      status: 'open',
      attempts: 0,
      max_attempts: CALLBACK_ATTEMPTS,
      retry_spacing_minutes: CALLBACK_SPACING_MINUTES,
      next_attempt_at: now,
      claimed_by: null,
      claim_token: null,
      claim_expires_at: null,
      last_outcome: null,
      created_at: now,
      updated_at: now,
    });
    await appendAudit(inTransaction(deps, tx), { actorId: null, action: 'callback.create', entityType: 'call_task', entityId: taskId, details: { callId: options.callId } });
  });
  return { taskId };
}
