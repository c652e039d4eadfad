import { statementsPublishedOn } from '../../../domain/statements/read-statements';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { FIRST_REGISTRY_DAY, registryDayProblem } from '../../../domain/counters/china-day';
import { AppError } from '../../../shared/app-error';
import type { RouteModule } from '../../app';
import { type PresentedPublicStatement, presentPublicStatement } from '../../presenters/statement.presenter';
import { CountersOut, ErrorOut, PublicStatementOut, sendJsonText } from './schemas';
import { INTL_TAG, LOCALE_PREFIX, parseLangParam } from '../../public-site/i18n';
import { translator } from '../../public-site/i18n';
import type { Locale } from '../../../shared/localized-text';
import { type DayTotals, recentDailyTotals } from '../../../domain/reports/partner-reports';

const tags = ['feeds'];
/** Most statements one feed response holds; `?after=<sequence>` pages on. */
const FEED_PAGE = 5_000;

/** One day's feed as JSON; `next` is there when the day has more statements than one page. */
const FeedStatementsOut = z.object({ day: z.string(), statements: z.array(PublicStatementOut), next: z.string().optional() });

const DAY_MESSAGES: Record<NonNullable<ReturnType<typeof registryDayProblem>>, string> = {
  NOT_A_DATE: 'expected a real calendar day as YYYY-MM-DD',
  BEFORE_REGISTRY: `the registry starts on ${FIRST_REGISTRY_DAY}`,
  IN_THE_FUTURE: 'that day has not come yet in China',
};

/** A CSV cell: quoted, and a leading = + - @ neutralized so a spreadsheet never runs it as a formula. */
function csvCell(value: string | number): string {
  const text = String(value);
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return `"${safe.replaceAll('"', '""')}"`;
}

function xml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] ?? c);
}

function toCsv(statements: PresentedPublicStatement[]): string {
  const header = ['sequence', 'publicName', 'provinceCode', 'publishedAt', 'day', 'people', 'party', 'league', 'pioneers', 'text', 'correctedAt'];
  const lines = statements.map((s) =>
    [
      s.sequence,
      s.publicName,
      s.provinceCode,
      new Date(s.publishedAt).toISOString(),
      s.day,
      s.counts.people,
      s.counts.party,
      s.counts.league,
      s.counts.pioneers,
      s.text,
      s.correctedAt === null ? '' : new Date(s.correctedAt).toISOString(),
    ]
      .map(csvCell)
      .join(','),
  );
  return `${[header.join(','), ...lines].join('\r\n')}\r\n`;
}

