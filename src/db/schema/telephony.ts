/** Tables of the telephony area. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface TelephonyTables {}

/** Encrypted columns of the telephony area (key rotation walks them). */
export const telephonyEncryptedColumns: { table: string; idColumn: string; column: string; context: string }[] = [];
