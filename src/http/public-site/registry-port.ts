import type { StatementCounts } from '../../shared/schemas/statements';

/** The public counters as the home page shows them. */
export interface PublicCountersView {
  total: StatementCounts;
  today: StatementCounts;
  /** Today's date in China Standard Time, YYYY-MM-DD. */
  day: string;
  /** The signed log checkpoint these counts are the sums of. */
  checkpointSize: number;
}

/** One day of the daily chart. */
export interface DailyCountView extends StatementCounts {
  day: string;
}

/** A published statement as the public sees it. */
export interface PublicStatementView {
  sequence: number;
  publicName: string;
  provinceCode: string | null;
  day: string;
  counts: StatementCounts;
  text: string;
  /** Whether its counts, region or name were corrected after publication. */
  corrected: boolean;
}

/** What the form sends to the registry once the page has checked it. */
export interface PublicSubmission {
  nameKind: 'pseudonym' | 'real';
  name: string;
  organizations: ('party' | 'league' | 'pioneers')[];
  peopleCount: number;
  region: string;
  text: string;
  consent: true;
}

/** The flood defences that came with a submission. */
export interface AntiAbuseProof {
  pow?: { challenge: string; nonce: string };
  formToken?: string;
  honeypot?: string;
}

/** What a receipt code reveals to whoever holds it. */
export interface ReceiptStatusView {
  status: string;
  sequence?: number;
  day?: string;
  rejectionReason?: string;
}

/**
 * What the public pages need from the statement registry. The pages depend on this small surface
 * rather than on the registry's modules, so the adapter (`registry-adapter.ts`) is the one place
 * that knows the registry's functions.
 */
/** One province's totals, with its name in each language. */
export interface ProvinceCountView extends StatementCounts {
  provinceCode: string;
  name: Record<'en' | 'zh-Hans' | 'zh-Hant', string>;
}

export interface PublicRegistry {
  counters(): Promise<PublicCountersView>;
  daily(days: number): Promise<DailyCountView[]>;
  /** Totals by province, most people first. */
  byProvince(): Promise<ProvinceCountView[]>;
  latest(limit: number): Promise<PublicStatementView[]>;
  /**
   * A signed token the no-JavaScript form carries, good only for the visitor with `clientKey` (the
   * daily-rotated hash of the address), once, from a few seconds to half an hour after issue.
   */
  issueFormToken(clientKey: string): Promise<string>;
  /** Submits what the form sent; `clientKey` is the posting visitor's, which a form token must match. */
  submit(input: PublicSubmission, antiAbuse: AntiAbuseProof, clientKey: string, submissionKey?: string): Promise<{ receiptCode: string; status: string }>;
  /** The status behind a receipt code, or undefined when the code matches nothing. */
  lookup(code: string): Promise<ReceiptStatusView | undefined>;
  /** The transparency-log proof of the published statement behind a receipt code. */
  logProof(code: string): Promise<LogProofView>;
  /** The log's verifier key (signed-note format). */
  logKey(): string;
  /** Published stories, newest first. */
  stories(limit: number): Promise<PublicStoryView[]>;
  /** One published story, or undefined. */
  story(id: string): Promise<PublicStoryView | undefined>;
  /** The last `days` China days' published totals, oldest first. */
  dailyTotals(days: number): Promise<DailyReportView[]>;
  /** A month's report (YYYY-MM). */
  monthlyReport(month: string): Promise<MonthlyReportView>;
}

export type { DailyReportView, MonthlyReportView } from './reports.page';
import type { DailyReportView, MonthlyReportView } from './reports.page';

/** A published story: its text in every language. */
export interface PublicStoryView {
  id: string;
  publishedAt: number;
  content: Record<'en' | 'zh-Hans' | 'zh-Hant', { title: string; body: string }>;
}

/** A receipt's place in the transparency log. */
export type LogProofView =
  | { kind: 'proof'; index: number; checkpointSize: number; proofFile: string; entry: Buffer; sequence: number }
  | { kind: 'not-yet' }
  | { kind: 'none' };
