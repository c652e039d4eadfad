import type { CallFollowupRow, CallRegistrationRow, CallRow } from '../../db/repositories/calls/index';
import { AppError } from '../../shared/app-error';
import type { CallListQuery } from '../../shared/schemas/calls';
import { type Actor, authorize, can } from '../auth/policy';
import type { Deps } from '../deps';

/** A call with what the actor may see of its registrations and follow-ups. */
export interface CallWithParts {
  call: CallRow;
  registrations: CallRegistrationRow[];
  /** Empty unless the actor may read follow-up contacts. */
  followups: CallFollowupRow[];
  canReadNotes: boolean;
  canReadFollowups: boolean;
  canEdit: boolean;
}

async function withParts(deps: Deps, actor: Actor, calls: CallRow[]): Promise<CallWithParts[]> {
  const now = deps.clock();
  const ids = calls.map((call) => call.id);
  const canReadFollowups = can(actor, 'followup.read', undefined, now);
  const registrations = await deps.store.calls.calls.registrationsOf(ids);
  const followups = canReadFollowups ? await deps.store.calls.calls.followupsOf(ids) : [];
  return calls.map((call) => {
    const resource = { ownerId: call.owner_id, createdAt: call.created_at };
    return {
      call,
      registrations: registrations.filter((row) => row.call_id === call.id),
      followups: followups.filter((row) => row.call_id === call.id),
      canReadNotes: can(actor, 'call.read-notes', resource, now),
      canReadFollowups,
      canEdit: can(actor, 'call.edit', resource, now),
    };
  });
}

/**
 * Calls the actor may see: their own, or (with `call.list-all`) everyone's with the log's filters.
 * The owner filter is part of the query, so a list never fetches a row the caller may not see.
 */
export async function listCalls(deps: Deps, args: { actor: Actor; query: CallListQuery; mineOnly: boolean }): Promise<CallWithParts[]> {
  const { actor, query } = args;
  const mayListAll = !args.mineOnly && can(actor, 'call.list-all', undefined, deps.clock());
  if (!args.mineOnly && !mayListAll) authorize(actor, 'call.list-all', undefined, deps.clock());
  const ownerId = mayListAll ? query.ownerId : actor.id;
  const rows = await deps.store.calls.calls.list({
    ...(ownerId !== undefined ? { ownerId } : {}),
    ...(query.outcome ? { outcome: query.outcome } : {}),
    ...(query.direction ? { direction: query.direction } : {}),
    ...(query.campaignId ? { campaignId: query.campaignId } : {}),
    ...(query.from !== undefined ? { from: query.from } : {}),
    ...(query.to !== undefined ? { to: query.to } : {}),
    limit: query.limit,
  });
  return withParts(deps, actor, rows);
}

/** One call, if the actor may read it (NOT_FOUND otherwise, so ids reveal nothing). */
export async function getCall(deps: Deps, args: { actor: Actor; callId: string }): Promise<CallWithParts> {
  const row = await deps.store.calls.calls.findById(args.callId);
  // Another volunteer's call answers exactly like a missing one.
  if (!row || !can(args.actor, 'call.read', { ownerId: row.owner_id, createdAt: row.created_at }, deps.clock()))
    throw new AppError('NOT_FOUND', 'No such call');
  const [one] = await withParts(deps, args.actor, [row]);
  return one!;
}
