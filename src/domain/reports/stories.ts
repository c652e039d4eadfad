import type { CallRow } from '../../db/repositories/calls/index';
import type { StoryRow } from '../../db/repositories/reports/index';
import { AppError } from '../../shared/app-error';
import { appendAudit } from '../audit/append-audit';
import { type Actor, authorize } from '../auth/policy';
import { newId } from '../auth/secrets';
import { FOLLOWUP_CONTEXT } from '../calls/followups';
import { type Deps, inTransaction } from '../deps';
import { REAL_NAME_CONTEXT } from '../statements/statement-fields';
import { findPersonalDetails, type PersonalDetail, type StorySecrets } from './personal-details';
import { draftStory, type StoryCall, type StoryContent, storyPlace } from './story-text';

/** Where a story is in its life. */
export type StoryStatus = 'draft' | 'approved' | 'published' | 'withdrawn';

const CONTENT_CONTEXT = 'stories.content';
/** Calls one story may be written from. */
export const MAX_STORY_CALLS = 20;

/** A story as coordinators work on it: its text, and the personal details its text holds. */
export interface Story {
  id: string;
  status: StoryStatus;
  callIds: string[];
  content: StoryContent;
  /** Personal details in the text (real names, numbers, places below the prefecture, follow-up details). */
  findings: PersonalDetail[];
  /** Those the coordinator kept on purpose when publishing. */
  keptDetails: string[];
  createdBy: string | null;
  approvedBy: string | null;
  publishedBy: string | null;
  createdAt: number;
  updatedAt: number;
  publishedAt: number | null;
}

/** A published story as the public site shows it. */
export interface PublishedStory {
  id: string;
  publishedAt: number;
  content: StoryContent;
}

const durationMinutes = (call: CallRow) => (call.answered_at !== null && call.ended_at !== null ? Math.max(1, Math.round((call.ended_at - call.answered_at) / 60_000)) : null);

async function callsOf(deps: Deps, callIds: readonly string[]): Promise<CallRow[]> {
  const calls: CallRow[] = [];
  for (const id of callIds) {
    const call = await deps.store.calls.calls.findById(id);
    if (!call) throw new AppError('NOT_FOUND', 'No such call', { details: { callId: id } });
    calls.push(call);
  }
  return calls.sort((a, b) => a.started_at - b.started_at);
}

/** The facts of the calls a story may tell, and the secrets it must not. */
async function storyFacts(deps: Deps, callIds: readonly string[]): Promise<{ calls: StoryCall[]; secrets: StorySecrets }> {
  const calls = await callsOf(deps, callIds);
  const ids = calls.map((call) => call.id);
  const registrations = await deps.store.calls.calls.registrationsOf(ids);
  const followups = await deps.store.calls.calls.followupsOf(ids);
  const secrets: StorySecrets = { realNames: [], phones: [], followups: [] };
  const storyCalls: StoryCall[] = [];
  for (const call of calls) {
    if (call.phone_enc) secrets.phones.push(deps.keyring.decrypt(call.phone_enc, 'calls.phone'));
    const registered = [];
    for (const registration of registrations.filter((row) => row.call_id === call.id)) {
      const statement = await deps.store.registry.statements.findById(registration.statement_id);
      if (!statement) continue;
      if (statement.real_name_enc) secrets.realNames.push(deps.keyring.decrypt(statement.real_name_enc, REAL_NAME_CONTEXT));
      // Rejected, duplicate and withdrawn statements left nobody: the story does not count them.
      if (statement.status !== 'published' && statement.status !== 'pending' && statement.status !== 'held') continue;
      registered.push({
        nameKind: statement.name_kind === 'real' ? ('real' as const) : ('pseudonym' as const),
        pseudonym: statement.name_kind === 'real' ? null : statement.public_name,
        cohorts: JSON.parse(statement.cohorts) as { count: number; organizations: string[] }[],
        namedByOther: statement.consent === 'named_by_other',
        relation: statement.relation,
      });
    }
    for (const followup of followups.filter((row) => row.call_id === call.id && row.details_enc !== null)) {
      const details = JSON.parse(deps.keyring.decrypt(followup.details_enc as Buffer, FOLLOWUP_CONTEXT)) as { name: string; howToReach: string };
      secrets.followups.push(details.name, details.howToReach);
    }
    storyCalls.push({
      direction: call.direction === 'inbound' ? 'inbound' : 'outbound',
      ...storyPlace(call.region_code),
      orgType: call.org_type,
      occupation: call.occupation,
      minutes: durationMinutes(call),
      listeners: call.listeners,
      handedOut: JSON.parse(call.handed_out) as StoryCall['handedOut'],
      registrations: registered,
      quotable: call.quotable_enc && call.shredded_at === null ? deps.keyring.decrypt(call.quotable_enc, 'calls.quotable') : '',
    });
  }
  return { calls: storyCalls, secrets };
}

