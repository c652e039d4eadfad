import { type Insertable, type Selectable, type Updateable, sql } from 'kysely';
import type { CallFollowupsTable, CallReceiptCodesTable, CallRegistrationsTable, CallScriptsTable, CallsTable, LiveCallsTable } from '../../schema';
import type { Executor } from '../../store';

/** A stored call. */
export type CallRow = Selectable<CallsTable>;

/** The fields of a call the hourly sums (`call_hours`, `campaign_hours`) count. */
const ROLLUP_FIELDS = ['started_at', 'answered_at', 'ended_at', 'outcome', 'direction', 'campaign_id', 'people_registered'] as const;

interface RollupRow {
  hour: number;
  direction: string;
  outcome: string;
  campaign_id: string | null;
  answered: number;
  talk_ms: number;
  people: number;
  registered_calls: number;
}

/** What one call adds to the sums of its hour. */
function rollupOf(call: Pick<Insertable<CallsTable>, (typeof ROLLUP_FIELDS)[number]>): RollupRow {
  const answeredAt = call.answered_at ?? null;
  const endedAt = call.ended_at ?? null;
  const people = call.people_registered;
  return {
    hour: Math.floor(call.started_at / 3_600_000) * 3_600_000,
    direction: call.direction,
    outcome: call.outcome,
    campaign_id: call.campaign_id ?? null,
    answered: answeredAt === null ? 0 : 1,
    talk_ms: answeredAt !== null && endedAt !== null ? Math.max(0, endedAt - answeredAt) : 0,
    people,
    registered_calls: people > 0 ? 1 : 0,
  };
}
/** A statement registered in a call. */
export type CallRegistrationRow = Selectable<CallRegistrationsTable>;
/** A stored follow-up contact. */
export type CallFollowupRow = Selectable<CallFollowupsTable>;
/** One version of a talking-points script. */
export type CallScriptRow = Selectable<CallScriptsTable>;

/** A call in progress, kept on the server from its first moment. */
export type LiveCallRow = Selectable<LiveCallsTable>;

/** A receipt code waiting to be read out (encrypted). */
export type CallReceiptCodeRow = Selectable<CallReceiptCodesTable>;

/** Which calls a list shows; `ownerId` is set by the domain for anyone who may not list all. */
export interface CallFilter {
  ownerId?: string;
  outcome?: string;
  direction?: string;
  campaignId?: string;
  from?: number;
  to?: number;
  limit: number;
}

/** Calls, their registrations and follow-up contacts. */
export class CallRepository {
  constructor(private readonly db: Executor) {}

