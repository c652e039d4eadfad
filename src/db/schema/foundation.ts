/** Milliseconds since the epoch; stored as INTEGER (SQLite) or BIGINT (PostgreSQL). */
export type Millis = number;
/** Bytes: BLOB (SQLite) or BYTEA (PostgreSQL). Encrypted fields and blind indexes. */
export type Bytes = Buffer;

/** Settings Hotline keeps about itself (keyring id, audit chain head). */
export interface MetaTable {
  key: string;
  value: string;
}

/** Staff accounts. Real name and phone are encrypted; the TOTP secret too. */
export interface UsersTable {
  id: string;
  username: string;
  display_name: string;
  role: string;
  password_hash: string;
  real_name_enc: Bytes | null;
  phone_enc: Bytes | null;
  totp_secret_enc: Bytes | null;
  totp_enrolled_at: Millis | null;
  totp_last_step: number | null;
  status: string;
  failed_login_count: number;
  locked_until: Millis | null;
  created_at: Millis;
  updated_at: Millis;
}

/** One-time invitation links; only the token's hash is stored. */
export interface InvitationsTable {
  id: string;
  token_hash: string;
  role: string;
  created_by: string | null;
  created_at: Millis;
  expires_at: Millis;
  used_at: Millis | null;
  used_by: string | null;
}

/** Sessions; only the token's hash is stored. `stage` is 'mfa' until the second factor is given. */
export interface SessionsTable {
  id: string;
  token_hash: string;
  user_id: string;
  stage: string;
  created_at: Millis;
  last_seen_at: Millis;
  expires_at: Millis;
  revoked_at: Millis | null;
}

/** Second-factor recovery codes, hashed; each works once. */
export interface RecoveryCodesTable {
  id: string;
  user_id: string;
  code_hash: string;
  used_at: Millis | null;
}

/**
 * Failed sign-in attempts per account and client (the client's daily keyed hash, never its
 * address): a growing pause for that client on that account, never a lock of the account itself.
 */
export interface SignInThrottlesTable {
  user_id: string;
  client_key: string;
  failures: number;
  locked_until: Millis | null;
  updated_at: Millis;
}

/** Append-only, MAC-chained record of every write that matters. Never holds decrypted values. */
export interface AuditLogTable {
  seq: number;
  at: Millis;
  actor_id: string | null;
  action: string;
  entity_type: string | null;
  entity_id: string | null;
  details: string;
  prev_mac: string;
  mac: string;
}

/** Tables of the foundation: accounts, sessions, audit, settings. */
export interface FoundationTables {
  meta: MetaTable;
  users: UsersTable;
  invitations: InvitationsTable;
  sessions: SessionsTable;
  recovery_codes: RecoveryCodesTable;
  sign_in_throttles: SignInThrottlesTable;
  audit_log: AuditLogTable;
}