function toRss(day: string, publicUrl: string, statements: PresentedPublicStatement[], locale: Locale): string {
  const t = translator(locale);
  const items = statements
    .map(
      (s) =>
        `<item><title>${xml(`#${s.sequence} ${s.publicName}${s.correctedAt === null ? '' : ` ${t('feed.corrected')}`}`)}</title><guid isPermaLink="false">statement-${s.sequence}</guid><pubDate>${new Date(s.publishedAt).toUTCString()}</pubDate><description>${xml(`${t('feed.counts', s.counts)}${s.text === '' ? '' : `\n${s.text}`}`)}</description></item>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>${xml(t('feed.title', { day }))}</title><link>${xml(publicUrl)}${LOCALE_PREFIX[locale]}/</link><description>${xml(t('feed.description', { day }))}</description><language>${INTL_TAG[locale]}</language>${items}</channel></rss>`;
}

function dailyCsv(days: readonly DayTotals[]): string {
  return `${['day,people,party,league,pioneers', ...days.map((d) => [d.day, d.people, d.party, d.league, d.pioneers].map(csvCell).join(','))].join('\r\n')}\r\n`;
}

function dailyRss(days: readonly DayTotals[], publicUrl: string, locale: Locale): string {
  const t = translator(locale);
  const items = [...days]
    .reverse()
    .map(
      (d) =>
        `<item><title>${xml(t('reports.feedItem', { day: d.day, people: d.people, party: d.party, league: d.league, pioneers: d.pioneers }))}</title><guid isPermaLink="false">day-${d.day}</guid><link>${xml(`${publicUrl}/feeds/statements/${d.day}.rss?lang=${locale}`)}</link></item>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>${xml(t('reports.feedTitle'))}</title><link>${xml(publicUrl)}${LOCALE_PREFIX[locale]}/reports</link><description>${xml(t('reports.intro'))}</description><language>${INTL_TAG[locale]}</language>${items}</channel></rss>`;
}

/**
 * Feeds for partner sites: one CST day's published statements as JSON, CSV or RSS, and the live
 * counters (from memory). Public fields only; any origin may read them.
 */
export const registryFeedRoutes: RouteModule = (fastify, ctx) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { deps } = ctx;

  app.get(
    '/feeds/counters.json',
    { schema: { tags, summary: 'The live counters for partner sites (from memory)', response: { 200: CountersOut, 429: ErrorOut } } },
    (_request, reply) => {
      sendJsonText(reply.header('access-control-allow-origin', '*').header('cache-control', 'no-cache'), ctx.services.counters.snapshotJson());
    },
  );

  app.get(
    '/feeds/daily.:format',
    {
      config: { rateLimit: { max: 60, timeWindow: 60_000 } },
      schema: {
        tags,
        summary: 'Published people per CST day (day, people, party, league, pioneers), newest last: /feeds/daily.csv or /feeds/daily.rss',
        params: z.object({ format: z.enum(['csv', 'rss']) }),
        querystring: z.object({
          days: z.coerce.number().int().min(1).max(400).default(90),
          lang: z.enum(['zh-Hans', 'zh-Hant', 'en', 'zh-hans', 'zh-hant']).optional(),
        }),
        response: {
          200: {
            description: 'The daily totals',
            content: { 'text/csv': { schema: z.string().describe('header: day,people,party,league,pioneers') }, 'application/rss+xml': { schema: z.string() } },
          },
          400: ErrorOut,
          429: ErrorOut,
        },
      },
    },
    async (request, reply) => {
      const days = await recentDailyTotals(deps, request.query.days);
      void reply.header('access-control-allow-origin', '*').header('cache-control', 'public, max-age=60');
      if (request.params.format === 'csv') return reply.type('text/csv; charset=utf-8').send(dailyCsv(days));
      return reply.type('application/rss+xml; charset=utf-8').send(dailyRss(days, ctx.config.publicUrl, parseLangParam(request.query.lang) ?? 'zh-Hans'));
    },
  );

  app.get(
    '/feeds/statements/:file',
    {
      config: { rateLimit: { max: 60, timeWindow: 60_000 } },
      schema: {
        tags,
        summary: 'Published statements of one CST day: /feeds/statements/2026-11-25.json, .csv or .rss',
        params: z.object({ file: z.string().max(20).regex(/^\d{4}-\d{2}-\d{2}\.(json|csv|rss)$/, 'expected YYYY-MM-DD.json, .csv or .rss') }),
        querystring: z.object({
          after: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
          /** The language of an RSS feed's titles: zh-Hans (default), zh-Hant or en. */
          lang: z.enum(['zh-Hans', 'zh-Hant', 'en', 'zh-hans', 'zh-hant']).optional(),
        }),
        response: {
          200: {
            description: 'The published statements of the day, oldest first; at most 5,000 per page, `next` names the following page',
            content: {
              'application/json': { schema: FeedStatementsOut },
              'text/csv': { schema: z.string().describe('header: sequence,publicName,provinceCode,publishedAt,day,people,party,league,pioneers,text,correctedAt') },
              'application/rss+xml': { schema: z.string().describe('RSS 2.0, one item per statement') },
            },
          },
          400: ErrorOut,
          429: ErrorOut,
        },
      },
    },
    async (request, reply) => {
      const [day = '', format] = request.params.file.split('.');
      const problem = registryDayProblem(day, deps.clock());
      if (problem !== undefined) {
        throw new AppError('VALIDATION_FAILED', `Invalid day ${day}: ${DAY_MESSAGES[problem]}`, { details: { field: 'file', reason: problem } });
      }
      const rows = await statementsPublishedOn(deps, day, FEED_PAGE, request.query.after);
      const statements = rows.map(presentPublicStatement);
      void reply.header('access-control-allow-origin', '*').header('cache-control', 'public, max-age=60');
      if (format === 'csv') return reply.type('text/csv; charset=utf-8').send(toCsv(statements));
      if (format === 'rss') return reply.type('application/rss+xml; charset=utf-8').send(toRss(day, ctx.config.publicUrl, statements, parseLangParam(request.query.lang) ?? 'zh-Hans'));
      const last = statements[statements.length - 1];
      return reply.type('application/json; charset=utf-8').send(
        JSON.stringify({ day, statements, ...(statements.length === FEED_PAGE && last ? { next: `/feeds/statements/${day}.json?after=${last.sequence}` } : {}) }),
      );
    },
  );
};
