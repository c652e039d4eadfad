import { type Insertable, PostgresAdapter, type Selectable, sql } from 'kysely';
import type { CallListEntriesTable, CallListImportRowsTable, CallListImportsTable, CallListsTable, DoNotCallTable } from '../../schema';
import type { Executor } from '../../store';

/** A stored call list. */
export type CallListRow = Selectable<CallListsTable>;
/** A stored list entry. */
export type CallListEntryRow = Selectable<CallListEntriesTable>;
/** A staged import row. */
export type ImportRow = Selectable<CallListImportRowsTable>;
/** A do-not-call row. */
export type DoNotCallRow = Selectable<DoNotCallTable>;
/** An import (staging, committed or preview). */
export type ImportRecord = Selectable<CallListImportsTable>;

/** Call lists, their staged imports and the do-not-call list. */
export class CallListsRepository {
  constructor(private readonly db: Executor) {}

  /** Starts an import (or preview) whose rows will be staged. */
  async createImport(row: { id: string; name: string; status: string; created_by: string | null; created_at: number }): Promise<void> {
    await this.db.insertInto('call_list_imports').values(row).execute();
  }

  /** Sets an import's status ('staging', 'committed', 'preview'). */
  async setImportStatus(id: string, status: string): Promise<void> {
    await this.db.updateTable('call_list_imports').set({ status }).where('id', '=', id).execute();
  }

