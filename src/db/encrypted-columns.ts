/**
 * Every column that holds AES-GCM ciphertext, with the context it was encrypted under. Key rotation,
 * `doctor` and the plaintext-grep tests walk this list, so a new encrypted column is added here.
 */
export interface EncryptedColumn {
  table: string;
  idColumn: string;
  column: string;
  context: string;
}

/** The registry; later modules push their columns with `registerEncryptedColumn`. */
export const encryptedColumns: EncryptedColumn[] = [
  { table: 'users', idColumn: 'id', column: 'real_name_enc', context: 'users.real_name' },
  { table: 'users', idColumn: 'id', column: 'phone_enc', context: 'users.phone' },
  { table: 'users', idColumn: 'id', column: 'totp_secret_enc', context: 'users.totp_secret' },
];

/** Adds a column to the registry (idempotent). */
export function registerEncryptedColumn(column: EncryptedColumn): void {
  if (!encryptedColumns.some((c) => c.table === column.table && c.column === column.column)) encryptedColumns.push(column);
}
