import type { Insertable, Selectable, Updateable } from 'kysely';
import type { InvitationsTable, RecoveryCodesTable, UsersTable } from '../schema';
import type { Executor } from '../store';

/** A stored staff account row. */
export type UserRow = Selectable<UsersTable>;
/** A stored invitation row. */
export type InvitationRow = Selectable<InvitationsTable>;

/** Staff accounts, their invitations and recovery codes. */
export class UserRepository {
  constructor(private readonly db: Executor) {}

  /** The account with this id. */
  findById(id: string): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** The account with this username (already normalized to lower case). */
  findByUsername(username: string): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
  }

  /** All accounts, oldest first. */
  list(): Promise<UserRow[]> {
    return this.db.selectFrom('users').selectAll().orderBy('created_at').execute();
  }

  /** How many accounts exist. */
  async count(): Promise<number> {
    const row = await this.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return row.n;
  }

  /** How many active admins with a second factor exist. */
  async countActiveAdmins(): Promise<number> {
    const row = await this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('role', '=', 'admin')
      .where('status', '=', 'active')
      .executeTakeFirstOrThrow();
    return row.n;
  }

  /** Stores a new account. */
  async insert(row: Insertable<UsersTable>): Promise<void> {
    await this.db.insertInto('users').values(row).execute();
  }

  /** Changes an account. */
  async update(id: string, changes: Updateable<UsersTable>): Promise<void> {
    await this.db.updateTable('users').set(changes).where('id', '=', id).execute();
  }

  /** Stores an invitation. */
  async insertInvitation(row: Insertable<InvitationsTable>): Promise<void> {
    await this.db.insertInto('invitations').values(row).execute();
  }

  /** The unused, unexpired invitation with this token hash. */
  findOpenInvitation(tokenHash: string, now: number): Promise<InvitationRow | undefined> {
    return this.db
      .selectFrom('invitations')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
  }

  /** Marks an invitation used; returns false when someone else used it first. */
  async useInvitation(id: string, userId: string, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('invitations')
      .set({ used_at: now, used_by: userId })
      .where('id', '=', id)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Expires every open invitation for a role (a new first-admin link replaces the old one). */
  async expireOpenInvitations(role: string, createdBy: string | null, now: number): Promise<void> {
    let query = this.db.updateTable('invitations').set({ expires_at: now }).where('role', '=', role).where('used_at', 'is', null);
    query = createdBy === null ? query.where('created_by', 'is', null) : query.where('created_by', '=', createdBy);
    await query.execute();
  }

  /** Replaces a user's recovery codes. */
  async replaceRecoveryCodes(userId: string, rows: Insertable<RecoveryCodesTable>[]): Promise<void> {
    await this.db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
    if (rows.length > 0) await this.db.insertInto('recovery_codes').values(rows).execute();
  }

  /** A user's unused recovery codes. */
  unusedRecoveryCodes(userId: string): Promise<Selectable<RecoveryCodesTable>[]> {
    return this.db.selectFrom('recovery_codes').selectAll().where('user_id', '=', userId).where('used_at', 'is', null).execute();
  }

  /** Marks a recovery code used; false when it was already used. */
  async useRecoveryCode(id: string, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('recovery_codes')
      .set({ used_at: now })
      .where('id', '=', id)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }
}
