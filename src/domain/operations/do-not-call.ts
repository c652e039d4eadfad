import { randomUUID } from 'node:crypto';
import type { DoNotCallRow } from '../../db/repositories/operations/call-lists.repository';
import { OPERATIONS_FIELDS } from '../../db/schema/operations';
import { AppError } from '../../shared/app-error';
import { parsePhoneNumber } from '../../shared/phone';
import { appendAudit } from '../audit/append-audit';
import { type Actor, authorize } from '../auth/policy';
import { type Deps, inTransaction } from '../deps';

/**
 * Adds a number to the organization-wide do-not-call list (audited by id, never the number). Claims
 * stop handing it out at once and imports refuse it. Returns the entry id and whether it was new.
 */
export async function addDoNotCall(deps: Deps, options: { actor: Actor | null; number: string; reason?: string }): Promise<{ id: string; added: boolean }> {
  if (options.actor) authorize(options.actor, 'donotcall.manage', undefined, deps.clock());
  const parsed = parsePhoneNumber(options.number);
  if (!parsed.ok) throw new AppError('VALIDATION_FAILED', 'Not a valid phone number', { details: { reason: parsed.reason } });
  const bidx = deps.keyring.blindIndex('phone', parsed.e164);
  return deps.store.transaction(async (tx) => {
    const existing = await tx.operations.callLists.findDoNotCall(bidx);
    if (existing) return { id: existing.id, added: false };
    const id = randomUUID();
    await tx.operations.callLists.addDoNotCall({
      id,
      phone_bidx: bidx,
      phone_enc: deps.keyring.encrypt(parsed.e164, OPERATIONS_FIELDS.doNotCallPhone),
      reason: options.reason ?? null,
      added_by: options.actor?.id ?? null,
      added_at: deps.clock(),
    });
    await appendAudit(inTransaction(deps, tx), { actorId: options.actor?.id ?? null, action: 'donotcall.add', entityType: 'do_not_call', entityId: id });
    return { id, added: true };
  });
}

/** Removes a do-not-call entry (audited). */
export async function removeDoNotCall(deps: Deps, options: { actor: Actor | null; id: string }): Promise<void> {
  if (options.actor) authorize(options.actor, 'donotcall.manage', undefined, deps.clock());
  await deps.store.transaction(async (tx) => {
    if (!(await tx.operations.callLists.removeDoNotCall(options.id))) throw new AppError('NOT_FOUND', 'No such do-not-call entry');
    await appendAudit(inTransaction(deps, tx), { actorId: options.actor?.id ?? null, action: 'donotcall.remove', entityType: 'do_not_call', entityId: options.id });
  });
}

/** Entries a do-not-call listing returns at most. */
export const DO_NOT_CALL_PAGE = 500;

/**
 * The do-not-call list for coordinators, newest first (at most DO_NOT_CALL_PAGE), or the entry for
 * one number (found by its blind index, so "is this number on it, and which entry is it?" needs no
 * decryption of the others). `total` counts the whole list.
 */
export async function listDoNotCall(
  deps: Deps,
  options: { actor: Actor; number?: string },
): Promise<{ entries: (DoNotCallRow & { added_by_name: string | null })[]; total: number }> {
  authorize(options.actor, 'donotcall.manage', undefined, deps.clock());
  const lists = deps.store.operations.callLists;
  let bidx: Buffer | undefined;
  if (options.number !== undefined) {
    const parsed = parsePhoneNumber(options.number);
    if (!parsed.ok) throw new AppError('VALIDATION_FAILED', 'Not a valid phone number', { details: { reason: parsed.reason } });
    bidx = deps.keyring.blindIndex('phone', parsed.e164);
  }
  return { entries: await lists.doNotCallList(DO_NOT_CALL_PAGE, bidx), total: await lists.doNotCallCount() };
}
