import { checkPseudonym, checkRealName, type PseudonymProblem, suggestPseudonym } from '../../../src/shared/pseudonym';
import type {
  CallDirection,
  CallOutcome,
  CallRegistrationInput,
  OrgType,
  Relation,
  SaveCallInput,
} from '../../../src/shared/schemas/calls';
import type { Cohort, NameKind, Occupation, Organization } from '../../../src/shared/schemas/statement-basics';

/** A person or a group being registered during the call. */
export interface RegistrationDraft {
  clientId: string;
  kind: 'person' | 'group';
  nameKind: NameKind;
  name: string;
  /** For a person: the organizations left. */
  organizations: Organization[];
  /** For a group: people per cohort. */
  counts: { party: number; leaguePioneers: number; league: number; pioneers: number };
  consent: 'personal' | 'named_by_other';
  relation: Relation;
}

/** A follow-up contact being recorded. */
export interface FollowupDraft {
  clientId: string;
  name: string;
  howToReach: string;
  offered: string;
}

/** Everything typed about one call, kept in the browser until the server confirms the save. */
export interface CallDraft {
  version: 1;
  clientId: string;
  ownerId: string;
  direction: CallDirection;
  phone: string;
  /** Where the number rings, as the server said when the call started (names in every language). */
  region?: { code: string; name: Record<string, string> };
  /** The talking-points script on screen (its key) and its version: the saved call records both. */
  scriptId?: string;
  scriptVersion?: number;
  status: 'ringing' | 'answered' | 'ended';
  /** The campaign task (or callback request) being called, as the workspace shows it (never the full number). */
  task?: DraftTask;
  /** True once the server keeps the call's record: its times are the server's. */
  isLive?: boolean;
  /** The server's clock minus the browser's when the server last answered, for the timer. */
  clockOffset?: number;
  /** The softphone's call ("sip:<Call-ID>" or "twilio:<CallSid>"), whose events give the times. */
  telephonyCallId?: string;
  /** Times in the server's clock once `isLive` (the browser's before, or offline). */
  startedAt: number;
  answeredAt?: number;
  endedAt?: number;
  orgType: OrgType | '';
  occupation: Occupation | '';
  listeners: string;
  outcome: CallOutcome | '';
  notes: string;
  /** What may be quoted in a report written from the call (absent in drafts kept before it existed). */
  quotable?: string;
  hotlineNumberGiven: boolean;
  circumventionTool: string;
  materialsRequested: boolean;
  registrations: RegistrationDraft[];
  followups: FollowupDraft[];
  /** The registration form being typed (not yet added), so a reload keeps it too. */
  editing?: RegistrationDraft;
  editingFollowup?: FollowupDraft;
}

/** A claimed number as the workspace shows it. */
export interface DraftTask {
  id: string;
  maskedNumber: string;
  organization: string | null;
  category: string | null;
  campaignId: string | null;
}

const CURRENT = (userId: string) => `hotline.console.current.${userId}`;
const PARKED = (userId: string) => `hotline.console.parked.${userId}`;
const DRAFT = (clientId: string) => `hotline.console.draft.${clientId}`;

/** A random client id (the call's, or a registration's): retries of one save carry the same id. */
export function newClientId(): string {
  return crypto.randomUUID();
}

/** A fresh person or group to register, under a suggested auspicious pseudonym. */
export function newRegistration(kind: 'person' | 'group'): RegistrationDraft {
  return {
    clientId: newClientId(),
    kind,
    nameKind: 'pseudonym',
    name: suggestPseudonym().name,
    organizations: [],
    counts: { party: 0, leaguePioneers: 0, league: 0, pioneers: 0 },
    consent: 'personal',
    relation: 'self',
  };
}

/** The draft of the user's call in progress, if any. */
export function loadDraft(userId: string): CallDraft | undefined {
  const clientId = localStorage.getItem(CURRENT(userId));
  if (!clientId) return undefined;
  const raw = localStorage.getItem(DRAFT(clientId));
  if (!raw) return undefined;
  try {
    const draft = JSON.parse(raw) as Partial<CallDraft>;
    return draft.version === 1 ? (draft as CallDraft) : undefined;
  } catch {
    return undefined;
  }
}

/** Writes the draft synchronously, on every change: a closed tab or a crash loses nothing. */
export function storeDraft(draft: CallDraft): void {
  localStorage.setItem(DRAFT(draft.clientId), JSON.stringify(draft));
  localStorage.setItem(CURRENT(draft.ownerId), draft.clientId);
}

/** Forgets a draft after the server confirmed the save (or the volunteer discarded it). */
export function clearDraft(draft: Pick<CallDraft, 'clientId' | 'ownerId'>): void {
  localStorage.removeItem(DRAFT(draft.clientId));
  if (localStorage.getItem(CURRENT(draft.ownerId)) === draft.clientId) localStorage.removeItem(CURRENT(draft.ownerId));
  const parked = parkedIds(draft.ownerId).filter((id) => id !== draft.clientId);
  localStorage.setItem(PARKED(draft.ownerId), JSON.stringify(parked));
}

function parkedIds(userId: string): string[] {
  try {
    const ids = JSON.parse(localStorage.getItem(PARKED(userId)) ?? '[]') as unknown;
    return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
  } catch {
    return [];
  }
}

/**
 * Puts the current draft aside (a new call came in before it could be saved): it stays in storage
 * and the workspace lists it until it is saved or discarded.
 */
