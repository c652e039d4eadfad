import { type Insertable, PostgresAdapter, type RawBuilder, type Selectable, sql } from 'kysely';
import type { CallTaskAttemptsTable, CallTasksTable, CampaignsTable } from '../../schema';
import type { Executor } from '../../store';

/** A stored campaign. */
export type CampaignRow = Selectable<CampaignsTable>;
/** A stored call task (campaign number or callback request). */
export type CallTaskRow = Selectable<CallTasksTable>;

/**
 * Which tasks a claim draws from: one campaign's, the callback requests, or the next ones across
 * every active campaign whose calling window is open (and the callbacks, when their window is).
 */
export type ClaimScope =
  | { kind: 'campaign'; campaignId: string }
  | { kind: 'callbacks' }
  | { kind: 'next'; chinaMinute: number; isCallbackWindowOpen: boolean };

/** What a claim asks for. */
export interface ClaimQuery {
  scope: ClaimScope;
  volunteerId: string;
  token: string;
  now: number;
  expiresAt: number;
  limit: number;
}

/** Advisory-lock namespace (first key of the two-key form) for "a claim on this number is being made". */
const NUMBER_CLAIM_LOCK_SPACE = 0x484c_4e43;

/** Campaigns, their call tasks, claims and attempts. */
export class CampaignsRepository {
  constructor(private readonly db: Executor) {}

  private get isPostgres(): boolean {
    return this.db.getExecutor().adapter instanceof PostgresAdapter;
  }

  /** Stores a campaign and the lists it calls. */
  async insertCampaign(row: Insertable<CampaignsTable>, listIds: string[]): Promise<void> {
    await this.db.insertInto('campaigns').values(row).execute();
    if (listIds.length > 0) await this.db.insertInto('campaign_lists').values(listIds.map((list_id) => ({ campaign_id: row.id, list_id }))).execute();
  }

  /**
   * Makes a call task of every entry of the campaign's lists with one INSERT ... SELECT (constant
   * memory). The number stays in the entry (read through `entry_id`); only the blind index is copied,
   * for the do-not-call and same-number checks of a claim.
   */
  async createTasksFromLists(campaign: CampaignRow, now: number): Promise<number> {
    const result = await sql`
      insert into call_tasks (id, kind, campaign_id, entry_id, phone_enc, phone_bidx, priority, status, attempts, max_attempts,
        retry_spacing_minutes, next_attempt_at, created_at, updated_at)
      select ${campaign.id} || ':' || e.id, 'campaign', ${campaign.id}, e.id, null, e.phone_bidx, ${campaign.priority}, 'open', 0,
        ${campaign.max_attempts}, ${campaign.retry_spacing_minutes}, ${now}, ${now}, ${now}
      from call_list_entries e join campaign_lists cl on cl.list_id = e.list_id
      where cl.campaign_id = ${campaign.id}`.execute(this.db);
    return Number(result.numAffectedRows ?? 0);
  }

  /** Stores one task (a callback request). */
  async insertTask(row: Insertable<CallTasksTable>): Promise<void> {
    await this.db.insertInto('call_tasks').values(row).execute();
  }

  /** Every campaign, newest first. */
  campaigns(): Promise<CampaignRow[]> {
    return this.db.selectFrom('campaigns').selectAll().orderBy('created_at', 'desc').execute();
  }

