import { callsEncryptedColumns } from './schema/calls';
import { operationsEncryptedColumns } from './schema/operations';
import { registryEncryptedColumns } from './schema/registry';
import { reportsEncryptedColumns } from './schema/reports';
import { telephonyEncryptedColumns } from './schema/telephony';

/**
 * Every column that holds AES-GCM ciphertext, with the context it was encrypted under. Key rotation,
 * `doctor` and the plaintext-grep tests walk this list, so a new encrypted column is added here (a
 * test fails when a migration adds an `*_enc` column that is missing).
 */
export interface EncryptedColumn {
  table: string;
  /** The column that identifies a row, or the columns of a composite key. */
  idColumn: string | readonly string[];
  column: string;
  context: string;
}

/** Encrypted columns of the foundation (staff accounts). */
const foundationEncryptedColumns: EncryptedColumn[] = [
  { table: 'users', idColumn: 'id', column: 'real_name_enc', context: 'users.real_name' },
  { table: 'users', idColumn: 'id', column: 'phone_enc', context: 'users.phone' },
  { table: 'users', idColumn: 'id', column: 'totp_secret_enc', context: 'users.totp_secret' },
];

/** The whole list; each area declares its own in `schema/<area>.ts`. */
export const encryptedColumns: readonly EncryptedColumn[] = [
  ...foundationEncryptedColumns,
  ...registryEncryptedColumns,
  ...callsEncryptedColumns,
  ...operationsEncryptedColumns,
  ...telephonyEncryptedColumns,
  ...reportsEncryptedColumns,
];
