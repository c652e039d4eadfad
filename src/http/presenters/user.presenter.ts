import type { Keyring } from '../../crypto/keyring';
import type { UserRow } from '../../db/repositories/user.repository';
import { USER_FIELDS } from '../../domain/auth/accept-invitation';

/** A staff account as the API shows it. */
export interface PresentedUser {
  id: string;
  username: string;
  displayName: string;
  role: string;
  status: string;
  hasSecondFactor: boolean;
  /** How many passkeys the account has. */
  passkeys: number;
  createdAt: number;
  /** Only for callers allowed to see staff contact details. */
  realName?: string | null;
  phone?: string | null;
}

/**
 * The only place a staff row becomes API output. Contact details are decrypted only when the caller
 * was granted `user.read-contact`.
 */
export function presentUser(row: UserRow, options: { keyring: Keyring; canReadContact: boolean; passkeys: number }): PresentedUser {
  const base: PresentedUser = {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    status: row.status,
    hasSecondFactor: row.totp_enrolled_at !== null || options.passkeys > 0,
    passkeys: options.passkeys,
    createdAt: row.created_at,
  };
  if (!options.canReadContact) return base;
  return {
    ...base,
    realName: row.real_name_enc ? options.keyring.decrypt(row.real_name_enc, USER_FIELDS.realName) : null,
    phone: row.phone_enc ? options.keyring.decrypt(row.phone_enc, USER_FIELDS.phone) : null,
  };
}
