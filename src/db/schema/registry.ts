import type { Bytes, Millis } from './foundation';

/**
 * One registered statement. The real name is encrypted; its blind index finds possible duplicates
 * without decrypting. Counts are denormalized from the cohorts so counters and rebuilds need no JSON.
 */
export interface StatementsTable {
  id: string;
  /** Client-generated id of the registering request, for idempotent retries. */
  client_id: string | null;
  status: string;
  name_kind: string;
  /** The pseudonym, or the masked real name: what the public sees. */
  public_name: string;
  real_name_enc: Bytes | null;
  /** Keyed blind index (hex) of the normalized real name. */
  real_name_index: string | null;
  /** GB/T 2260 code at any level, or 'abroad' / 'unknown'. */
  region_code: string;
  /** The province of `region_code`, or 'abroad' / 'unknown'. */
  province_code: string;
  occupation: string | null;
  channel: string;
  text: string;
  /** JSON array of cohorts ({count, organizations}). */
  cohorts: string;
  people: number;
  party: number;
  league: number;
  pioneers: number;
  provenance: string;
  registered_by: string | null;
  call_id: string | null;
  consent: string | null;
  relation: string | null;
  /** Comma-separated threat categories when held; never the matched text. */
  hold_reason: string | null;
  rejection_reason: string | null;
  duplicate_of: string | null;
  /** Public number, assigned at publication. */
  sequence: number | null;
  published_at: Millis | null;
  /** Day of publication in China Standard Time (YYYY-MM-DD): the counters' day. */
  published_day: string | null;
  moderated_by: string | null;
  moderated_at: Millis | null;
  created_at: Millis;
  updated_at: Millis;
  /** When a published statement was last corrected (counts, region or name), and by whom. */
  corrected_at: Millis | null;
  corrected_by: string | null;
}

/**
 * Counter rollups: one row per (dimension, key). Dimensions: 'total' (key ''), 'day' (YYYY-MM-DD,
 * CST), 'province' (code, 'abroad', 'unknown'), 'channel', 'day_place' (`day|province|channel`, for
 * the dashboard's periods). Writers hold the registry lock (see
 * `lockRegistry`), so each row is a plain atomic upsert and the public sequence has no gaps.
 */
export interface CountersTable {
  dimension: string;
  key: string;
  people: number;
  party: number;
  league: number;
  pioneers: number;
}

/** Receipt codes, stored only as a keyed hash. */
export interface ReceiptsTable {
  code_hash: string;
  statement_id: string;
  created_at: Millis;
}

/** A statement erased at the person's request (its personal fields are gone from `statements`). */
export interface StatementErasuresTable {
  statement_id: string;
  erased_at: Millis;
  /** The admin who erased it; null when done with `hotline erase` on the server. */
  erased_by: string | null;
  /** 1: still counted (published under its number, no name or text); 0: withdrawn from the counts. */
  counted: number;
}

/** Tables of the registry area. */
export interface RegistryTables {
  statements: StatementsTable;
  statement_erasures: StatementErasuresTable;
  counters: CountersTable;
  receipts: ReceiptsTable;
}

/** Encrypted columns of the registry area (key rotation walks them). */
export const registryEncryptedColumns: { table: string; idColumn: string; column: string; context: string }[] = [
  { table: 'statements', idColumn: 'id', column: 'real_name_enc', context: 'statements.real_name' },
];
