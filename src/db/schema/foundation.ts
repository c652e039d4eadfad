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
  /** The WebAuthn challenge this session was last given (base64url), until answered. */
  challenge: string | null;
}

/** A passkey (WebAuthn credential) of a staff account: its public key only. */
export interface PasskeysTable {
  /** The credential id, base64url. */
  id: string;
  user_id: string;
  /** What the owner called it ("YubiKey", "phone"). */
  name: string;
  public_key: Bytes;
  /** The authenticator's signature counter, to notice a cloned key. */
  counter: number;
  /** JSON array of WebAuthn transports ("usb", "internal", ...). */
  transports: string;
  /** 1 when the passkey is synced to a cloud account (a multi-device credential). */
  backed_up: number;
  created_at: Millis;
  last_used_at: Millis | null;
}

/**
 * Devices an account signed in from, known by the hash of a long-lived device cookie. A sign-in
 * from a device not seen before is audited and shown to the owner until they acknowledge it.
 */
export interface UserDevicesTable {
  user_id: string;
  device_hash: string;
  /** Browser and system, from the user agent ("Chrome on Windows"). */
  label: string;
  first_seen_at: Millis;
  last_seen_at: Millis;
  acknowledged_at: Millis | null;
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
  passkeys: PasskeysTable;
  user_devices: UserDevicesTable;
  audit_log: AuditLogTable;
}