  /** One import. */
  findImport(id: string): Promise<ImportRecord | undefined> {
    return this.db.selectFrom('call_list_imports').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /**
   * PostgreSQL: this transaction's commit does not wait for the WAL to reach the disk. Only for
   * staging batches, which are worthless after a crash anyway (a crashed import is swept, and the
   * list itself is created by a normal, durable commit). SQLite: nothing.
   */
  async skipCommitFlush(): Promise<void> {
    if (this.db.getExecutor().adapter instanceof PostgresAdapter) await sql`set local synchronous_commit = off`.execute(this.db);
  }

  /** Stages a batch of rows. */
  async stageRows(rows: Insertable<CallListImportRowsTable>[]): Promise<void> {
    if (rows.length > 0) await this.db.insertInto('call_list_import_rows').values(rows).execute();
  }

  /** Of these blind indexes, those already staged as valid rows of this import, with their row and line. */
  async stagedRowsByPhone(importId: string, bidx: Buffer[]): Promise<{ phone_bidx: Buffer; row_no: number; line_no: number | null }[]> {
    if (bidx.length === 0) return [];
    const rows = await this.db
      .selectFrom('call_list_import_rows')
      .select(['phone_bidx', 'row_no', 'line_no'])
      .where('import_id', '=', importId)
      .where('problem', 'is', null)
      .where('phone_bidx', 'in', bidx)
      .execute();
    return rows.map((row) => ({ phone_bidx: Buffer.from(row.phone_bidx as Buffer), row_no: row.row_no, line_no: row.line_no }));
  }

  /** Of these blind indexes, those already in a list, with the list's id. */
  async listedPhones(bidx: Buffer[]): Promise<{ phone_bidx: Buffer; list_id: string }[]> {
    if (bidx.length === 0) return [];
    const rows = await this.db.selectFrom('call_list_entries').select(['phone_bidx', 'list_id']).where('phone_bidx', 'in', bidx).execute();
    return rows.map((row) => ({ phone_bidx: Buffer.from(row.phone_bidx), list_id: row.list_id }));
  }

  /** Of these blind indexes, those on the do-not-call list. */
  async doNotCallPhones(bidx: Buffer[]): Promise<Buffer[]> {
    if (bidx.length === 0) return [];
    const rows = await this.db.selectFrom('do_not_call').select('phone_bidx').where('phone_bidx', 'in', bidx).execute();
    return rows.map((row) => Buffer.from(row.phone_bidx));
  }

  /** Counts of an import's staged rows by problem (null = valid). */
  async importCounts(importId: string): Promise<{ problem: string | null; n: number }[]> {
    const rows = await this.db
      .selectFrom('call_list_import_rows')
      .select(['problem', (eb) => eb.fn.countAll<number | string>().as('n')])
      .where('import_id', '=', importId)
      .groupBy('problem')
      .execute();
    return rows.map((row) => ({ problem: row.problem, n: Number(row.n) }));
  }

  /** Refused rows of an import, in file order, after `afterRow`. */
  importProblems(importId: string, afterRow: number, limit: number): Promise<Pick<ImportRow, 'row_no' | 'line_no' | 'problem' | 'problem_ref'>[]> {
    return this.db
      .selectFrom('call_list_import_rows')
      .select(['row_no', 'line_no', 'problem', 'problem_ref'])
      .where('import_id', '=', importId)
      .where('problem', 'is not', null)
      .where('row_no', '>', afterRow)
      .orderBy('row_no')
      .limit(limit)
      .execute();
  }

  /**
   * Moves an import's valid staged rows into a new list with one INSERT ... SELECT (constant memory
   * whatever the size). Numbers another import committed meanwhile are first marked ALREADY_IN_LIST,
   * so the report still accounts for every row. The caller holds the call-list commit lock, so no
   * other import commits between the two statements. Returns how many were stored.
   */
  async commitImport(importId: string, list: { id: string; name: string; created_by: string | null; created_at: number }): Promise<number> {
    await this.db.insertInto('call_lists').values({ ...list, entry_count: 0 }).execute();
    await sql`
      update call_list_import_rows
      set problem = 'ALREADY_IN_LIST', problem_ref = 'list:' || (select e.list_id from call_list_entries e where e.phone_bidx = call_list_import_rows.phone_bidx)
      where import_id = ${importId} and problem is null
        and exists (select 1 from call_list_entries e where e.phone_bidx = call_list_import_rows.phone_bidx)`.execute(this.db);
    // No "not exists" against call_list_entries here: PostgreSQL, without statistics for a fresh
    // staging table, may plan it as a nested loop re-scanning the table being inserted into
    // (quadratic: a minute for 40,000 rows). The update above already took those rows out.
    const result = await sql`
      insert into call_list_entries (id, list_id, phone_enc, phone_bidx, organization_enc, category, region_code, created_at)
      select ${list.id} || ':' || cast(s.row_no as text), ${list.id}, s.phone_enc, s.phone_bidx, s.organization_enc, s.category, s.region_code, ${list.created_at}
      from call_list_import_rows s
      where s.import_id = ${importId} and s.problem is null`.execute(this.db);
    const count = Number(result.numAffectedRows ?? 0);
    await this.db.updateTable('call_lists').set({ entry_count: count }).where('id', '=', list.id).execute();
    return count;
  }

  /**
   * Ends an import that ran to the end: its valid staged rows (encrypted numbers) are deleted, its
   * refused rows (line, reason, reference; never a number) stay for the full report.
   */
  async finishImport(importId: string, status: 'committed' | 'preview'): Promise<void> {
    await this.db.deleteFrom('call_list_import_rows').where('import_id', '=', importId).where('problem', 'is', null).execute();
    await this.setImportStatus(importId, status);
  }

  /** Forgets an import and every staged row of it (after a failure, or when its report is no longer needed). */
  async deleteImport(importId: string): Promise<void> {
    await this.db.deleteFrom('call_list_import_rows').where('import_id', '=', importId).execute();
    await this.db.deleteFrom('call_list_imports').where('id', '=', importId).execute();
  }

  /** Imports to clean up: left in 'staging' before `stagingBefore` (a crash), or finished before `finishedBefore`. */
  async staleImports(stagingBefore: number, finishedBefore = stagingBefore): Promise<string[]> {
    const rows = await this.db
      .selectFrom('call_list_imports')
      .select('id')
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', 'staging'), eb('created_at', '<', stagingBefore)]),
          eb.and([eb('status', '<>', 'staging'), eb('created_at', '<', finishedBefore)]),
        ]),
      )
      .execute();
    return rows.map((row) => row.id);
  }

  /** Every list, newest first. */
  lists(): Promise<CallListRow[]> {
    return this.db.selectFrom('call_lists').selectAll().orderBy('created_at', 'desc').execute();
  }

  /** One list. */
  findList(id: string): Promise<CallListRow | undefined> {
    return this.db.selectFrom('call_lists').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** A page of a list's entries, in id order. */
  entries(listId: string, afterId: string | null, limit: number): Promise<CallListEntryRow[]> {
    let query = this.db.selectFrom('call_list_entries').selectAll().where('list_id', '=', listId).orderBy('id').limit(limit);
    if (afterId !== null) query = query.where('id', '>', afterId);
    return query.execute();
  }

  /** Entries by id (for the tasks a volunteer holds). */
  entriesByIds(ids: string[]): Promise<CallListEntryRow[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.db.selectFrom('call_list_entries').selectAll().where('id', 'in', ids).execute();
  }

  /** How many entries all lists hold. */
  async entryCount(): Promise<number> {
    const row = await this.db.selectFrom('call_list_entries').select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Adds a number to the do-not-call list; false when it was there already. */
  async addDoNotCall(row: Insertable<DoNotCallTable>): Promise<boolean> {
    const result = await this.db.insertInto('do_not_call').values(row).onConflict((oc) => oc.column('phone_bidx').doNothing()).executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  /** Removes a do-not-call entry by id; false when there was none. */
  async removeDoNotCall(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('do_not_call').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  }

  /** The do-not-call entry for a number. */
  findDoNotCall(bidx: Buffer): Promise<DoNotCallRow | undefined> {
    return this.db.selectFrom('do_not_call').selectAll().where('phone_bidx', '=', bidx).executeTakeFirst();
  }

  /** The do-not-call list, newest first, with the name of who added each entry (null: the CLI); or the one entry for `bidx`. */
  doNotCallList(limit: number, bidx?: Buffer): Promise<(DoNotCallRow & { added_by_name: string | null })[]> {
    let query = this.db
      .selectFrom('do_not_call')
      .leftJoin('users', 'users.id', 'do_not_call.added_by')
      .selectAll('do_not_call')
      .select('users.display_name as added_by_name')
      .orderBy('do_not_call.added_at', 'desc')
      .orderBy('do_not_call.id')
      .limit(limit);
    if (bidx) query = query.where('do_not_call.phone_bidx', '=', bidx);
    return query.execute();
  }

  /** How many numbers the do-not-call list holds. */
  async doNotCallCount(): Promise<number> {
    const row = await this.db.selectFrom('do_not_call').select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
