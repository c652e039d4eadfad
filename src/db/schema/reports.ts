import type { Bytes, Millis } from './foundation';

/** A report written from one or several calls: drafted, edited, approved, published. */
export interface StoriesTable {
  id: string;
  /** 'draft', 'approved', 'published' or 'withdrawn'. */
  status: string;
  /** JSON array of the call ids it was written from. */
  call_ids: string;
  /** JSON `StoryContent` (title and body per language), encrypted until and after publishing. */
  content_enc: Bytes;
  /** JSON array of the personal details the coordinator kept on purpose when publishing. */
  kept_details: string;
  created_by: string | null;
  approved_by: string | null;
  published_by: string | null;
  created_at: Millis;
  updated_at: Millis;
  published_at: Millis | null;
}

/** One stretch of a volunteer on duty: available, or on a break. */
export interface DutyPeriodsTable {
  user_id: string;
  presence: string;
  from_at: Millis;
  /** Null while it lasts. */
  to_at: Millis | null;
}

/** A call that left the inbound queue. */
export interface QueueCallsTable {
  call_id: string;
  arrived_at: Millis;
  /** 'answered', 'abandoned' or 'callback'. */
  outcome: string;
  left_at: Millis;
}

/** What the hourly sums of calls hold. */
interface CallSums {
  calls: number;
  answered: number;
  talk_ms: number;
  people: number;
  registered_calls: number;
}

/** Calls summed per UTC hour of their start, direction and outcome. */
export interface CallHoursTable extends CallSums {
  hour: Millis;
  direction: string;
  outcome: string;
}

/** Calls on a campaign's numbers summed per UTC hour of their start. */
export interface CampaignHoursTable extends CallSums {
  hour: Millis;
  campaign_id: string;
}

/** Tables of reports and stories. */
export interface ReportsTables {
  call_hours: CallHoursTable;
  campaign_hours: CampaignHoursTable;
  stories: StoriesTable;
  duty_periods: DutyPeriodsTable;
  queue_calls: QueueCallsTable;
}

/** Encrypted columns of the reports area (key rotation walks them). */
export const reportsEncryptedColumns: { table: string; idColumn: string; column: string; context: string }[] = [
  { table: 'stories', idColumn: 'id', column: 'content_enc', context: 'stories.content' },
];
