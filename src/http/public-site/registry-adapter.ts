import { chinaDay } from '../../domain/counters/china-day';
import type { Deps } from '../../domain/deps';
import type { Services } from '../../services';
import { latestPublishedStatements } from '../../domain/statements/read-statements';
import { lookupReceipt } from '../../domain/statements/lookup-receipt';
import { receiptProof } from '../../domain/transparency/receipt-proof';
import { publishedStories, publishedStory } from '../../domain/reports/stories';
import { monthlyReport, recentDailyTotals } from '../../domain/reports/partner-reports';
import { submitPublicStatement } from '../../domain/statements/submit-public-statement';
import type { PublicRegistry, PublicStatementView } from './registry-port';
import { presentProvinces } from '../presenters/province.presenter';

/** How long the home page's list of latest statements is reused before the database is asked again. */
export const LATEST_CACHE_MS = 5_000;

/**
 * The public pages' view of the statement registry: counters from the registry's in-memory cache
 * (the registry's, which a flood of readers never gets past to the database), the latest statements memoized for a few
 * seconds, submissions and receipt lookups through the registry's use cases.
 */
export function createPublicRegistry(deps: Deps, services: Pick<Services, 'counters' | 'antiAbuse' | 'statementWriter' | 'log'>): PublicRegistry {
  const cache = services.counters;
  let latest: { at: number; limit: number; rows: PublicStatementView[] } | undefined;
  return {
    counters: async () => cache.snapshot(),
    daily: async (days) => cache.daily(days),
    byProvince: async () => presentProvinces(cache.byProvince()),
    latest: async (limit) => {
      const now = deps.clock();
      if (latest && latest.limit === limit && now - latest.at < LATEST_CACHE_MS && now >= latest.at) return latest.rows;
      const rows = await latestPublishedStatements(deps, limit);
      const views = rows.map((row) => ({
        sequence: row.sequence ?? 0,
        publicName: row.public_name,
        provinceCode: row.province_code,
        day: row.published_day ?? (row.published_at === null ? '' : chinaDay(row.published_at)),
        counts: { people: row.people, party: row.party, league: row.league, pioneers: row.pioneers },
        text: row.text,
        corrected: row.corrected_at !== null,
      }));
      latest = { at: now, limit, rows: views };
      return views;
    },
    issueFormToken: async (clientKey) => services.antiAbuse.issueFormToken(clientKey),
    submit: async (input, { pow, formToken, honeypot }, clientKey, submissionKey) =>
      submitPublicStatement(deps, {
        ...(submissionKey === undefined ? {} : { submissionKey }),
        input,
        antiAbuse: { ...(pow ? { pow } : {}), ...(formToken === undefined ? {} : { formToken: { token: formToken, clientKey } }), ...(honeypot === undefined ? {} : { honeypot }) },
        channel: 'form',
        guard: services.antiAbuse,
        writer: services.statementWriter,
      }),
    logProof: async (code) => {
      const head = await services.log.head();
      return receiptProof(deps, code, head, head ? services.log.edgeTiles(head.size) : undefined);
    },
    logKey: () => services.log.verifierKey,
    stories: async (limit) => publishedStories(deps, { limit }),
    story: async (id) => publishedStory(deps, id),
    dailyTotals: async (days) => recentDailyTotals(deps, days),
    monthlyReport: async (month) => monthlyReport(deps, month),
    lookup: async (code) => {
      const found = await lookupReceipt(deps, code);
      if (!found) return undefined;
      return {
        status: found.status,
        ...(found.sequence === undefined ? {} : { sequence: found.sequence }),
        ...(found.publishedAt === undefined ? {} : { day: chinaDay(found.publishedAt) }),
        ...(found.rejectionReason === undefined ? {} : { rejectionReason: found.rejectionReason }),
      };
    },
  };
}
