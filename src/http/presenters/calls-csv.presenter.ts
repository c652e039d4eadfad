import type { CallOut } from './call.presenter';

/** The call log's CSV columns, in order: no phone number, notes or follow-up details. */
export const CALL_CSV_COLUMNS = [
  'started_at',
  'answered_at',
  'ended_at',
  'duration_seconds',
  'volunteer',
  'direction',
  'region_code',
  'org_type',
  'occupation',
  'listeners',
  'outcome',
  'people_registered',
  'hotline_number_given',
  'circumvention_tool',
  'materials_requested',
  'campaign_id',
  'times_source',
] as const;

/** A CSV field, quoted when it must be (RFC 4180); a leading = + - @ is neutralised for spreadsheets. */
function field(value: string | number | boolean | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The call log as CSV (UTF-8 with a BOM, so spreadsheet programs read Chinese names right). */
export function callsCsv(calls: readonly CallOut[], volunteerNames: ReadonlyMap<string, string>): string {
  const lines = [CALL_CSV_COLUMNS.join(',')];
  for (const call of calls) {
    lines.push(
      [
        iso(call.startedAt),
        iso(call.answeredAt),
        iso(call.endedAt),
        call.durationSeconds,
        volunteerNames.get(call.ownerId) ?? call.ownerId,
        call.direction,
        call.regionCode,
        call.orgType,
        call.occupation,
        call.listeners,
        call.outcome,
        call.peopleRegistered,
        call.handedOut.hotlineNumberGiven,
        call.handedOut.circumventionTool,
        call.handedOut.materialsRequested,
        call.campaignId,
        call.timesSource,
      ]
        .map(field)
        .join(','),
    );
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
