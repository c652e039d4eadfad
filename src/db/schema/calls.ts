/** Tables of the calls area. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface CallsTables {}

/** Encrypted columns of the calls area (key rotation walks them). */
export const callsEncryptedColumns: { table: string; idColumn: string; column: string; context: string }[] = [];
