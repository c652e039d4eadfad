import type { Bytes, Millis } from './foundation';

/**
 * One call a volunteer made or took. The number, the free-text notes and nothing else personal are
 * encrypted; the structured outcome (who answered, region, outcome, counts) stays for statistics
 * after the notes are shredded.
 */
export interface CallsTable {
  id: string;
  /** The browser's id for the call: a retried save finds the same row. */
  client_id: string;
  owner_id: string;
  direction: string;
  provider: string;
  phone_enc: Bytes | null;
  phone_blind: Bytes | null;
  region_code: string | null;
  org_type: string | null;
  occupation: string | null;
  listeners: number | null;
  outcome: string;
  notes_enc: Bytes | null;
  /** The part of the notes the volunteer marked as quotable in a report; shredded with the notes. */
  quotable_enc: Bytes | null;
  /** JSON: { hotlineNumberGiven, circumventionTool, materialsRequested }. No personal data. */
  handed_out: string;
  /** The talking-points script (its key) and the version shown during the call. */
  script_id: string | null;
  script_version: number | null;
  /** The campaign task (and its campaign) this call was an attempt on; null for other calls. */
  task_id: string | null;
  campaign_id: string | null;
  /** Where started/answered/ended came from: 'server', 'telephony', 'browser' or 'corrected'; null before 0008. */
  times_source: string | null;
  people_registered: number;
  started_at: Millis;
  answered_at: Millis | null;
  ended_at: Millis | null;
  shredded_at: Millis | null;
  created_at: Millis;
  updated_at: Millis;
}

/** A statement registered during a call: which one, by the registration's client id. */
export interface CallRegistrationsTable {
  call_id: string;
  client_id: string;
  statement_id: string;
  people: number;
  created_at: Millis;
}

/** Someone in China who offered to help; the details are one encrypted JSON value. */
export interface CallFollowupsTable {
  id: string;
  call_id: string;
  client_id: string;
  owner_id: string;
  details_enc: Bytes | null;
  created_at: Millis;
  shredded_at: Millis | null;
  /** When to contact them (null: as soon as possible). */
  due_at: Millis | null;
  /** When someone contacted them and closed the item, and who. */
  done_at: Millis | null;
  done_by: string | null;
}

/** Talking points; each edit is a new version row of the same key. */
export interface CallScriptsTable {
  id: string;
  key: string;
  version: number;
  title_zh: string;
  title_en: string;
  body_zh: string;
  body_en: string;
  created_by: string | null;
  created_at: Millis;
}

/**
 * A receipt code not yet confirmed as read out, encrypted, so that a retried save (its first answer
 * lost) can show it again to the volunteer who registered it. Deleted when the volunteer confirms
 * the codes were read out, and at the latest a day after the save; the registry keeps only a hash.
 */
export interface CallReceiptCodesTable {
  registration_client_id: string;
  call_id: string;
  owner_id: string;
  code_enc: Bytes;
  expires_at: Millis;
}

/**
 * A call in progress, kept from its first moment so that its times are the server's (or the
 * telephony events'): deleted when the call is saved. No personal data.
 */
export interface LiveCallsTable {
  client_id: string;
  owner_id: string;
  direction: string;
  /** The inbound queue's id of an accepted call, or of the volunteer's own call. */
  queue_call_id: string | null;
  /** The provider's call id, when the softphone carries the call: its events give the times. */
  telephony_call_id: string | null;
  task_id: string | null;
  /** Where the caller rings from (GB/T 2260), from a queued caller's number, which is not kept. */
  region_code: string | null;
  started_at: Millis;
  answered_at: Millis | null;
  ended_at: Millis | null;
}

/** Tables of the calls area. */
export interface CallsTables {
  live_calls: LiveCallsTable;
  calls: CallsTable;
  call_registrations: CallRegistrationsTable;
  call_followups: CallFollowupsTable;
  call_scripts: CallScriptsTable;
  call_receipt_codes: CallReceiptCodesTable;
}

/** Encrypted columns of the calls area (key rotation walks them). */
export const callsEncryptedColumns: { table: string; idColumn: string; column: string; context: string }[] = [
  { table: 'calls', idColumn: 'id', column: 'phone_enc', context: 'calls.phone' },
  { table: 'calls', idColumn: 'id', column: 'notes_enc', context: 'calls.notes' },
  { table: 'calls', idColumn: 'id', column: 'quotable_enc', context: 'calls.quotable' },
  { table: 'call_followups', idColumn: 'id', column: 'details_enc', context: 'calls.followup' },
  { table: 'call_receipt_codes', idColumn: 'registration_client_id', column: 'code_enc', context: 'calls.receipt' },
];
