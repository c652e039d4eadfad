import { sql } from 'kysely';
import type { EncryptedColumn } from '../encrypted-columns';
import type { Executor } from '../store';

/** A row's key: the value of its id column, or of each column of a composite key, in order. */
export type RowKey = readonly (string | number)[];

/** One stored ciphertext and the key of its row. */
export interface StoredCiphertext {
  key: RowKey;
  value: Buffer;
}

/** The columns that identify a row of the table holding `column`. */
export function keyColumnsOf(column: Pick<EncryptedColumn, 'idColumn'>): readonly string[] {
  return typeof column.idColumn === 'string' ? [column.idColumn] : column.idColumn;
}

/** Generic access to encrypted columns, for key rotation (and the checks that every value decrypts). */
export class EncryptedFieldRepository {
  constructor(private readonly db: Executor) {}

  /** Non-null ciphertexts of a column after the row `after`, in key order. */
  async page(column: EncryptedColumn, after: RowKey | null, limit: number): Promise<StoredCiphertext[]> {
    const keys = keyColumnsOf(column);
    const keyList = sql.join(keys.map((name) => sql.ref(name)));
    const selected = sql.join(keys.map((name, i) => sql`${sql.ref(name)} as ${sql.ref(`k${i}`)}`));
    // A row-value comparison pages through composite keys too (SQLite 3.15+, PostgreSQL).
    const where =
      after === null
        ? sql`${sql.ref(column.column)} is not null`
        : sql`${sql.ref(column.column)} is not null and (${keyList}) > (${sql.join(after.map((value) => sql`${value}`))})`;
    const result = await sql<Record<string, string | number | Buffer>>`select ${selected}, ${sql.ref(column.column)} as value from ${sql.table(column.table)} where ${where} order by ${keyList} limit ${limit}`.execute(this.db);
    return result.rows.map((row) => ({ key: keys.map((_name, i) => row[`k${i}`] as string | number), value: Buffer.from(row.value as Buffer) }));
  }

  /** How many non-null values a column holds. */
  async count(column: EncryptedColumn): Promise<number> {
    const result = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(column.table)} where ${sql.ref(column.column)} is not null`.execute(this.db);
    return Number(result.rows[0]?.n ?? 0);
  }

  /** Replaces a ciphertext only if it is still the one read, so a concurrent edit is never overwritten. */
  async replace(column: EncryptedColumn, key: RowKey, previous: Buffer, next: Buffer): Promise<boolean> {
    const matchesKey = sql.join(
      keyColumnsOf(column).map((name, i) => sql`${sql.ref(name)} = ${key[i]}`),
      sql` and `,
    );
    const result = await sql`update ${sql.table(column.table)} set ${sql.ref(column.column)} = ${next} where ${matchesKey} and ${sql.ref(column.column)} = ${previous}`.execute(this.db);
    return Number(result.numAffectedRows ?? 0) === 1;
  }
}
