import { chinaDay } from '../../domain/counters/china-day';
import { CounterCache } from '../../domain/counters/counter-cache';
import type { Deps } from '../../domain/deps';
import { lookupReceipt } from '../../domain/statements/lookup-receipt';
import { AppError } from '../../shared/app-error';
import type { PublicRegistry, PublicStatementView } from './registry-port';

/** How long the home page's list of latest statements is reused before the database is asked again. */
export const LATEST_CACHE_MS = 5_000;

/**
 * The public pages' view of the statement registry: counters from the registry's in-memory cache
 * (a flood of readers never reaches the database), the latest statements memoized for a few
 * seconds, submissions and receipt lookups through the registry's use cases.
 */
export async function createPublicRegistry(deps: Deps): Promise<PublicRegistry & { close(): void }> {
  const cache = await CounterCache.load(deps);
  let latest: { at: number; limit: number; rows: PublicStatementView[] } | undefined;
  return {
    counters: async () => cache.snapshot(),
    daily: async (days) => cache.daily(days),
    latest: async (limit) => {
      const now = deps.clock();
      if (latest && latest.limit === limit && now - latest.at < LATEST_CACHE_MS && now >= latest.at) return latest.rows;
      const rows = await deps.store.registry.statements.latestPublished(limit);
      const views = rows.map((row) => ({
        sequence: row.sequence ?? 0,
        publicName: row.public_name,
        provinceCode: row.province_code,
        day: row.published_day ?? (row.published_at === null ? '' : chinaDay(row.published_at)),
        counts: { people: row.people, party: row.party, league: row.league, pioneers: row.pioneers },
        text: row.text,
      }));
      latest = { at: now, limit, rows: views };
      return views;
    },
    issueFormToken: async () => '',
    submit: async () => {
      throw new AppError('INTERNAL', 'the registry is not wired yet');
    },
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
    close: () => {
      cache.close();
    },
  };
}