function contentOf(deps: Deps, row: StoryRow): StoryContent {
  return JSON.parse(deps.keyring.decrypt(row.content_enc, CONTENT_CONTEXT)) as StoryContent;
}

async function present(deps: Deps, row: StoryRow): Promise<Story> {
  const content = contentOf(deps, row);
  const callIds = JSON.parse(row.call_ids) as string[];
  // No fallback: a story whose calls cannot be read must not look free of personal details.
  const { secrets } = await storyFacts(deps, callIds);
  return {
    id: row.id,
    status: row.status as StoryStatus,
    callIds,
    content,
    findings: findPersonalDetails(content, secrets),
    keptDetails: JSON.parse(row.kept_details) as string[],
    createdBy: row.created_by,
    approvedBy: row.approved_by,
    publishedBy: row.published_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    publishedAt: row.published_at,
  };
}

async function storyFor(deps: Deps, actor: Actor, id: string): Promise<StoryRow> {
  authorize(actor, 'story.manage', undefined, deps.clock());
  const row = await deps.store.reports.findStory(id);
  if (!row) throw new AppError('NOT_FOUND', 'No such story');
  return row;
}

/**
 * Drafts a story from calls: what happened, in the three languages, from the calls' facts and the
 * notes their volunteers marked as quotable; no name, number or place below the prefecture.
 */
export async function createStoryDraft(deps: Deps, args: { actor: Actor; callIds: string[] }): Promise<Story> {
  authorize(args.actor, 'story.manage', undefined, deps.clock());
  const callIds = [...new Set(args.callIds)];
  if (callIds.length === 0 || callIds.length > MAX_STORY_CALLS) throw new AppError('VALIDATION_FAILED', `A story is written from 1 to ${MAX_STORY_CALLS} calls`);
  return deps.store.transaction(async (tx) => {
    const d = inTransaction(deps, tx);
    const { calls } = await storyFacts(d, callIds);
    const now = deps.clock();
    const row: StoryRow = {
      id: newId(),
      status: 'draft',
      call_ids: JSON.stringify(callIds),
      content_enc: deps.keyring.encrypt(JSON.stringify(draftStory(calls)), CONTENT_CONTEXT),
      kept_details: '[]',
      created_by: args.actor.id,
      approved_by: null,
      published_by: null,
      created_at: now,
      updated_at: now,
      published_at: null,
    };
    await tx.reports.insertStory(row);
    await appendAudit(d, { actorId: args.actor.id, action: 'story.drafted', entityType: 'story', entityId: row.id, details: { calls: callIds } });
    return present(d, row);
  });
}

/** Stories, newest first. */
export async function listStories(deps: Deps, args: { actor: Actor; limit?: number }): Promise<Story[]> {
  authorize(args.actor, 'story.manage', undefined, deps.clock());
  const rows = await deps.store.reports.listStories(args.limit ?? 200);
  return Promise.all(rows.map((row) => present(deps, row)));
}

/** One story, with what its text holds. */
export async function getStory(deps: Deps, args: { actor: Actor; id: string }): Promise<Story> {
  return present(deps, await storyFor(deps, args.actor, args.id));
}

/** Saves an edited text; an approved story goes back to draft (it must be approved again). */
export async function editStory(deps: Deps, args: { actor: Actor; id: string; content: StoryContent }): Promise<Story> {
  return deps.store.transaction(async (tx) => {
    const d = inTransaction(deps, tx);
    const row = await storyFor(d, args.actor, args.id);
    if (row.status === 'published') throw new AppError('CONFLICT', 'Withdraw a published story before editing it');
    const changes = { content_enc: deps.keyring.encrypt(JSON.stringify(args.content), CONTENT_CONTEXT), status: 'draft', approved_by: null, updated_at: deps.clock() };
    await tx.reports.updateStory(row.id, changes);
    await appendAudit(d, { actorId: args.actor.id, action: 'story.edited', entityType: 'story', entityId: row.id });
    return present(d, { ...row, ...changes });
  });
}