export function parkDraft(draft: CallDraft): void {
  storeDraft(draft);
  const ids = parkedIds(draft.ownerId).filter((id) => id !== draft.clientId);
  localStorage.setItem(PARKED(draft.ownerId), JSON.stringify([...ids, draft.clientId]));
  if (localStorage.getItem(CURRENT(draft.ownerId)) === draft.clientId) localStorage.removeItem(CURRENT(draft.ownerId));
}

/** The drafts put aside, oldest first. */
export function parkedDrafts(userId: string): CallDraft[] {
  return parkedIds(userId).flatMap((id) => {
    try {
      const draft = JSON.parse(localStorage.getItem(DRAFT(id)) ?? 'null') as CallDraft | null;
      return draft?.version === 1 ? [draft] : [];
    } catch {
      return [];
    }
  });
}

/** Makes a parked draft the current one again. */
export function resumeDraft(draft: CallDraft): void {
  localStorage.setItem(PARKED(draft.ownerId), JSON.stringify(parkedIds(draft.ownerId).filter((id) => id !== draft.clientId)));
  storeDraft(draft);
}

/** Tells a mounted workspace that the current draft was replaced from elsewhere (an accepted call). */
export const DRAFT_REPLACED_EVENT = 'hotline:draft-replaced';

/** The cohorts a registration draft stands for. */
export function cohortsOf(registration: RegistrationDraft): Cohort[] {
  if (registration.kind === 'person') return [{ count: 1, organizations: registration.organizations }];
  const { party, leaguePioneers, league, pioneers } = registration.counts;
  const cohorts: Cohort[] = [];
  if (party > 0) cohorts.push({ count: party, organizations: ['party'] });
  if (leaguePioneers > 0) cohorts.push({ count: leaguePioneers, organizations: ['league', 'pioneers'] });
  if (league > 0) cohorts.push({ count: league, organizations: ['league'] });
  if (pioneers > 0) cohorts.push({ count: pioneers, organizations: ['pioneers'] });
  return cohorts;
}

/** People a registration draft covers. */
export function peopleOf(registration: RegistrationDraft): number {
  return cohortsOf(registration).reduce((sum, cohort) => sum + cohort.count, 0);
}

/**
 * Why a registration cannot be added yet, or undefined when it can: no name, no organization, or a
 * name the registry would refuse (`pseudonym:REASON`, the reason the server would give).
 */
export function registrationProblem(registration: RegistrationDraft): 'name' | 'organizations' | `pseudonym:${PseudonymProblem}` | undefined {
  if (registration.name.trim() === '') return 'name';
  const check = registration.nameKind === 'pseudonym' ? checkPseudonym(registration.name) : checkRealName(registration.name);
  if (!check.ok) return `pseudonym:${check.reason}`;
  if (cohortsOf(registration).length === 0 || cohortsOf(registration).some((c) => c.organizations.length === 0)) return 'organizations';
  return undefined;
}

/** A registration as the API takes it (in a saved call, or added to one later). */
export function registrationInputOf(r: RegistrationDraft): CallRegistrationInput {
  return {
    clientId: r.clientId,
    nameKind: r.nameKind,
    name: r.name.trim(),
    cohorts: cohortsOf(r),
    consent: r.consent,
    relation: r.consent === 'named_by_other' ? r.relation : 'self',
  };
}

/** A new, empty call draft. */
export function newDraft(fields: Pick<CallDraft, 'ownerId' | 'direction' | 'phone' | 'status' | 'startedAt'> & Partial<CallDraft>): CallDraft {
  return {
    version: 1,
    clientId: newClientId(),
    orgType: '',
    occupation: '',
    listeners: '',
    outcome: '',
    notes: '',
    hotlineNumberGiven: false,
    circumventionTool: '',
    materialsRequested: false,
    registrations: [],
    followups: [],
    ...fields,
  };
}

/** The body of POST /api/calls for a draft. */
export function saveInputOf(draft: CallDraft, now: number): SaveCallInput {
  const listeners = Number.parseInt(draft.listeners, 10);
  return {
    clientId: draft.clientId,
    direction: draft.direction,
    phone: draft.phone,
    ...(draft.orgType ? { orgType: draft.orgType } : {}),
    ...(draft.occupation ? { occupation: draft.occupation } : {}),
    ...(Number.isFinite(listeners) ? { listeners } : {}),
    outcome: draft.outcome || (draft.registrations.length > 0 ? 'registered' : draft.answeredAt === undefined ? 'no_answer' : 'listened'),
    notes: draft.notes,
    quotable: draft.quotable ?? '',
    ...(draft.scriptId !== undefined ? { scriptId: draft.scriptId, scriptVersion: draft.scriptVersion ?? 0 } : {}),
    ...(draft.task ? { taskId: draft.task.id } : {}),
    handedOut: {
      hotlineNumberGiven: draft.hotlineNumberGiven,
      circumventionTool: draft.circumventionTool,
      materialsRequested: draft.materialsRequested,
    },
    startedAt: draft.startedAt,
    ...(draft.answeredAt !== undefined ? { answeredAt: draft.answeredAt } : {}),
    endedAt: draft.endedAt ?? now,
    registrations: draft.registrations.map(registrationInputOf),
    followups: draft.followups
      .filter((f) => f.howToReach.trim() !== '')
      .map((f) => ({ clientId: f.clientId, name: f.name, howToReach: f.howToReach, offered: f.offered })),
  };
}
