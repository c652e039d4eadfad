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

/** Tables of reports and stories. */
export interface ReportsTables {
  stories: StoriesTable;
}

/** Encrypted columns of the reports area (key rotation walks them). */
export const reportsEncryptedColumns: { table: string; idColumn: string; column: string; context: string }[] = [
  { table: 'stories', idColumn: 'id', column: 'content_enc', context: 'stories.content' },
];