/** Marks a draft as read and approved for publishing. */
export async function approveStory(deps: Deps, args: { actor: Actor; id: string }): Promise<Story> {
  return deps.store.transaction(async (tx) => {
    const d = inTransaction(deps, tx);
    const row = await storyFor(d, args.actor, args.id);
    if (row.status !== 'draft' && row.status !== 'withdrawn') throw new AppError('CONFLICT', `A ${row.status} story cannot be approved`);
    const changes = { status: 'approved', approved_by: args.actor.id, updated_at: deps.clock() };
    await tx.reports.updateStory(row.id, changes);
    await appendAudit(d, { actorId: args.actor.id, action: 'story.approved', entityType: 'story', entityId: row.id });
    return present(d, { ...row, ...changes });
  });
}

/**
 * Publishes an approved story on the public Stories page and feed. Every personal detail its
 * text holds must be named in `keep` (the coordinator added it on purpose); otherwise nothing is
 * published and the error says how many of which kind remain. Audited, with what was kept.
 */
export async function publishStory(deps: Deps, args: { actor: Actor; id: string; keep?: string[] }): Promise<Story> {
  return deps.store.transaction(async (tx) => {
    const d = inTransaction(deps, tx);
    const row = await storyFor(d, args.actor, args.id);
    if (row.status !== 'approved') throw new AppError('CONFLICT', 'Approve the story before publishing it');
    const story = await present(d, row);
    const keep = new Set(args.keep ?? []);
    const remaining = story.findings.filter((finding) => !keep.has(finding.text));
    if (remaining.length > 0) {
      throw new AppError('STORY_HAS_PERSONAL_DETAILS', 'The story holds personal details not kept on purpose', {
        details: { count: remaining.length, kinds: [...new Set(remaining.map((finding) => finding.kind))] },
      });
    }
    const kept = story.findings.map((finding) => finding.text);
    const now = deps.clock();
    const changes = { status: 'published', published_by: args.actor.id, published_at: now, kept_details: JSON.stringify(kept), updated_at: now };
    await tx.reports.updateStory(row.id, changes);
    await appendAudit(d, {
      actorId: args.actor.id,
      action: 'story.published',
      entityType: 'story',
      entityId: row.id,
      details: { calls: story.callIds, keptDetails: kept.length, keptKinds: [...new Set(story.findings.map((finding) => finding.kind))] },
    });
    return { ...story, status: 'published', publishedBy: args.actor.id, publishedAt: now, keptDetails: kept, updatedAt: now };
  });
}

/** Takes a published story off the public site. */
export async function withdrawStory(deps: Deps, args: { actor: Actor; id: string }): Promise<Story> {
  return deps.store.transaction(async (tx) => {
    const d = inTransaction(deps, tx);
    const row = await storyFor(d, args.actor, args.id);
    if (row.status !== 'published') throw new AppError('CONFLICT', 'Only a published story can be withdrawn');
    const changes = { status: 'withdrawn', updated_at: deps.clock() };
    await tx.reports.updateStory(row.id, changes);
    await appendAudit(d, { actorId: args.actor.id, action: 'story.withdrawn', entityType: 'story', entityId: row.id });
    return present(d, { ...row, ...changes });
  });
}

/** Published stories, newest first (the public Stories page and feed). */
export async function publishedStories(deps: Deps, options: { limit: number; from?: number; to?: number }): Promise<PublishedStory[]> {
  const rows = await deps.store.reports.publishedStories(options);
  return rows.map((row) => ({ id: row.id, publishedAt: row.published_at as number, content: contentOf(deps, row) }));
}

/** One published story, or undefined. */
export async function publishedStory(deps: Deps, id: string): Promise<PublishedStory | undefined> {
  const row = await deps.store.reports.findStory(id);
  if (row?.status !== 'published') return undefined;
  return { id: row.id, publishedAt: row.published_at as number, content: contentOf(deps, row) };
}
