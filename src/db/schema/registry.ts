/** Tables of the registry area. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface RegistryTables {}

/** Encrypted columns of the registry area (key rotation walks them). */
export const registryEncryptedColumns: { table: string; idColumn: string; column: string; context: string }[] = [];
