import type { StatementsTable } from './registry';

/**
 * Every column of `statements`, in the order the repository's `insertMany` binds them. A module of
 * its own so that the import's preparing thread can use it without loading Kysely (a third of a
 * second of its start-up).
 */
export const STATEMENT_COLUMNS = [
  'id', 'client_id', 'status', 'name_kind', 'public_name', 'real_name_enc', 'real_name_index', 'region_code', 'province_code', 'occupation',
  'channel', 'text', 'cohorts', 'people', 'party', 'league', 'pioneers', 'provenance', 'registered_by', 'call_id', 'consent', 'relation',
  'hold_reason', 'rejection_reason', 'duplicate_of', 'sequence', 'published_at', 'published_day', 'moderated_by', 'moderated_at', 'created_at', 'updated_at',
  'corrected_at', 'corrected_by',
] as const satisfies readonly (keyof StatementsTable)[];

// A column added to the table but not to the list above would be silently stored as null: refuse to compile.
type UnlistedColumn = Exclude<keyof StatementsTable, (typeof STATEMENT_COLUMNS)[number]>;
export const everyStatementColumnIsListed: [UnlistedColumn] extends [never] ? true : UnlistedColumn = true;

