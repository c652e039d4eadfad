import { type Kysely, sql } from 'kysely';
import type { DialectName } from '../database';
import type { Executor } from '../store';

/** A row as a backup carries it: column name to value (text, number, bytes or null). */
export type BackupRow = Record<string, string | number | Uint8Array | null>;

/** Kysely's own bookkeeping: the target database's migrator writes these itself. */
const MIGRATOR_TABLES = new Set(['kysely_migration', 'kysely_migration_lock']);

/** Rows per multi-row INSERT, kept under both databases' parameter limits whatever the width. */
const MAX_PARAMETERS = 30_000;

/**
 * Reads every table page by page for a backup, and writes them back into an empty database for a
 * restore. Table names come from the database itself, so tables added by later migrations are
 * included without a list to forget.
 */
export class BackupRepository {
  constructor(
    private readonly db: Executor,
    private readonly dialect: DialectName,
  ) {}

  private get any(): Kysely<Record<string, BackupRow>> {
    return this.db as unknown as Kysely<Record<string, BackupRow>>;
  }

  /** Hotline's tables, parents before the tables whose foreign keys point at them. */
  async tables(): Promise<string[]> {
    const names = (await this.db.introspection.getTables()).map((table) => table.name).filter((name) => !MIGRATOR_TABLES.has(name));
    const parents = new Map<string, Set<string>>(names.map((name) => [name, new Set<string>()]));
    for (const { child, parent } of await this.foreignKeys(names)) {
      if (child !== parent && parents.has(parent)) parents.get(child)?.add(parent);
    }
    const ordered: string[] = [];
    const placed = new Set<string>();
    const place = (name: string, path: Set<string>) => {
      if (placed.has(name) || path.has(name)) return;
      path.add(name);
      for (const parent of [...(parents.get(name) ?? [])].sort()) place(parent, path);
      placed.add(name);
      ordered.push(name);
    };
    for (const name of [...names].sort()) place(name, new Set());
    return ordered;
  }

  private async foreignKeys(tables: string[]): Promise<{ child: string; parent: string }[]> {
    if (this.dialect === 'postgres') {
      const result = await sql<{ child: string; parent: string }>`
        select distinct tc.table_name as child, ccu.table_name as parent
        from information_schema.table_constraints tc
        join information_schema.constraint_column_usage ccu on ccu.constraint_name = tc.constraint_name and ccu.table_schema = tc.table_schema
        where tc.constraint_type = 'FOREIGN KEY' and tc.table_schema = current_schema()`.execute(this.db);
      return result.rows;
    }
    const links: { child: string; parent: string }[] = [];
    for (const child of tables) {
      const result = await sql<{ table: string }>`select "table" from pragma_foreign_key_list(${child})`.execute(this.db);
      for (const row of result.rows) links.push({ child, parent: row.table });
    }
    return links;
  }

  /**
   * Every row of `table`, `pageSize` at a time, in storage order (SQLite's rowid, PostgreSQL's
   * ctid). Call it inside one read transaction so that all tables come from the same moment.
   */
  async *rows(table: string, pageSize = 1_000): AsyncGenerator<BackupRow[]> {
    let after: string | number | undefined;
    for (;;) {
      const position = this.dialect === 'postgres' ? sql<string>`ctid` : sql<number>`rowid`;
      let query = this.any
        .selectFrom(table)
        .selectAll()
        .select(sql<string | number>`${position}`.as('__position'))
        .orderBy(position)
        .limit(pageSize);
      if (after !== undefined) query = query.where(position, '>', this.dialect === 'postgres' ? sql<string>`${after}::tid` : after);
      const page = (await query.execute()) as (BackupRow & { __position: string | number })[];
      if (page.length === 0) return;
      after = page.at(-1)?.__position;
      yield page.map(({ __position: _position, ...row }) => row);
      if (page.length < pageSize) return;
    }
  }

  /** Inserts rows into `table` as they are (ids, timestamps and all), in multi-row statements. */
  async insert(table: string, rows: BackupRow[]): Promise<void> {
    if (rows.length === 0) return;
    const width = Math.max(1, Object.keys(rows[0] ?? {}).length);
    const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / width));
    for (let at = 0; at < rows.length; at += perStatement) {
      await this.any.insertInto(table).values(rows.slice(at, at + perStatement)).execute();
    }
  }

  /** All rows of a small table. */
  async rowsOf(table: string): Promise<BackupRow[]> {
    return this.any.selectFrom(table).selectAll().execute();
  }

  /** Empties a table (a restore replaces the settings a fresh migration wrote). */
  async deleteAll(table: string): Promise<void> {
    await this.any.deleteFrom(table).execute();
  }

  /** How many rows `table` holds. */
  async count(table: string): Promise<number> {
    const row = await this.any
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
