import type { Bytes, Millis } from './foundation';

/** A call list: a named, committed import of numbers. */
export interface CallListsTable {
  id: string;
  name: string;
  created_by: string | null;
  created_at: Millis;
  entry_count: number;
}

/**
 * One number of a call list. The number is encrypted; `phone_bidx` (keyed blind index of its E.164
 * form) is unique across all lists, so a number is stored once and duplicates are found without
 * decrypting. The organization name is encrypted too: for a home number it may name a family.
 */
export interface CallListEntriesTable {
  id: string;
  list_id: string;
  phone_enc: Bytes;
  phone_bidx: Bytes;
  organization_enc: Bytes;
  category: string;
  region_code: string | null;
  created_at: Millis;
}

/**
 * An import in progress ('staging'), or finished ('committed', 'preview'): rows are staged in
 * batches before one atomic commit; afterwards only the refused rows (line and reason, never a
 * number) are kept, for the full report, until they are swept.
 */
export interface CallListImportsTable {
  id: string;
  name: string;
  status: string;
  created_by: string | null;
  created_at: Millis;
}

/** A staged row of an import: valid rows carry their encrypted values, refused rows their problem. */
export interface CallListImportRowsTable {
  import_id: string;
  row_no: number;
  /** The line of the file the row starts on (a quoted field may span lines). */
  line_no: number | null;
  problem: string | null;
  /** For a duplicate: the earlier row of the same file, or the list that already holds the number. */
  problem_ref: string | null;
  phone_enc: Bytes | null;
  phone_bidx: Bytes | null;
  organization_enc: Bytes | null;
  category: string | null;
  region_code: string | null;
}

/** The organization-wide do-not-call list, by blind index; the number itself is encrypted. */
export interface DoNotCallTable {
  id: string;
  phone_bidx: Bytes;
  phone_enc: Bytes;
  reason: string | null;
  added_by: string | null;
  added_at: Millis;
}

/** A calling campaign over one or more lists. Window in minutes of the day, China time (UTC+8). */
export interface CampaignsTable {
  id: string;
  name: string;
  script_id: string | null;
  window_start_minute: number;
  window_end_minute: number;
  max_attempts: number;
  retry_spacing_minutes: number;
  priority: number;
  status: string;
  created_by: string | null;
  created_at: Millis;
}

/** Which lists a campaign calls. */
export interface CampaignListsTable {
  campaign_id: string;
  list_id: string;
}

/**
 * A number to call: a campaign's copy of a list entry, or a callback request left in the inbound
 * queue (`campaign_id` null, `kind` 'callback'). Claimed by one volunteer at a time.
 */
export interface CallTasksTable {
  id: string;
  kind: string;
  campaign_id: string | null;
  entry_id: string | null;
  /** Only for callbacks; a campaign task reads the number from its list entry. */
  phone_enc: Bytes | null;
  phone_bidx: Bytes;
  priority: number;
  status: string;
  attempts: number;
  max_attempts: number;
  retry_spacing_minutes: number;
  next_attempt_at: Millis;
  claimed_by: string | null;
  claim_token: string | null;
  claim_expires_at: Millis | null;
  last_outcome: string | null;
  created_at: Millis;
  updated_at: Millis;
}

/** One attempt at a task, for progress and outcomes per day (China date). */
export interface CallTaskAttemptsTable {
  id: string;
  task_id: string;
  campaign_id: string | null;
  volunteer_id: string;
  outcome: string;
  call_id: string | null;
  day_china: string;
  at: Millis;
}

/**
 * A recurring weekly shift slot in its volunteer's own time zone: `start_minute_local` is the minute
 * of the week there (Monday 00:00 = 0), so a Toronto slot stays at 20:00 Toronto time across
 * daylight-saving changes; each week's occurrence is computed from the zone's rules.
 * `start_minute_utc` is the UTC minute of the week as of sign-up, kept for older readers.
 */
export interface ShiftSlotsTable {
  id: string;
  user_id: string;
  start_minute_utc: number;
  start_minute_local: number | null;
  duration_minutes: number;
  time_zone: string;
  assigned_by: string | null;
  created_at: Millis;
}

/** Minimum volunteers wanted per UTC hour of the week (0..167); absent hours use the default. */
export interface ShiftMinimumsTable {
  hour_of_week_utc: number;
  minimum: number;
}

/** Who is on duty and how, persisted so that a restart does not lose it. */
export interface PresenceTable {
  user_id: string;
  presence: string;
  since: Millis;
  until: Millis | null;
  role: string;
  languages: string;
  updated_at: Millis;
}

/** Tables of the operations area. */
export interface OperationsTables {
  call_lists: CallListsTable;
  call_list_entries: CallListEntriesTable;
  call_list_imports: CallListImportsTable;
  call_list_import_rows: CallListImportRowsTable;
  do_not_call: DoNotCallTable;
  campaigns: CampaignsTable;
  campaign_lists: CampaignListsTable;
  call_tasks: CallTasksTable;
  call_task_attempts: CallTaskAttemptsTable;
  shift_slots: ShiftSlotsTable;
  shift_minimums: ShiftMinimumsTable;
  presence: PresenceTable;
}

/** Encryption contexts of the operations area. */
export const OPERATIONS_FIELDS = {
  entryPhone: 'call_list_entries.phone',
  entryOrganization: 'call_list_entries.organization',
  doNotCallPhone: 'do_not_call.phone',
  taskPhone: 'call_tasks.phone',
} as const;

/**
 * Encrypted columns of the operations area (key rotation walks them). Staged import rows are
 * short-lived, but an import running during a rotation (or one that crashed) leaves them under the
 * old key, and they move into call_list_entries as they are.
 */
export const operationsEncryptedColumns: { table: string; idColumn: string | string[]; column: string; context: string }[] = [
  { table: 'call_list_entries', idColumn: 'id', column: 'phone_enc', context: OPERATIONS_FIELDS.entryPhone },
  { table: 'call_list_entries', idColumn: 'id', column: 'organization_enc', context: OPERATIONS_FIELDS.entryOrganization },
  { table: 'do_not_call', idColumn: 'id', column: 'phone_enc', context: OPERATIONS_FIELDS.doNotCallPhone },
  { table: 'call_tasks', idColumn: 'id', column: 'phone_enc', context: OPERATIONS_FIELDS.taskPhone },
  { table: 'call_list_import_rows', idColumn: ['import_id', 'row_no'], column: 'phone_enc', context: OPERATIONS_FIELDS.entryPhone },
  { table: 'call_list_import_rows', idColumn: ['import_id', 'row_no'], column: 'organization_enc', context: OPERATIONS_FIELDS.entryOrganization },
];
