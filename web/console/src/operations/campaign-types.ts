import type { CampaignOut } from '../../../../src/http/routes/operations/campaigns.routes';

/** A campaign as `GET /api/operations/campaigns` returns it (the server's type). */
export type Campaign = CampaignOut;

/** A minute of the day as HH:MM. */
export const hhmm = (minute: number): string => `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

/** HH:MM (an `<input type="time">` value, or 24:00) as a minute of the day; NaN when unreadable. */
export function minuteOf(text: string): number {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!match) return Number.NaN;
  const minute = Number(match[1]) * 60 + Number(match[2]);
  return Number(match[2]) < 60 && minute <= 1440 ? minute : Number.NaN;
}