  /** The call with this id. */
  findById(id: string): Promise<CallRow | undefined> {
    return this.db.selectFrom('calls').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** The call the browser named with this client id. */
  findByClientId(clientId: string): Promise<CallRow | undefined> {
    return this.db.selectFrom('calls').selectAll().where('client_id', '=', clientId).executeTakeFirst();
  }

  /** Stores a new call, and counts it in its hour's sums. */
  async insert(row: Insertable<CallsTable>): Promise<void> {
    await this.db.insertInto('calls').values(row).execute();
    await this.addToRollup(rollupOf(row), 1);
  }

  /** Changes a call; a change to what the hourly sums count moves it from its old sums to its new ones. */
  async update(id: string, changes: Updateable<CallsTable>): Promise<void> {
    const counted = ROLLUP_FIELDS.some((field) => field in changes);
    const before = counted ? await this.findById(id) : undefined;
    await this.db.updateTable('calls').set(changes).where('id', '=', id).execute();
    if (before === undefined) return;
    await this.addToRollup(rollupOf(before), -1);
    await this.addToRollup(rollupOf({ ...before, ...changes }), 1);
  }

  /** Adds one call (or takes it away, `sign` -1) to the sums of its hour: by direction and outcome, and by campaign. */
  private async addToRollup(row: RollupRow, sign: 1 | -1): Promise<void> {
    const values = { calls: sign, answered: sign * row.answered, talk_ms: sign * row.talk_ms, people: sign * row.people, registered_calls: sign * row.registered_calls };
    const added = (table: 'call_hours' | 'campaign_hours') => ({
      calls: sql<number>`${sql.ref(`${table}.calls`)} + ${values.calls}`,
      answered: sql<number>`${sql.ref(`${table}.answered`)} + ${values.answered}`,
      talk_ms: sql<number>`${sql.ref(`${table}.talk_ms`)} + ${values.talk_ms}`,
      people: sql<number>`${sql.ref(`${table}.people`)} + ${values.people}`,
      registered_calls: sql<number>`${sql.ref(`${table}.registered_calls`)} + ${values.registered_calls}`,
    });
    await this.db
      .insertInto('call_hours')
      .values({ hour: row.hour, direction: row.direction, outcome: row.outcome, ...values })
      .onConflict((oc) => oc.columns(['hour', 'direction', 'outcome']).doUpdateSet(added('call_hours')))
      .execute();
    if (row.campaign_id === null) return;
    await this.db
      .insertInto('campaign_hours')
      .values({ hour: row.hour, campaign_id: row.campaign_id, ...values })
      .onConflict((oc) => oc.columns(['hour', 'campaign_id']).doUpdateSet(added('campaign_hours')))
      .execute();
  }

  /** Calls matching the filter, newest first. */
  list(filter: CallFilter): Promise<CallRow[]> {
    let query = this.db.selectFrom('calls').selectAll();
    if (filter.ownerId !== undefined) query = query.where('owner_id', '=', filter.ownerId);
    if (filter.outcome !== undefined) query = query.where('outcome', '=', filter.outcome);
    if (filter.direction !== undefined) query = query.where('direction', '=', filter.direction);
    if (filter.campaignId !== undefined) query = query.where('campaign_id', '=', filter.campaignId);
    if (filter.from !== undefined) query = query.where('started_at', '>=', filter.from);
    if (filter.to !== undefined) query = query.where('started_at', '<', filter.to);
    return query.orderBy('started_at', 'desc').orderBy('id').limit(filter.limit).execute();
  }

  /** Registrations made in these calls. */
  async registrationsOf(callIds: string[]): Promise<CallRegistrationRow[]> {
    if (callIds.length === 0) return [];
    return this.db.selectFrom('call_registrations').selectAll().where('call_id', 'in', callIds).orderBy('created_at').execute();
  }

  /** The registration the browser named with this client id. */
  findRegistration(clientId: string): Promise<CallRegistrationRow | undefined> {
    return this.db.selectFrom('call_registrations').selectAll().where('client_id', '=', clientId).executeTakeFirst();
  }

  /** Records a statement registered in a call. */
  async insertRegistration(row: Insertable<CallRegistrationsTable>): Promise<void> {
    await this.db.insertInto('call_registrations').values(row).execute();
  }

  /** Follow-up contacts made in these calls. */
  async followupsOf(callIds: string[]): Promise<CallFollowupRow[]> {
    if (callIds.length === 0) return [];
    return this.db.selectFrom('call_followups').selectAll().where('call_id', 'in', callIds).orderBy('created_at').execute();
  }

  /** The follow-up contact the browser named with this client id. */
  findFollowup(clientId: string): Promise<CallFollowupRow | undefined> {
    return this.db.selectFrom('call_followups').selectAll().where('client_id', '=', clientId).executeTakeFirst();
  }

  /**
   * Follow-up contacts for the worklist: open ones (not done, not shredded) by when they are due
   * (as soon as possible, i.e. when recorded, unless a day was set), or the ones done, latest first.
   */
  listFollowups(state: 'open' | 'done', limit: number): Promise<(CallFollowupRow & { call_started_at: number; owner_name: string })[]> {
    let query = this.db
      .selectFrom('call_followups')
      .innerJoin('calls', 'calls.id', 'call_followups.call_id')
      .innerJoin('users', 'users.id', 'call_followups.owner_id')
      .selectAll('call_followups')
      .select(['calls.started_at as call_started_at', 'users.display_name as owner_name'])
      .where('call_followups.shredded_at', 'is', null)
      .limit(limit);
    query =
      state === 'open'
        ? query.where('call_followups.done_at', 'is', null).orderBy((eb) => eb.fn.coalesce('call_followups.due_at', 'call_followups.created_at')).orderBy('call_followups.id')
        : query.where('call_followups.done_at', 'is not', null).orderBy('call_followups.done_at', 'desc');
    return query.execute();
  }

  /** One follow-up contact by id. */
  findFollowupById(id: string): Promise<CallFollowupRow | undefined> {
    return this.db.selectFrom('call_followups').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Changes a follow-up contact's worklist state. */
  async updateFollowup(id: string, changes: Partial<Pick<CallFollowupRow, 'due_at' | 'done_at' | 'done_by'>>): Promise<void> {
    await this.db.updateTable('call_followups').set(changes).where('id', '=', id).execute();
  }

  /** Stores a follow-up contact. */
  async insertFollowup(row: Insertable<CallFollowupsTable>): Promise<void> {
    await this.db.insertInto('call_followups').values(row).execute();
  }

  /** Keeps a new registration's receipt code (encrypted) until it is read out or expires. */
  async insertReceiptCode(row: Insertable<CallReceiptCodesTable>): Promise<void> {
    await this.db.insertInto('call_receipt_codes').values(row).execute();
  }

  /** The unexpired receipt code of a registration, only if `ownerId` registered it. */
  receiptCodeFor(registrationClientId: string, ownerId: string, now: number): Promise<CallReceiptCodeRow | undefined> {
    return this.db
      .selectFrom('call_receipt_codes')
      .selectAll()
      .where('registration_client_id', '=', registrationClientId)
      .where('owner_id', '=', ownerId)
      .where('expires_at', '>', now)
      .executeTakeFirst();
  }

  /** Shreds the receipt codes of a call that `ownerId` kept; returns how many. */
  async deleteReceiptCodesOfCall(callId: string, ownerId: string): Promise<number> {
    const result = await this.db
      .deleteFrom('call_receipt_codes')
      .where('call_id', '=', callId)
      .where('owner_id', '=', ownerId)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** Shreds receipt codes past their time; returns how many. */
  async deleteExpiredReceiptCodes(now: number): Promise<number> {
    const result = await this.db.deleteFrom('call_receipt_codes').where('expires_at', '<=', now).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** Destroys notes of calls started before `cutoff`; returns how many calls lost their notes. */
  async shredNotesBefore(cutoff: number, now: number): Promise<number> {
    const result = await this.db
      .updateTable('calls')
      .set({ notes_enc: null, quotable_enc: null, shredded_at: now })
      .where('started_at', '<', cutoff)
      .where((eb) => eb.or([eb('notes_enc', 'is not', null), eb('quotable_enc', 'is not', null)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** Destroys follow-up details recorded before `cutoff`; returns how many. */
  async shredFollowupsBefore(cutoff: number, now: number): Promise<number> {
    const result = await this.db
      .updateTable('call_followups')
      .set({ details_enc: null, shredded_at: now })
      .where('created_at', '<', cutoff)
      .where('details_enc', 'is not', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }
}

/** Calls in progress: their server-side start, answer and end until they are saved. */
export class LiveCallRepository {
  constructor(private readonly db: Executor) {}

  /** The live call the browser named with this client id. */
  find(clientId: string): Promise<LiveCallRow | undefined> {
    return this.db.selectFrom('live_calls').selectAll().where('client_id', '=', clientId).executeTakeFirst();
  }

  /** The live call an accepted inbound queue call became. */
  findByQueueCall(queueCallId: string): Promise<LiveCallRow | undefined> {
    return this.db.selectFrom('live_calls').selectAll().where('queue_call_id', '=', queueCallId).executeTakeFirst();
  }

  /** Starts keeping a call. */
  async insert(row: Insertable<LiveCallsTable>): Promise<void> {
    await this.db.insertInto('live_calls').values(row).execute();
  }

  /** Stamps a time (or links the provider's call id) on a live call. */
  async update(clientId: string, changes: Updateable<LiveCallsTable>): Promise<void> {
    await this.db.updateTable('live_calls').set(changes).where('client_id', '=', clientId).execute();
  }

  /** Forgets a live call (it was saved, or discarded). */
  async delete(clientId: string): Promise<void> {
    await this.db.deleteFrom('live_calls').where('client_id', '=', clientId).execute();
  }
}

/** Talking-point scripts, versioned. */
export class CallScriptRepository {
  constructor(private readonly db: Executor) {}

  /** The newest version of every script. */
  async latest(): Promise<CallScriptRow[]> {
    const rows = await this.db.selectFrom('call_scripts').selectAll().orderBy('key').orderBy('version', 'desc').execute();
    const seen = new Set<string>();
    return rows.filter((row) => (seen.has(row.key) ? false : (seen.add(row.key), true)));
  }

  /** Every version of a script, newest first. */
  versions(key: string): Promise<CallScriptRow[]> {
    return this.db.selectFrom('call_scripts').selectAll().where('key', '=', key).orderBy('version', 'desc').execute();
  }

  /** One version of a script. */
  findVersion(key: string, version: number): Promise<CallScriptRow | undefined> {
    return this.db.selectFrom('call_scripts').selectAll().where('key', '=', key).where('version', '=', version).executeTakeFirst();
  }

  /** The newest version number of a script, 0 when none. */
  async latestVersion(key: string): Promise<number> {
    const row = await this.db
      .selectFrom('call_scripts')
      .select('version')
      .where('key', '=', key)
      .orderBy('version', 'desc')
      .executeTakeFirst();
    return row ? row.version : 0;
  }

  /** Stores a new version. */
  async insert(row: Insertable<CallScriptsTable>): Promise<void> {
    await this.db.insertInto('call_scripts').values(row).execute();
  }
}

/** Repositories of the calls area, bound to one executor (database or transaction). */
export class CallsRepositories {
  constructor(private readonly db: Executor) {}

  /** Calls, registrations and follow-ups. */
  get calls(): CallRepository {
    return new CallRepository(this.db);
  }

  /** Calls in progress. */
  get live(): LiveCallRepository {
    return new LiveCallRepository(this.db);
  }

  /** Talking-point scripts. */
  get scripts(): CallScriptRepository {
    return new CallScriptRepository(this.db);
  }

  /** The executor, for repositories added to this area. */
  protected get executor(): Executor {
    return this.db;
  }
}
