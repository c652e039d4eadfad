import type { Insertable, Selectable, Updateable } from 'kysely';
import type { SessionsTable } from '../schema';
import type { Executor } from '../store';

/** A stored session row. */
export type SessionRow = Selectable<SessionsTable>;

/** Login sessions, found by the hash of their token. */
export class SessionRepository {
  constructor(private readonly db: Executor) {}

  /** Stores a session. */
  async insert(row: Insertable<SessionsTable>): Promise<void> {
    await this.db.insertInto('sessions').values(row).execute();
  }

  /** The session with this token hash, revoked or not. */
  findByTokenHash(tokenHash: string): Promise<SessionRow | undefined> {
    return this.db.selectFrom('sessions').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
  }

  /** The session with this id. */
  findById(id: string): Promise<SessionRow | undefined> {
    return this.db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Open sessions of a user, newest first. */
  listOpen(userId: string, now: number): Promise<SessionRow[]> {
    return this.db
      .selectFrom('sessions')
      .selectAll()
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', now)
      .orderBy('created_at', 'desc')
      .execute();
  }

  /** Changes a session. */
  async update(id: string, changes: Updateable<SessionsTable>): Promise<void> {
    await this.db.updateTable('sessions').set(changes).where('id', '=', id).execute();
  }

  /** Revokes one session; returns whether it was open. */
  async revoke(id: string, now: number): Promise<boolean> {
    const result = await this.db.updateTable('sessions').set({ revoked_at: now }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Revokes every open session of a user; returns how many. */
  async revokeAllOf(userId: string, now: number): Promise<number> {
    const result = await this.db
      .updateTable('sessions')
      .set({ revoked_at: now })
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }
}
