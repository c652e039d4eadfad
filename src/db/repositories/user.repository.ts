import type { Insertable, Selectable, Updateable } from 'kysely';
import type { InvitationsTable, PasskeysTable, RecoveryCodesTable, UserDevicesTable, UsersTable } from '../schema';
import type { Executor } from '../store';

/** A stored staff account row. */
export type UserRow = Selectable<UsersTable>;
/** A stored invitation row. */
export type InvitationRow = Selectable<InvitationsTable>;
/** A stored passkey row. */
export type PasskeyRow = Selectable<PasskeysTable>;
/** A device an account signed in from. */
export type UserDeviceRow = Selectable<UserDevicesTable>;

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

  /**
   * Counts a sign-in attempt of one client on one account, unless that client is paused on it:
   * returns the attempt's number and the pause in place before it, or undefined while paused.
   * One statement, so parallel guesses cannot all slip in under the same count.
   */
  async countThrottledAttempt(userId: string, clientKey: string, now: number): Promise<{ attempts: number; lockedUntil: number | null } | undefined> {
    const row = await this.db
      .insertInto('sign_in_throttles')
      .values({ user_id: userId, client_key: clientKey, failures: 1, locked_until: null, updated_at: now })
      .onConflict((oc) =>
        oc
          .columns(['user_id', 'client_key'])
          .doUpdateSet((eb) => ({ failures: eb('sign_in_throttles.failures', '+', 1), updated_at: now }))
          .where((eb) => eb.or([eb('sign_in_throttles.locked_until', 'is', null), eb('sign_in_throttles.locked_until', '<=', now)])),
      )
      .returning(['failures', 'locked_until'])
      .executeTakeFirst();
    return row ? { attempts: row.failures, lockedUntil: row.locked_until } : undefined;
  }

  /** Pauses one client on one account until `lockedUntil`. */
  async pauseClient(userId: string, clientKey: string, lockedUntil: number): Promise<void> {
    await this.db.updateTable('sign_in_throttles').set({ locked_until: lockedUntil }).where('user_id', '=', userId).where('client_key', '=', clientKey).execute();
  }

  /** Until when one client is paused on one account (null: not paused). */
  async clientPausedUntil(userId: string, clientKey: string): Promise<number | null> {
    const row = await this.db.selectFrom('sign_in_throttles').select('locked_until').where('user_id', '=', userId).where('client_key', '=', clientKey).executeTakeFirst();
    return row?.locked_until ?? null;
  }

  /** Takes back an attempt that turned out right: one less in the count, and the pause it set goes back to what it was. */
  async uncountThrottledAttempt(userId: string, clientKey: string, lock: { set: number | null; previous: number | null }): Promise<void> {
    const row = this.db.updateTable('sign_in_throttles').where('user_id', '=', userId).where('client_key', '=', clientKey);
    await row.set((eb) => ({ failures: eb('failures', '-', 1) })).where('failures', '>', 0).execute();
    if (lock.set !== null) await row.set({ locked_until: lock.previous }).where('locked_until', '=', lock.set).execute();
  }

  /** Forgets failed attempts last counted before `before` (whose pauses are long over). */
  async pruneThrottles(before: number): Promise<void> {
    await this.db.deleteFrom('sign_in_throttles').where('updated_at', '<', before).where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', before)])).execute();
  }

  /** Forgets the failed attempts of one client on an account (it signed in), or of every client (an admin enabled or reset the account). */
  async clearThrottles(userId: string, clientKey?: string): Promise<void> {
    let query = this.db.deleteFrom('sign_in_throttles').where('user_id', '=', userId);
    if (clientKey !== undefined) query = query.where('client_key', '=', clientKey);
    await query.execute();
  }

  /** Records the TOTP time step just used; false when that step (or a later one) was already used. */
  async useTotpStep(id: string, step: number): Promise<boolean> {
    const result = await this.db
      .updateTable('users')
      .set({ totp_last_step: step })
      .where('id', '=', id)
      .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
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

  /** Unused, unexpired invitations, newest first. */
  listOpenInvitations(now: number): Promise<InvitationRow[]> {
    return this.db.selectFrom('invitations').selectAll().where('used_at', 'is', null).where('expires_at', '>', now).orderBy('created_at', 'desc').execute();
  }

  /** Ends an open invitation at once; false when it was used or had expired. */
  async expireInvitation(id: string, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('invitations')
      .set({ expires_at: now })
      .where('id', '=', id)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
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

  /** A user's passkeys, oldest first. */
  passkeysOf(userId: string): Promise<PasskeyRow[]> {
    return this.db.selectFrom('passkeys').selectAll().where('user_id', '=', userId).orderBy('created_at').execute();
  }

  /** How many passkeys each of these users has (users without one are absent). */
  async passkeyCounts(): Promise<Map<string, number>> {
    const rows = await this.db.selectFrom('passkeys').select(['user_id', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('user_id').execute();
    return new Map(rows.map((row) => [row.user_id, row.n]));
  }

  /** Stores a new passkey. */
  async insertPasskey(row: Insertable<PasskeysTable>): Promise<void> {
    await this.db.insertInto('passkeys').values(row).execute();
  }

  /** Records a passkey's use: its new signature counter and when. */
  async usePasskey(id: string, counter: number, now: number): Promise<void> {
    await this.db.updateTable('passkeys').set({ counter, last_used_at: now }).where('id', '=', id).execute();
  }

  /** Removes one of a user's passkeys; false when there was none with that id. */
  async deletePasskey(userId: string, id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('passkeys').where('user_id', '=', userId).where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  }

  /** Removes every passkey of a user (an admin's reset of the second factor). */
  async deletePasskeysOf(userId: string): Promise<number> {
    const result = await this.db.deleteFrom('passkeys').where('user_id', '=', userId).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** A device of a user, by the hash of its device cookie. */
  findDevice(userId: string, deviceHash: string): Promise<UserDeviceRow | undefined> {
    return this.db.selectFrom('user_devices').selectAll().where('user_id', '=', userId).where('device_hash', '=', deviceHash).executeTakeFirst();
  }

  /** Records a device's first sign-in. */
  async insertDevice(row: Insertable<UserDevicesTable>): Promise<void> {
    await this.db.insertInto('user_devices').values(row).execute();
  }

  /** Records a later sign-in from a known device. */
  async touchDevice(userId: string, deviceHash: string, now: number): Promise<void> {
    await this.db.updateTable('user_devices').set({ last_seen_at: now }).where('user_id', '=', userId).where('device_hash', '=', deviceHash).execute();
  }

  /** A user's devices, newest first. */
  devicesOf(userId: string): Promise<UserDeviceRow[]> {
    return this.db.selectFrom('user_devices').selectAll().where('user_id', '=', userId).orderBy('first_seen_at', 'desc').execute();
  }

  /** Marks every new-device sign-in of a user as seen by them. */
  async acknowledgeDevices(userId: string, now: number): Promise<void> {
    await this.db.updateTable('user_devices').set({ acknowledged_at: now }).where('user_id', '=', userId).where('acknowledged_at', 'is', null).execute();
  }
}
