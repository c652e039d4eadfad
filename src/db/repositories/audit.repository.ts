import { type Insertable, type Selectable, SqliteAdapter } from 'kysely';
import type { AuditLogTable } from '../schema';
import type { Executor } from '../store';

/** A stored audit row. */
export type AuditRow = Selectable<AuditLogTable>;

/** The audit chain: append and read in order. There is deliberately no update or delete. */
export class AuditRepository {
  constructor(private readonly db: Executor) {}

  /** The last row of the chain. */
  last(): Promise<AuditRow | undefined> {
    return this.db.selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(1).executeTakeFirst();
  }

  /** Appends one row. */
  async insert(row: Insertable<AuditLogTable>): Promise<void> {
    await this.db.insertInto('audit_log').values(row).execute();
  }

  /**
   * Appends one row and records the chain's new head (`meta.audit_head`); on PostgreSQL in one
   * statement, a round trip less for every audited write (an import writes one per batch).
   */
  async append(row: Insertable<AuditLogTable>, head: string): Promise<void> {
    const isSqlite = this.db.getExecutor().adapter instanceof SqliteAdapter;
    // SQLite has no INSERT in WITH; in process, a second statement costs nothing.
    if (isSqlite) await this.insert(row);
    const db = isSqlite ? this.db : this.db.with('appended', (cte) => cte.insertInto('audit_log').values(row));
    await db
      .insertInto('meta')
      .values({ key: 'audit_head', value: head })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: head }))
      .execute();
  }

  /** Rows after `afterSeq`, in order, at most `limit`. */
  page(afterSeq: number, limit: number): Promise<AuditRow[]> {
    return this.db.selectFrom('audit_log').selectAll().where('seq', '>', afterSeq).orderBy('seq').limit(limit).execute();
  }

  /** Newest rows first, for the auditor's screen. */
  recent(limit: number, beforeSeq?: number, filter: { entityId?: string; actorId?: string; action?: string } = {}): Promise<AuditRow[]> {
    let query = this.db.selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(limit);
    if (beforeSeq !== undefined) query = query.where('seq', '<', beforeSeq);
    if (filter.entityId !== undefined) query = query.where('entity_id', '=', filter.entityId);
    if (filter.actorId !== undefined) query = query.where('actor_id', '=', filter.actorId);
    if (filter.action !== undefined) query = query.where('action', '=', filter.action);
    return query.execute();
  }
}
