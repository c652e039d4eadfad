import { AppError } from '../../shared/app-error';
import { type Actor, authorize } from '../auth/policy';
import { appendAudit } from '../audit/append-audit';
import { type Deps, inTransaction } from '../deps';

/** Encryption context of a follow-up contact's details. */
export const FOLLOWUP_CONTEXT = 'calls.followup';

/** A follow-up contact on the worklist. */
export interface FollowupItem {
  id: string;
  callId: string;
  /** When the call was made, and who recorded the contact. */
  callStartedAt: number;
  recordedBy: string;
  recordedAt: number;
  name: string;
  howToReach: string;
  offered: string;
  /** When to contact them; null: as soon as possible. */
  dueAt: number | null;
  doneAt: number | null;
}

/**
 * The follow-up worklist: people in China who offered to help, as volunteers recorded them in calls.
 * Their contact details are the most dangerous data Hotline holds, so the list is for those who
 * may read follow-up contacts (admins) only, as the call log's contact column is; reading it is
 * audited. Open items first by when they are due; notes past retention are gone from it.
 */
export async function listFollowups(deps: Deps, options: { actor: Actor; state: 'open' | 'done'; limit: number }): Promise<FollowupItem[]> {
  authorize(options.actor, 'followup.read', undefined, deps.clock());
  const rows = await deps.store.calls.calls.listFollowups(options.state, options.limit);
  await appendAudit(deps, { actorId: options.actor.id, action: 'followup.listed', entityType: 'followup', details: { state: options.state, shown: rows.length } });
  return rows.map((row) => {
    const details = row.details_enc ? (JSON.parse(deps.keyring.decrypt(row.details_enc, FOLLOWUP_CONTEXT)) as { name: string; howToReach: string; offered: string }) : { name: '', howToReach: '', offered: '' };
    return {
      id: row.id,
      callId: row.call_id,
      callStartedAt: row.call_started_at,
      recordedBy: row.owner_name,
      recordedAt: row.created_at,
      name: details.name,
      howToReach: details.howToReach,
      offered: details.offered,
      dueAt: row.due_at,
      doneAt: row.done_at,
    };
  });
}

/** An admin marks a follow-up contact done (contacted), or open again; or sets the day to contact them. */
export async function updateFollowup(deps: Deps, options: { actor: Actor; followupId: string; change: { done: boolean } | { dueAt: number | null } }): Promise<void> {
  authorize(options.actor, 'followup.read', undefined, deps.clock());
  await deps.store.transaction(async (tx) => {
    const row = await tx.calls.calls.findFollowupById(options.followupId);
    if (!row || row.shredded_at !== null) throw new AppError('NOT_FOUND', 'No such follow-up contact');
    const now = deps.clock();
    const { change } = options;
    if ('done' in change) {
      if ((row.done_at !== null) === change.done) throw new AppError('CONFLICT', change.done ? 'This follow-up is done already' : 'This follow-up is open already');
      await tx.calls.calls.updateFollowup(row.id, change.done ? { done_at: now, done_by: options.actor.id } : { done_at: null, done_by: null });
    } else {
      await tx.calls.calls.updateFollowup(row.id, { due_at: change.dueAt });
    }
    await appendAudit(inTransaction(deps, tx), {
      actorId: options.actor.id,
      action: 'done' in change ? (change.done ? 'followup.done' : 'followup.reopened') : 'followup.due-set',
      entityType: 'followup',
      entityId: row.id,
      ...('dueAt' in change ? { details: { dueAt: change.dueAt ?? 0 } } : {}),
    });
  });
}
