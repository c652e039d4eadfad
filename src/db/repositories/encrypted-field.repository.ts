import { sql } from 'kysely';
import type { EncryptedColumn } from '../encrypted-columns';
import type { Executor } from '../store';

/** One stored ciphertext and the id of its row. */
export interface StoredCiphertext {
  id: string | number;
  value: Buffer;
}

/** Generic access to encrypted columns, for key rotation only. */
export class EncryptedFieldRepository {
  constructor(private readonly db: Executor) {}

  /** Non-null ciphertexts of a column after `afterId`, in id order. */
  async page(column: EncryptedColumn, afterId: string | number | null, limit: number): Promise<StoredCiphertext[]> {
    const where = afterId === null ? sql`${sql.ref(column.column)} is not null` : sql`${sql.ref(column.column)} is not null and ${sql.ref(column.idColumn)} > ${afterId}`;
    const result = await sql<{ id: string | number; value: Buffer }>`select ${sql.ref(column.idColumn)} as id, ${sql.ref(column.column)} as value from ${sql.table(column.table)} where ${where} order by ${sql.ref(column.idColumn)} limit ${limit}`.execute(this.db);
    return result.rows.map((row) => ({ id: row.id, value: Buffer.from(row.value) }));
  }

  /** How many non-null values a column holds. */
  async count(column: EncryptedColumn): Promise<number> {
    const result = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(column.table)} where ${sql.ref(column.column)} is not null`.execute(this.db);
    return Number(result.rows[0]?.n ?? 0);
  }

  /** Replaces a ciphertext only if it is still the one read, so a concurrent edit is never overwritten. */
  async replace(column: EncryptedColumn, id: string | number, previous: Buffer, next: Buffer): Promise<boolean> {
    const result = await sql`update ${sql.table(column.table)} set ${sql.ref(column.column)} = ${next} where ${sql.ref(column.idColumn)} = ${id} and ${sql.ref(column.column)} = ${previous}`.execute(this.db);
    return Number(result.numAffectedRows ?? 0) === 1;
  }
}
