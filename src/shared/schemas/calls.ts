import { z } from 'zod';
import { Cohort, NameKind, Occupation } from './statement-basics';
import { CALL_OUTCOMES, ORG_TYPES, RELATIONS } from './values';

/** Whether the volunteer called out or took a call. */
export const CallDirection = z.enum(['outbound', 'inbound']);
export type CallDirection = z.infer<typeof CallDirection>;

/** How a call ended, as the volunteer records it. */
export const CallOutcome = z.enum(CALL_OUTCOMES);
export type CallOutcome = z.infer<typeof CallOutcome>;

/** What kind of place answered the phone. */
export const OrgType = z.enum(ORG_TYPES);
export type OrgType = z.infer<typeof OrgType>;

/** How the person registered relates to the person on the phone. */
export const Relation = z.enum(RELATIONS);
export type Relation = z.infer<typeof Relation>;

/** A client-made id (uuid or similar): retries of the same save carry the same one. */
export const ClientId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'expected 8 to 64 letters, digits, dashes or underscores');

/** One statement registered during a call (a person, or a group under one declarant). */
export const CallRegistrationInput = z.object({
  clientId: ClientId,
  nameKind: NameKind,
  name: z.string().trim().min(1).max(100),
  cohorts: z.array(Cohort).min(1).max(10),
  /** Whether the person agreed personally or was named by the person on the phone. */
  consent: z.enum(['personal', 'named_by_other']),
  relation: Relation.default('self'),
});
export type CallRegistrationInput = z.infer<typeof CallRegistrationInput>;

/** What was handed out in the call. */
export const HandedOut = z.object({
  hotlineNumberGiven: z.boolean().default(false),
  /** The circumvention tool explained, if any. */
  circumventionTool: z.string().trim().max(60).default(''),
  materialsRequested: z.boolean().default(false),
});
export type HandedOut = z.infer<typeof HandedOut>;

/** Someone willing to help: who, how to reach them, what they offered. Stored encrypted. */
export const FollowupInput = z.object({
  clientId: ClientId,
  name: z.string().trim().max(100).default(''),
  howToReach: z.string().trim().min(1).max(200),
  offered: z.string().trim().max(500).default(''),
});
export type FollowupInput = z.infer<typeof FollowupInput>;

/** POST /api/calls: the whole call, saved once (or edited again within 24 hours by the same client id). */
export const SaveCallInput = z.object({
  clientId: ClientId,
  direction: CallDirection,
  /** The number as typed; stored encrypted, shown back only masked. */
  phone: z.string().trim().max(40).default(''),
  orgType: OrgType.optional(),
  occupation: Occupation.optional(),
  listeners: z.number().int().min(0).max(1000).optional(),
  outcome: CallOutcome,
  notes: z.string().max(20_000).default(''),
  /** What the volunteer marks as quotable in a report written from the call (stored encrypted). */
  quotable: z.string().max(4_000).default(''),
  handedOut: HandedOut.default({ hotlineNumberGiven: false, circumventionTool: '', materialsRequested: false }),
  /** The talking-points script shown during the call (its key) and the version shown. */
  scriptId: z.string().max(64).optional(),
  scriptVersion: z.number().int().min(0).optional(),
  /** The campaign task (or callback request) this call was an attempt on: its outcome is the attempt's. */
  taskId: z.string().min(1).max(200).optional(),
  /**
   * The browser's times, used only when the server kept no record of the call (it was started
   * offline): otherwise the server's clock or the telephony events give start, answer and end.
   */
  startedAt: z.number().int().min(0),
  answeredAt: z.number().int().min(0).optional(),
  endedAt: z.number().int().min(0).optional(),
  registrations: z.array(CallRegistrationInput).max(50).default([]),
  followups: z.array(FollowupInput).max(10).default([]),
});
export type SaveCallInput = z.infer<typeof SaveCallInput>;

/** Starting a call record on the server (POST /api/calls/live). */
export const BeginLiveCallInput = z.object({
  clientId: ClientId,
  direction: CallDirection,
  taskId: z.string().min(1).max(200).optional(),
  /** The softphone's call: "sip:<Call-ID>" or "twilio:<CallSid>"; its events give the times. */
  telephonyCallId: z.string().regex(/^(sip|twilio):[!-~]{1,200}$/).optional(),
});
export type BeginLiveCallInput = z.infer<typeof BeginLiveCallInput>;

/** Filters of the coordinators' call log. */
export const CallListQuery = z.object({
  ownerId: z.string().max(64).optional(),
  outcome: CallOutcome.optional(),
  direction: CallDirection.optional(),
  campaignId: z.string().max(64).optional(),
  from: z.coerce.number().int().min(0).optional(),
  to: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type CallListQuery = z.infer<typeof CallListQuery>;

/** PUT /api/call-scripts/:key: a new version of a talking-points script. */
export const SaveScriptInput = z.object({
  titleZh: z.string().trim().min(1).max(120),
  titleEn: z.string().trim().min(1).max(120),
  bodyZh: z.string().trim().min(1).max(10_000),
  bodyEn: z.string().trim().min(1).max(10_000),
});
export type SaveScriptInput = z.infer<typeof SaveScriptInput>;

/** A script key: lower-case words joined by dashes. */
export const ScriptKey = z.string().regex(/^[a-z0-9-]{1,40}$/);

/**
 * PATCH /api/calls/:id: what can be corrected after the call, within the edit window. Absent
 * fields stay as they are; null clears. `registrations` adds people forgotten during the call (new
 * client ids only: registrations already made are corrected through moderation).
 */
export const EditCallInput = z.object({
  outcome: CallOutcome.optional(),
  notes: z.string().max(20_000).optional(),
  quotable: z.string().max(4_000).optional(),
  orgType: OrgType.nullable().optional(),
  occupation: Occupation.nullable().optional(),
  listeners: z.number().int().min(0).max(1000).nullable().optional(),
  handedOut: HandedOut.optional(),
  registrations: z.array(CallRegistrationInput).max(50).default([]),
  /** Corrected times of the call (a volunteer who forgot the timer); audited. */
  startedAt: z.number().int().min(0).optional(),
  answeredAt: z.number().int().min(0).nullable().optional(),
  endedAt: z.number().int().min(0).optional(),
});
export type EditCallInput = z.infer<typeof EditCallInput>;
