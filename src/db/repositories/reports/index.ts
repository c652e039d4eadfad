import { sql } from 'kysely';
import type { StoriesTable } from '../../schema';
import type { Executor } from '../../store';

/** A stored story. */
export type StoryRow = StoriesTable;

/** Calls in one time bucket with one outcome and direction. */
export interface CallBucketRow {
  /** The bucket's start (epoch ms). */
  at: number;
  outcome: string;
  direction: string;
  calls: number;
  answered: number;
  /** Seconds from answer to end, summed over the answered calls. */
  talkSeconds: number;
  people: number;
}

/** One campaign's calls in a period. */
export interface CampaignCallsRow {
  campaignId: string;
  name: string;
  calls: number;
  answered: number;
  registered: number;
  people: number;
}

/** One volunteer's calls in a period. */
export interface VolunteerCallsRow {
  calls: number;
  answered: number;
  talkSeconds: number;
  people: number;
  registeredCalls: number;
}

/** Stories, and the sums the dashboard and the volunteers' own pages read from calls. */
export class ReportsRepository {
  constructor(private readonly db: Executor) {}

  async insertStory(row: StoryRow): Promise<void> {
    await this.db.insertInto('stories').values(row).execute();
  }

  async updateStory(id: string, changes: Partial<Omit<StoryRow, 'id' | 'created_at' | 'created_by'>>): Promise<void> {
    await this.db.updateTable('stories').set(changes).where('id', '=', id).execute();
  }

