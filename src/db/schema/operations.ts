/** Tables of the operations area. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface OperationsTables {}

/** Encrypted columns of the operations area (key rotation walks them). */
export const operationsEncryptedColumns: { table: string; idColumn: string; column: string; context: string }[] = [];