  /** One campaign. */
  findCampaign(id: string): Promise<CampaignRow | undefined> {
    return this.db.selectFrom('campaigns').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** The lists of every campaign, by campaign id. */
  async listIdsByCampaign(): Promise<Map<string, string[]>> {
    const rows = await this.db.selectFrom('campaign_lists').select(['campaign_id', 'list_id']).orderBy('list_id').execute();
    const byCampaign = new Map<string, string[]>();
    for (const row of rows) byCampaign.set(row.campaign_id, [...(byCampaign.get(row.campaign_id) ?? []), row.list_id]);
    return byCampaign;
  }

  /** The lists a campaign calls. */
  async campaignListIds(id: string): Promise<string[]> {
    const rows = await this.db.selectFrom('campaign_lists').select('list_id').where('campaign_id', '=', id).execute();
    return rows.map((row) => row.list_id);
  }

  /** Changes a campaign's status. */
  async setCampaignStatus(id: string, status: string): Promise<void> {
    await this.db.updateTable('campaigns').set({ status }).where('id', '=', id).execute();
  }

  /**
   * Atomically claims up to `limit` open tasks for one volunteer and returns them, highest priority
   * first. A task is claimable when it is open, due, not claimed (or its claim expired), its number
   * is not on the do-not-call list and no other task with the same number is claimed right now: two
   * campaigns over one list, or a callback request for a campaign's number, hold one number in two
   * tasks, and a number must never be handed to two volunteers at once. Within one claim, a number
   * is taken once.
   *
   * SQLite: one statement, and SQLite runs one writer at a time, so the check and the claim cannot
   * interleave with another claim.
   *
   * PostgreSQL: concurrent transactions cannot see each other's uncommitted claims, so the check is
   * serialized per number. The first statement takes the candidate rows (FOR UPDATE SKIP LOCKED: two
   * claims take disjoint tasks without waiting) and, one by one in priority order, a transaction-scoped
   * advisory lock on each number (pg_try_advisory_xact_lock: a number another claim is working on
   * right now is passed over, never waited for) until `limit` are held. The second statement claims
   * them, re-checking "no other task with this number is claimed" with a fresh snapshot: whoever
   * claimed the number before held its lock until they committed, so their claim is visible now.
   */
  async claim(query: ClaimQuery): Promise<CallTaskRow[]> {
    const claimable = sql`t.status = 'open' and t.next_attempt_at <= ${query.now}
          and (t.claimed_by is null or t.claim_expires_at <= ${query.now})
          and not exists (select 1 from do_not_call d where d.phone_bidx = t.phone_bidx)
          and not exists (select 1 from call_tasks o where o.phone_bidx = t.phone_bidx and o.id <> t.id
                          and o.claimed_by is not null and o.claim_expires_at > ${query.now} and o.status = 'open')`;
    const claim = sql`claimed_by = ${query.volunteerId}, claim_token = ${query.token}, claim_expires_at = ${query.expiresAt}, updated_at = ${query.now}`;
    const { from, where } = scopeCondition(query.scope);
    if (!this.isPostgres) {
      // One row per number (the first in claim order), then the best `limit` of those.
      const result = await sql<CallTaskRow>`
        update call_tasks set ${claim}
        where id in (
          select id from (
            select t.id, t.priority, t.next_attempt_at,
              row_number() over (partition by t.phone_bidx order by t.priority desc, t.next_attempt_at, t.id) as nth
            from ${from} where ${where} and ${claimable}
          ) where nth = 1
          order by priority desc, next_attempt_at, id
          limit ${query.limit})
        returning *`.execute(this.db);
      return sortByClaimOrder(result.rows);
    }
    // The advisory lock is taken above the row lock and the sort, so only rows the claim takes get
    // it; a volatile function is not pushed down into the subquery.
    const picked = await sql<{ id: string; phone_bidx: Buffer }>`
      select id, phone_bidx from (
        select t.id, t.phone_bidx from ${from} where ${where} and ${claimable}
        order by t.priority desc, t.next_attempt_at, t.id
        for update of t skip locked
      ) candidate
      where pg_try_advisory_xact_lock(${sql.lit(NUMBER_CLAIM_LOCK_SPACE)}, ('x' || encode(substring(candidate.phone_bidx from 1 for 4), 'hex'))::bit(32)::int)
      limit ${query.limit}`.execute(this.db);
    const seen = new Set<string>();
    const ids = picked.rows.flatMap((row) => {
      const key = Buffer.from(row.phone_bidx).toString('hex');
      if (seen.has(key)) return [];
      seen.add(key);
      return [row.id];
    });
    if (ids.length === 0) return [];
    const result = await sql<CallTaskRow>`
      update call_tasks t set ${claim}
      where t.id in (${sql.join(ids)}) and ${claimable}
      returning t.*`.execute(this.db);
    return sortByClaimOrder(result.rows);
  }

  /** The tasks a volunteer holds an unexpired claim on. */
  claimedBy(volunteerId: string, now: number): Promise<CallTaskRow[]> {
    return this.db
      .selectFrom('call_tasks')
      .selectAll()
      .where('claimed_by', '=', volunteerId)
      .where('status', '=', 'open')
      .where('claim_expires_at', '>', now)
      .orderBy('priority', 'desc')
      .orderBy('id')
      .execute();
  }

  /** One task. */
  findTask(id: string): Promise<CallTaskRow | undefined> {
    return this.db.selectFrom('call_tasks').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Gives back claimed tasks not yet called; returns how many were released. */
  async release(volunteerId: string, taskIds: string[], now: number): Promise<number> {
    if (taskIds.length === 0) return 0;
    const result = await this.db
      .updateTable('call_tasks')
      .set({ claimed_by: null, claim_token: null, claim_expires_at: null, updated_at: now })
      .where('claimed_by', '=', volunteerId)
      .where('status', '=', 'open')
      .where('id', 'in', taskIds)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** Writes the result of an attempt on a task the volunteer holds; false when the claim was lost. */
  async finishAttempt(
    taskId: string,
    volunteerId: string,
    now: number,
    changes: { status: string; attempts: number; next_attempt_at: number; last_outcome: string },
  ): Promise<boolean> {
    const result = await this.db
      .updateTable('call_tasks')
      .set({ ...changes, claimed_by: null, claim_token: null, claim_expires_at: null, updated_at: now })
      .where('id', '=', taskId)
      .where('claimed_by', '=', volunteerId)
      .where('status', '=', 'open')
      .where('claim_expires_at', '>', now)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /**
   * Keeps a claimed number with its volunteer while they are on the call (a call may outlast the
   * claim's half hour); false when the number is not theirs any more.
   */
  async holdClaim(taskId: string, volunteerId: string, until: number, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('call_tasks')
      .set({ claim_expires_at: until, updated_at: now })
      .where('id', '=', taskId)
      .where('claimed_by', '=', volunteerId)
      .where('status', '=', 'open')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Records one attempt. */
  async insertAttempt(row: Insertable<CallTaskAttemptsTable>): Promise<void> {
    await this.db.insertInto('call_task_attempts').values(row).execute();
  }

  /** How many of a campaign's tasks are in each status (open split into claimed / waiting). */
  async taskCounts(campaignId: string | null, now: number): Promise<{ state: string; n: number }[]> {
    const state = sql<string>`case when status <> 'open' then status when claimed_by is not null and claim_expires_at > ${now} then 'claimed' else 'open' end`;
    let query = this.db.selectFrom('call_tasks').select([state.as('state'), (eb) => eb.fn.countAll<number | string>().as('n')]);
    query = campaignId === null ? query.where('kind', '=', 'callback') : query.where('campaign_id', '=', campaignId);
    // GROUP BY position: the CASE carries a parameter, and PostgreSQL would not match $1 with $2.
    const rows = await query.groupBy(sql`1`).execute();
    return rows.map((row) => ({ state: row.state, n: Number(row.n) }));
  }

  /** Attempts per China day and outcome. */
  async attemptsByDay(campaignId: string | null): Promise<{ day: string; outcome: string; n: number }[]> {
    let query = this.db
      .selectFrom('call_task_attempts')
      .select(['day_china as day', 'outcome', (eb) => eb.fn.countAll<number | string>().as('n')]);
    query = campaignId === null ? query.where('campaign_id', 'is', null) : query.where('campaign_id', '=', campaignId);
    const rows = await query.groupBy(['day_china', 'outcome']).orderBy('day_china').orderBy('outcome').execute();
    return rows.map((row) => ({ day: row.day, outcome: row.outcome, n: Number(row.n) }));
  }
}

/** The tables and the condition that select a claim's scope (the task is `t`). */
function scopeCondition(scope: ClaimScope): { from: RawBuilder<unknown>; where: RawBuilder<unknown> } {
  switch (scope.kind) {
    case 'campaign':
      return { from: sql`call_tasks t`, where: sql`t.campaign_id = ${scope.campaignId}` };
    case 'callbacks':
      return { from: sql`call_tasks t`, where: sql`t.campaign_id is null and t.kind = 'callback'` };
    case 'next': {
      const callbacks = scope.isCallbackWindowOpen ? sql`(t.campaign_id is null and t.kind = 'callback')` : sql`1 = 0`;
      return {
        from: sql`call_tasks t left join campaigns c on c.id = t.campaign_id`,
        where: sql`(${callbacks} or (c.status = 'active' and c.window_start_minute <= ${scope.chinaMinute} and c.window_end_minute > ${scope.chinaMinute}))`,
      };
    }
  }
}

/** Claim order: priority first, then the longest-waiting, then id. */
function sortByClaimOrder(rows: CallTaskRow[]): CallTaskRow[] {
  return rows.sort((a, b) => b.priority - a.priority || a.next_attempt_at - b.next_attempt_at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
