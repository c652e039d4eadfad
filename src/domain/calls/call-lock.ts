import type { CallRow } from '../../db/repositories/calls/index';
import { AppError } from '../../shared/app-error';
import { type Actor, can } from '../auth/policy';

/** How long after saving a volunteer may still correct their call. */
export const CALL_EDIT_WINDOW_MS = 24 * 3_600_000;

/**
 * Throws unless `actor` may still change `call`: NOT_FOUND when they may not even read it (so an id
 * reveals nothing), FORBIDDEN when they may read but never change it, CALL_LOCKED once the edit
 * window has passed (with the time it locked, so the
 * console can say so instead of retrying a draft forever).
 */
export function assertCallEditable(actor: Actor, call: CallRow, now: number): void {
  const resource = { ownerId: call.owner_id, createdAt: call.created_at };
  if (!can(actor, 'call.read', resource, now)) throw new AppError('NOT_FOUND', 'No such call');
  // Someone who could not edit even a fresh call (a coordinator reading another's) is refused, not told it is locked.
  if (!can(actor, 'call.edit', { ...resource, createdAt: now }, now)) throw new AppError('FORBIDDEN', 'You may read this call but not change it');
  if (!can(actor, 'call.edit', resource, now))
    throw new AppError('CALL_LOCKED', 'The call is locked: it was saved more than 24 hours ago', {
      details: { callId: call.id, lockedAt: call.created_at + CALL_EDIT_WINDOW_MS },
    });
}