  findStory(id: string): Promise<StoryRow | undefined> {
    return this.db.selectFrom('stories').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Every story, newest first (drafts and published alike): for coordinators. */
  listStories(limit: number): Promise<StoryRow[]> {
    return this.db.selectFrom('stories').selectAll().orderBy('created_at', 'desc').limit(limit).execute();
  }

  /** Published stories, newest first, optionally only those published in [from, to). */
  publishedStories(options: { limit: number; from?: number; to?: number }): Promise<StoryRow[]> {
    let query = this.db.selectFrom('stories').selectAll().where('status', '=', 'published');
    if (options.from !== undefined) query = query.where('published_at', '>=', options.from);
    if (options.to !== undefined) query = query.where('published_at', '<', options.to);
    return query.orderBy('published_at', 'desc').limit(options.limit).execute();
  }

  /**
   * Calls started in [from, to) (whole UTC hours) summed per hour of their start, outcome and
   * direction, from the hourly sums the calls repository keeps: a month is a few thousand rows
   * whatever the number of calls.
   */
  async callBuckets(from: number, to: number): Promise<CallBucketRow[]> {
    const rows = await this.db
      .selectFrom('call_hours')
      .select(['hour', 'outcome', 'direction', 'calls', 'answered', 'talk_ms', 'people'])
      .where('hour', '>=', Math.floor(from / 3_600_000) * 3_600_000)
      .where('hour', '<', to)
      .execute();
    return rows.map((row) => ({
      at: row.hour,
      outcome: row.outcome,
      direction: row.direction,
      calls: row.calls,
      answered: row.answered,
      talkSeconds: Math.round(row.talk_ms / 1000),
      people: row.people,
    }));
  }

  /** Calls on campaign numbers started in [from, to) (whole UTC hours), per campaign. */
  async campaignCalls(from: number, to: number): Promise<CampaignCallsRow[]> {
    const rows = await this.db
      .selectFrom('campaign_hours')
      .innerJoin('campaigns', 'campaigns.id', 'campaign_hours.campaign_id')
      .select([
        'campaign_hours.campaign_id as campaignId',
        'campaigns.name as name',
        sql<string | number>`sum(campaign_hours.calls)`.as('calls'),
        sql<string | number>`sum(campaign_hours.answered)`.as('answered'),
        sql<string | number>`sum(campaign_hours.registered_calls)`.as('registered'),
        sql<string | number>`sum(campaign_hours.people)`.as('people'),
      ])
      .where('campaign_hours.hour', '>=', Math.floor(from / 3_600_000) * 3_600_000)
      .where('campaign_hours.hour', '<', to)
      .groupBy(['campaign_hours.campaign_id', 'campaigns.name'])
      .execute();
    return rows.map((row) => ({
      campaignId: row.campaignId,
      name: row.name,
      calls: Number(row.calls),
      answered: Number(row.answered),
      registered: Number(row.registered),
      people: Number(row.people),
    }));
  }

  /** One volunteer's calls started in [from, to). */
  async volunteerCalls(ownerId: string, from: number, to: number): Promise<VolunteerCallsRow> {
    const row = await this.db
      .selectFrom('calls')
      .select([
        sql<string | number>`count(*)`.as('calls'),
        sql<string | number | null>`sum(case when answered_at is not null then 1 else 0 end)`.as('answered'),
        sql<string | number | null>`sum(case when answered_at is not null and ended_at is not null then ended_at - answered_at else 0 end)`.as('talk'),
        sql<string | number | null>`sum(people_registered)`.as('people'),
        sql<string | number | null>`sum(case when people_registered > 0 then 1 else 0 end)`.as('registered'),
      ])
      .where('owner_id', '=', ownerId)
      .where('started_at', '>=', from)
      .where('started_at', '<', to)
      .executeTakeFirst();
    return {
      calls: Number(row?.calls ?? 0),
      answered: Number(row?.answered ?? 0),
      talkSeconds: Math.round(Number(row?.talk ?? 0) / 1000),
      people: Number(row?.people ?? 0),
      registeredCalls: Number(row?.registered ?? 0),
    };
  }

  /** One volunteer's open follow-up contacts (no details): how many, and how many are due by `now`. */
  async openFollowupsOf(ownerId: string, now: number): Promise<{ open: number; due: number }> {
    const row = await this.db
      .selectFrom('call_followups')
      .select([sql<string | number>`count(*)`.as('open'), sql<string | number | null>`sum(case when coalesce(due_at, created_at) <= ${now} then 1 else 0 end)`.as('due')])
      .where('owner_id', '=', ownerId)
      .where('done_at', 'is', null)
      .where('shredded_at', 'is', null)
      .executeTakeFirst();
    return { open: Number(row?.open ?? 0), due: Number(row?.due ?? 0) };
  }

  /** Minutes a week of the shifts a volunteer signed up for. */
  async weeklyShiftMinutes(userId: string): Promise<number> {
    const row = await this.db
      .selectFrom('shift_slots')
      .select(sql<string | number | null>`sum(duration_minutes)`.as('minutes'))
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return Number(row?.minutes ?? 0);
  }

  /**
   * A volunteer's presence changed at `at`: their open stretch on duty ends, and a new one begins
   * unless they went offline.
   */
  async recordDuty(userId: string, presence: string, at: number): Promise<void> {
    const open = await this.db.selectFrom('duty_periods').select(['presence', 'from_at']).where('user_id', '=', userId).where('to_at', 'is', null).executeTakeFirst();
    // A replayed queue log tells of changes already recorded; the same presence continues the stretch.
    if (open && (open.from_at >= at || open.presence === presence)) return;
    if (!open) {
      const later = await this.db.selectFrom('duty_periods').select('from_at').where('user_id', '=', userId).where('to_at', '>', at).executeTakeFirst();
      if (later) return;
    }
    await this.db.updateTable('duty_periods').set({ to_at: at }).where('user_id', '=', userId).where('to_at', 'is', null).execute();
    if (presence !== 'offline') await this.db.insertInto('duty_periods').values({ user_id: userId, presence, from_at: at, to_at: null }).execute();
  }

  /** Stretches on duty that overlap [from, to): everyone's, or one volunteer's. */
  dutyPeriods(from: number, to: number, userId?: string): Promise<{ user_id: string; presence: string; from_at: number; to_at: number | null }[]> {
    let query = this.db
      .selectFrom('duty_periods')
      .select(['user_id', 'presence', 'from_at', 'to_at'])
      .where('from_at', '<', to)
      .where((eb) => eb.or([eb('to_at', 'is', null), eb('to_at', '>', from)]));
    if (userId !== undefined) query = query.where('user_id', '=', userId);
    return query.execute();
  }

  /** A call left the inbound queue (recorded once, however often the queue's log is replayed). */
  async recordQueueCall(row: { call_id: string; arrived_at: number; outcome: string; left_at: number }): Promise<void> {
    await this.db
      .insertInto('queue_calls')
      .values(row)
      .onConflict((oc) => oc.column('call_id').doNothing())
      .execute();
  }

  /**
   * Calls that arrived in the inbound queue in [from, to), per `bucketMs` bucket of arrival and
   * outcome: how many, their summed wait, and how many left within `withinMs` of arriving.
   */
  async queueBuckets(from: number, to: number, bucketMs: number, withinMs: number): Promise<{ at: number; outcome: string; calls: number; waitMs: number; within: number }[]> {
    const bucket = sql<number>`arrived_at / ${sql.raw(String(Math.trunc(bucketMs)))}`;
    const rows = await this.db
      .selectFrom('queue_calls')
      .select([
        bucket.as('bucket'),
        'outcome',
        sql<string | number>`count(*)`.as('calls'),
        sql<string | number | null>`sum(left_at - arrived_at)`.as('wait'),
        sql<string | number | null>`sum(case when left_at - arrived_at <= ${sql.raw(String(Math.trunc(withinMs)))} then 1 else 0 end)`.as('within'),
      ])
      .where('arrived_at', '>=', from)
      .where('arrived_at', '<', to)
      .groupBy([bucket, 'outcome'])
      .execute();
    return rows.map((row) => ({ at: row.bucket * bucketMs, outcome: row.outcome, calls: Number(row.calls), waitMs: Number(row.wait ?? 0), within: Number(row.within ?? 0) }));
  }
}
