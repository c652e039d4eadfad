import { type Insertable, PostgresAdapter, type Selectable, sql } from 'kysely';
import type { CallTaskAttemptsTable, CallTasksTable, CampaignsTable } from '../../schema';
import type { Executor } from '../../store';

/** A stored campaign. */
export type CampaignRow = Selectable<CampaignsTable>;
/** A stored call task (campaign number or callback request). */
export type CallTaskRow = Selectable<CallTasksTable>;

/** What a claim asks for. */
export interface ClaimQuery {
  /** A campaign's id, or null for callback requests. */
  campaignId: string | null;
  volunteerId: string;
  token: string;
  now: number;
  expiresAt: number;
  limit: number;
}

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
   * Atomically claims up to `limit` open tasks for one volunteer and returns them. A task is
   * claimable when it is open, due, not claimed (or its claim expired), its number is not on the
   * do-not-call list and no other task with the same number is claimed right now.
   *
   * PostgreSQL: the candidate rows are locked with FOR UPDATE SKIP LOCKED inside the UPDATE, so two
   * concurrent claims take disjoint rows without waiting; the UPDATE's own WHERE re-checks the
   * claim under the row lock. SQLite: one writer at a time, so the conditional UPDATE is atomic.
   */
  async claim(query: ClaimQuery): Promise<CallTaskRow[]> {
    const campaignCondition = query.campaignId === null ? sql`t.campaign_id is null and t.kind = 'callback'` : sql`t.campaign_id = ${query.campaignId}`;
    const candidates = sql`
        select t.id from call_tasks t
        where ${campaignCondition} and t.status = 'open' and t.next_attempt_at <= ${query.now}
          and (t.claimed_by is null or t.claim_expires_at <= ${query.now})
          and not exists (select 1 from do_not_call d where d.phone_bidx = t.phone_bidx)
          and not exists (select 1 from call_tasks o where o.phone_bidx = t.phone_bidx and o.id <> t.id
                          and o.claimed_by is not null and o.claim_expires_at > ${query.now} and o.status = 'open')
        order by t.priority desc, t.next_attempt_at, t.id
        limit ${query.limit}`;
    const claim = sql`claimed_by = ${query.volunteerId}, claim_token = ${query.token}, claim_expires_at = ${query.expiresAt}, updated_at = ${query.now}`;
    // The CTE is evaluated once (an IN (subquery) may be re-run by PostgreSQL's planner, handing
    // out more rows than the limit); the outer WHERE re-checks the claim under the row lock.
    const result = this.isPostgres
      ? await sql<CallTaskRow>`
          with picked as (${candidates} for update of t skip locked)
          update call_tasks set ${claim} from picked
          where call_tasks.id = picked.id and call_tasks.status = 'open'
            and (call_tasks.claimed_by is null or call_tasks.claim_expires_at <= ${query.now})
          returning call_tasks.*`.execute(this.db)
      : await sql<CallTaskRow>`
          update call_tasks set ${claim}
          where id in (${candidates}) and status = 'open' and (claimed_by is null or claim_expires_at <= ${query.now})
          returning *`.execute(this.db);
    return result.rows;
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
