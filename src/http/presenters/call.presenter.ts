import { z } from 'zod';
import type { Keyring } from '../../crypto/keyring';
import { CALL_EDIT_WINDOW_MS } from '../../domain/calls/call-lock';
import type { CallWithParts } from '../../domain/calls/list-calls';
import { maskPhone } from '../../shared/phone';
import { HandedOut } from '../../shared/schemas/calls';
import { presentRegion, RegionOut } from './region.presenter';
import { FOLLOWUP_CONTEXT } from '../../domain/calls/followups';

/** A call as the API shows it. The number only masked; notes and follow-ups only with permission. */
export const CallOut = z.object({
  id: z.string(),
  clientId: z.string(),
  ownerId: z.string(),
  direction: z.string(),
  phoneMasked: z.string().nullable(),
  regionCode: z.string().nullable(),
  /** The region with its names in every console language. */
  region: RegionOut.nullable(),
  orgType: z.string().nullable(),
  occupation: z.string().nullable(),
  listeners: z.number().nullable(),
  outcome: z.string(),
  /** Null when the reader may not read notes, or they were shredded (see notesShredded); '' when there are none. */
  notes: z.string().nullable(),
  notesShredded: z.boolean(),
  /** What the volunteer marked as quotable in a report; null like `notes`. */
  quotable: z.string().nullable(),
  handedOut: HandedOut,
  peopleRegistered: z.number(),
  startedAt: z.number(),
  answeredAt: z.number().nullable(),
  endedAt: z.number().nullable(),
  /** Whole seconds from answer (or, unanswered, from start) to end; null while unknown. */
  durationSeconds: z.number().nullable(),
  /** Where the times came from: 'server', 'telephony', 'browser' or 'corrected' (null: saved before this was kept). */
  timesSource: z.string().nullable(),
  /** The campaign task this call was an attempt on, and its campaign. */
  taskId: z.string().nullable(),
  campaignId: z.string().nullable(),
  createdAt: z.number(),
  editable: z.boolean(),
  /** When the call locks for its volunteer (24 hours after it was saved). */
  editableUntil: z.number(),
  /** The talking-points script shown during the call, at the version shown. */
  script: z.object({ id: z.string(), version: z.number() }).nullable(),
  registrations: z.array(z.object({ clientId: z.string(), statementId: z.string(), people: z.number() })),
  /** Present only for roles allowed to read follow-up contacts. */
  followups: z
    .array(z.object({ id: z.string(), name: z.string(), howToReach: z.string(), offered: z.string(), shredded: z.boolean() }))
    .optional(),
});
export type CallOut = z.infer<typeof CallOut>;

/** Turns a stored call into API output; decrypts only what the flags in `item` allow. */
export function presentCall(item: CallWithParts, keyring: Keyring): CallOut {
  const { call } = item;
  const out: CallOut = {
    id: call.id,
    clientId: call.client_id,
    ownerId: call.owner_id,
    direction: call.direction,
    phoneMasked: call.phone_enc ? maskPhone(keyring.decrypt(call.phone_enc, 'calls.phone')) : null,
    regionCode: call.region_code,
    region: presentRegion(call.region_code),
    orgType: call.org_type,
    occupation: call.occupation,
    listeners: call.listeners,
    outcome: call.outcome,
    notes: !item.canReadNotes || call.shredded_at !== null ? null : call.notes_enc ? keyring.decrypt(call.notes_enc, 'calls.notes') : '',
    notesShredded: call.shredded_at !== null,
    quotable: !item.canReadNotes || call.shredded_at !== null ? null : call.quotable_enc ? keyring.decrypt(call.quotable_enc, 'calls.quotable') : '',
    handedOut: HandedOut.parse(JSON.parse(call.handed_out)),
    peopleRegistered: call.people_registered,
    startedAt: call.started_at,
    answeredAt: call.answered_at,
    endedAt: call.ended_at,
    durationSeconds: call.ended_at === null ? null : Math.max(0, Math.round((call.ended_at - (call.answered_at ?? call.started_at)) / 1000)),
    timesSource: call.times_source,
    taskId: call.task_id,
    campaignId: call.campaign_id,
    createdAt: call.created_at,
    editable: item.canEdit,
    editableUntil: call.created_at + CALL_EDIT_WINDOW_MS,
    script: call.script_id === null ? null : { id: call.script_id, version: call.script_version ?? 0 },
    registrations: item.registrations.map((row) => ({ clientId: row.client_id, statementId: row.statement_id, people: row.people })),
  };
  if (item.canReadFollowups) {
    out.followups = item.followups.map((row) => {
      const details = row.details_enc
        ? (JSON.parse(keyring.decrypt(row.details_enc, FOLLOWUP_CONTEXT)) as { name: string; howToReach: string; offered: string })
        : undefined;
      return {
        id: row.id,
        name: details?.name ?? '',
        howToReach: details?.howToReach ?? '',
        offered: details?.offered ?? '',
        shredded: details === undefined,
      };
    });
  }
  return out;
}
