import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { newSubmissionKey } from '../../domain/statements/statement-fields';
import { isAppError } from '../../shared/app-error';
import type { Locale } from '../../shared/localized-text';
import { type PseudonymProblem, pseudonymProblemMessages, suggestPseudonyms } from '../../shared/pseudonym';
import type { HttpContext, RouteModule } from '../app';
import { registerPublicAssets } from '../public-site/assets';
import { CHART_DAYS, homePage, LATEST_COUNT } from '../public-site/home.page';
import type { SafeHtml } from '../public-site/html';
import { negotiateLocale, parseLangParam, type PublicKey, ROUTE_PREFIXES } from '../public-site/i18n';
import { type AssetUrls, pageContext } from '../public-site/layout';
import { errorPage, receiptPage } from '../public-site/receipt.page';
import { createPublicRegistry } from '../public-site/registry-adapter';
import type { PublicRegistry } from '../public-site/registry-port';
import { EMPTY_FORM, type FieldErrors, type FieldMessage, type FormField, readSubmitForm, type SubmitFormValues } from '../public-site/submit-form';
import { storiesFeed, storiesPage, storyPage } from '../public-site/stories.page';
import { monthlyReportPage, reportsPage } from '../public-site/reports.page';
import { chinaDay } from '../../domain/counters/china-day';
import { isMonth } from '../../domain/reports/partner-reports';
import { submitPage, submittedPage } from '../public-site/submit.page';

/** Submissions one client may post through the form per minute (refused ones included): the registry's setting. */
function submitRateLimit(config: HttpContext['config']): { max: number; timeWindow: number } {
  return { max: config.HOTLINE_PUBLIC_SUBMIT_PER_MINUTE, timeWindow: 60_000 };
}
/**
 * Form pages (each carrying a fresh form token) one client may load per minute: a few per allowed
 * submission, at least 30, so a stock of tokens cannot be collected quickly.
 */
function formPageRateLimit(config: HttpContext['config']): { max: number; timeWindow: number } {
  return { max: Math.max(30, 3 * config.HOTLINE_PUBLIC_SUBMIT_PER_MINUTE), timeWindow: 60_000 };
}
/** Page views one client may make per minute (home and receipt pages): far more than a person reads. */
export const PAGE_RATE_LIMIT = { max: 300, timeWindow: 60_000 };
/** Receipt lookups one client may make per minute: enough for a person, too few to guess codes. */
export const LOOKUP_RATE_LIMIT = { max: 20, timeWindow: 60_000 };

/** Days the reports page lists. */
const REPORT_DAYS = 30;

/** `count` months up to and including `month` (YYYY-MM), newest first. */
function lastMonths(month: string, count: number): string[] {
  const [year, number] = month.split('-').map(Number) as [number, number];
  return Array.from({ length: count }, (_, i) => new Date(Date.UTC(year, number - 1 - i, 1)).toISOString().slice(0, 7));
}

/** Stories the Stories page and feed show (newest first). */
const STORIES_PER_PAGE = 50;

/** What a typed receipt code may look like (K7QM-3XWD-P9RA, any case, with spaces or dashes). */
const RECEIPT_CODE = /^[A-Za-z0-9 -]{4,64}$/;
const FORM_FIELDS: readonly FormField[] = ['nameKind', 'name', 'organizations', 'region', 'peopleCount', 'text', 'consent'];

function sendPage(reply: FastifyReply, page: SafeHtml, options: { status?: number; cache?: string } = {}): FastifyReply {
  return reply
    .status(options.status ?? 200)
    .header('cache-control', options.cache ?? 'no-store')
    .type('text/html; charset=utf-8')
    .send(page.value);
}

/** The receipt code a lookup form posted (trimmed, at most 64 characters), or ''. */
function postedCode(request: FastifyRequest): string {
  const body = (typeof request.body === 'object' && request.body !== null ? request.body : {}) as Record<string, unknown>;
  return typeof body.code === 'string' ? body.code.trim().slice(0, 64) : '';
}

/** The locale of a request: `?lang=` wins, then the path prefix; Accept-Language only for `/` itself. */
function localeOf(request: FastifyRequest, pathLocale: Locale, negotiate: boolean): Locale {
  const query = request.query as Record<string, unknown> | undefined;
  const fromQuery = parseLangParam(query?.lang);
  if (fromQuery) return fromQuery;
  return negotiate ? negotiateLocale(request.headers['accept-language']) : pathLocale;
}

/** Turns an error from the registry into messages next to the fields, or above the form. */
function registryErrorMessages(error: unknown): { status: number; errors: FieldErrors } | undefined {
  if (!isAppError(error)) return undefined;
  const details = error.details ?? {};
  const formMessage = (key: PublicKey): FieldErrors => ({ form: { key } });
  if (error.code === 'RATE_LIMITED') return { status: 429, errors: formMessage('error.rateLimited') };
  if (error.code === 'PAYLOAD_TOO_LARGE') return { status: 413, errors: formMessage('error.tooLarge') };
  if (error.code === 'ANTI_ABUSE_FAILED') return { status: error.status, errors: formMessage(antiAbuseMessage(details.reason)) };
  const reason = typeof details.reason === 'string' ? details.reason : undefined;
  if (reason !== undefined && reason in pseudonymProblemMessages) return { status: error.status, errors: { name: { pseudonym: reason as PseudonymProblem } } };
  const field = typeof details.field === 'string' ? details.field : undefined;
  const errors: FieldErrors = {};
  const issues = Array.isArray(details.issues) ? (details.issues as { path?: unknown }[]) : [];
  for (const path of [field, ...issues.map((i) => (typeof i.path === 'string' ? i.path : Array.isArray(i.path) ? String(i.path[0]) : undefined))]) {
    const name = path?.split('.')[0];
    const target = name === 'organizations' || name === 'cohorts' ? 'organizations' : (FORM_FIELDS.find((f) => f === name) ?? undefined);
    if (target !== undefined) errors[target] = genericFieldMessage(target);
  }
  if (Object.keys(errors).length > 0) return { status: error.status, errors };
  if (error.status >= 400 && error.status < 500) return { status: error.status, errors: formMessage('error.generic') };
  return undefined;
}

/**
 * The form comes back with everything typed and a fresh token, so a token that was too old, used,
 * or issued to the visitor's previous address (mobile networks and circumvention tools change it)
 * only needs "Send" pressed again.
 */
function antiAbuseMessage(reason: unknown): PublicKey {
  if (reason === 'FORM_TOKEN_TOO_YOUNG') return 'error.tooFast';
  if (reason === 'FORM_TOKEN_EXPIRED' || reason === 'FORM_TOKEN_INVALID' || reason === 'FORM_TOKEN_REUSED') return 'error.formRenewed';
  return 'error.antiAbuse';
}

function genericFieldMessage(field: FormField): FieldMessage {
  const keys: Record<FormField, PublicKey> = {
    nameKind: 'error.nameKind',
    name: 'error.name.required',
    organizations: 'error.organizations',
    region: 'error.region.invalid',
    peopleCount: 'error.peopleCount',
    text: 'error.text.tooLong',
    consent: 'error.consent',
    form: 'error.generic',
  };
  return { key: keys[field] };
}

/**
 * The public site: home page with live counters and the daily chart, the statement form (works
 * without JavaScript: a plain POST answered by a page), and the receipt lookup; in Simplified
 * Chinese at `/`, Traditional Chinese under `/zh-hant/`, English under `/en/`.
 */
export function publicSiteRoutesWith(makeRegistry: (app: FastifyInstance, ctx: HttpContext) => PublicRegistry): RouteModule {
  return async (app, ctx) => {
    const registry = makeRegistry(app, ctx);
    const assets: AssetUrls = await registerPublicAssets(app, ctx.config.dataDir);

    // Each form is issued a token bound to the visitor's daily-rotated key (never the address itself).
    const renderForm = async (request: FastifyRequest, locale: Locale, values: SubmitFormValues, errors: FieldErrors) =>
      submitPage(pageContext(locale, assets), {
        values: values.submissionKey === '' ? { ...values, submissionKey: newSubmissionKey() } : values,
        errors,
        suggestions: suggestPseudonyms(8),
        formToken: await registry.issueFormToken(ctx.clientKeyer.keyFor(request.ip)),
      });

    /** Errors before the handler could read the form (too large, too many, wrong type) as pages, not JSON. */
    const htmlErrorHandler = (locale: Locale, back: 'home' | 'submit' | 'receipt') => (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      const page = pageContext(locale, assets);
      const status = error.statusCode ?? 500;
      const [code, key]: [number, PublicKey] =
        status === 413 || error.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
          ? [413, 'error.tooLarge']
          : status === 429
            ? [429, 'error.rateLimited']
            : status >= 400 && status < 500
              ? [status, 'error.generic']
              : [500, 'error.generic'];
      if (code === 500) request.log.error({ err: { type: error.name, message: error.message } }, 'public page failed');
      void sendPage(reply, errorPage(page, page.t(key), back), { status: code });
    };

    for (const { prefix, locale: pathLocale } of ROUTE_PREFIXES) {
      const isRoot = prefix === '';
      if (!isRoot) app.get(prefix, { schema: { hide: true } }, async (_request, reply) => reply.redirect(`${prefix}/`, 301));

      // Not limited per client: many readers share a circumvention tool's exit address, and the page
      // is answered from a ready-made response (src/http/hot-reads.ts) that costs next to nothing.
      app.get(`${prefix}/`, { schema: { hide: true }, errorHandler: htmlErrorHandler(pathLocale, 'home') }, async (request, reply) => {
        const locale = localeOf(request, pathLocale, isRoot);
        if (isRoot) void reply.header('vary', 'Accept-Language');
        const [counters, daily, latest, provinces] = await Promise.all([registry.counters(), registry.daily(CHART_DAYS), registry.latest(LATEST_COUNT), registry.byProvince()]);
        // A short shared cache lets a shield in front absorb floods; the live total arrives by SSE anyway.
        return sendPage(reply, homePage(pageContext(locale, assets), { counters, daily, latest, provinces, logKey: registry.logKey() }), { cache: 'public, max-age=10' });
      });

      app.get(
        `${prefix}/submit`,
        { schema: { hide: true }, config: { rateLimit: formPageRateLimit(ctx.config) }, errorHandler: htmlErrorHandler(pathLocale, 'submit') },
        // Kept by the browser for Back only (a new visit asks again, for a fresh token and key): after a
        // lost answer the person goes back to the form as they filled it, with the same submission key.
        async (request, reply) => sendPage(reply, await renderForm(request, localeOf(request, pathLocale, false), EMPTY_FORM, {}), { cache: 'private, no-cache' }),
      );

      app.post(
        `${prefix}/submit`,
        { schema: { hide: true }, config: { rateLimit: submitRateLimit(ctx.config) }, errorHandler: htmlErrorHandler(pathLocale, 'submit') },
        async (request, reply) => {
          const locale = localeOf(request, pathLocale, false);
          const form = readSubmitForm(request.body);
          // "Show counties" without JavaScript: the same form again with the prefecture's counties; nothing is stored.
          if (form.isRegionStep) return sendPage(reply, await renderForm(request, locale, form.values, {}));
          if (!form.submission) return sendPage(reply, await renderForm(request, locale, form.values, form.errors), { status: 400 });
          let receipt: { receiptCode: string };
          try {
            receipt = await registry.submit(form.submission, form.antiAbuse, ctx.clientKeyer.keyFor(request.ip), form.submissionKey);
          } catch (error) {
            const mapped = registryErrorMessages(error);
            if (!mapped) throw error;
            return sendPage(reply, await renderForm(request, locale, form.values, mapped.errors), { status: mapped.status });
          }
          return sendPage(reply, submittedPage(pageContext(locale, assets), receipt));
        },
      );

      app.get(`${prefix}/receipt`, { schema: { hide: true }, config: { rateLimit: PAGE_RATE_LIMIT }, errorHandler: htmlErrorHandler(pathLocale, 'receipt') }, async (request, reply) =>
        sendPage(reply, receiptPage(pageContext(localeOf(request, pathLocale, false), assets), { kind: 'none' })),
      );

      app.post(
        `${prefix}/receipt`,
        { schema: { hide: true }, config: { rateLimit: LOOKUP_RATE_LIMIT }, errorHandler: htmlErrorHandler(pathLocale, 'receipt') },
        async (request, reply) => {
          const page = pageContext(localeOf(request, pathLocale, false), assets);
          const code = postedCode(request);
          if (!RECEIPT_CODE.test(code)) return sendPage(reply, receiptPage(page, { kind: 'invalid' }, code), { status: 400 });
          const receipt = await registry.lookup(code);
          if (!receipt) return sendPage(reply, receiptPage(page, { kind: 'notFound' }, code), { status: 404 });
          const log = receipt.status === 'published' ? { proof: await registry.logProof(code), code, key: registry.logKey() } : undefined;
          return sendPage(reply, receiptPage(page, { kind: 'found', receipt, ...(log ? { log } : {}) }));
        },
      );

      // Stories written from calls, published by coordinators: the page, one story, and the Atom feed.
      app.get(`${prefix}/stories`, { schema: { hide: true }, config: { rateLimit: PAGE_RATE_LIMIT }, errorHandler: htmlErrorHandler(pathLocale, 'home') }, async (request, reply) =>
        sendPage(reply, storiesPage(pageContext(localeOf(request, pathLocale, false), assets), await registry.stories(STORIES_PER_PAGE)), { cache: 'public, max-age=60' }),
      );
      app.get(`${prefix}/stories/feed.xml`, { schema: { hide: true }, config: { rateLimit: PAGE_RATE_LIMIT } }, async (request, reply) =>
        reply
          .header('cache-control', 'public, max-age=300')
          .type('application/atom+xml; charset=utf-8')
          .send(storiesFeed(pageContext(localeOf(request, pathLocale, false), assets), await registry.stories(STORIES_PER_PAGE), ctx.config.publicUrl)),
      );
      app.get(
        `${prefix}/stories/:id`,
        { schema: { hide: true }, config: { rateLimit: PAGE_RATE_LIMIT }, errorHandler: htmlErrorHandler(pathLocale, 'home') },
        async (request, reply) => {
          const page = pageContext(localeOf(request, pathLocale, false), assets);
          const id = (request.params as { id: string }).id;
          const story = /^[A-Za-z0-9_-]{1,64}$/.test(id) ? await registry.story(id) : undefined;
          if (!story) return sendPage(reply, errorPage(page, page.t('stories.notFound'), 'home'), { status: 404 });
          return sendPage(reply, storyPage(page, story), { cache: 'public, max-age=60' });
        },
      );

      // Reports for partners: the days' totals with their statements' feeds, and printable monthly reports.
      app.get(`${prefix}/reports`, { schema: { hide: true }, config: { rateLimit: PAGE_RATE_LIMIT }, errorHandler: htmlErrorHandler(pathLocale, 'home') }, async (request, reply) => {
        const page = pageContext(localeOf(request, pathLocale, false), assets);
        const month = chinaDay(ctx.deps.clock()).slice(0, 7);
        return sendPage(reply, reportsPage(page, { days: await registry.dailyTotals(REPORT_DAYS), months: lastMonths(month, 12) }), { cache: 'public, max-age=60' });
      });
      app.get(
        `${prefix}/reports/:month`,
        { schema: { hide: true }, config: { rateLimit: PAGE_RATE_LIMIT }, errorHandler: htmlErrorHandler(pathLocale, 'home') },
        async (request, reply) => {
          const page = pageContext(localeOf(request, pathLocale, false), assets);
          const month = (request.params as { month: string }).month;
          if (!isMonth(month) || month < '2004-01' || month > chinaDay(ctx.deps.clock()).slice(0, 7))
            return sendPage(reply, errorPage(page, page.t('reports.noSuchMonth'), 'home'), { status: 404 });
          return sendPage(reply, monthlyReportPage(page, await registry.monthlyReport(month)), { cache: 'public, max-age=300' });
        },
      );

      // The proof file and the entry of a published statement, posted the code again (never in a URL).
      for (const what of ['proof', 'entry'] as const) {
        app.post(
          `${prefix}/receipt/${what}`,
          { schema: { hide: true }, config: { rateLimit: LOOKUP_RATE_LIMIT }, errorHandler: htmlErrorHandler(pathLocale, 'receipt') },
          async (request, reply) => {
            const page = pageContext(localeOf(request, pathLocale, false), assets);
            const code = postedCode(request);
            if (!RECEIPT_CODE.test(code)) return sendPage(reply, receiptPage(page, { kind: 'invalid' }, code), { status: 400 });
            const proof = await registry.logProof(code);
            if (proof.kind === 'none') return sendPage(reply, receiptPage(page, { kind: 'notFound' }, code), { status: 404 });
            if (proof.kind === 'not-yet') {
              const receipt = await registry.lookup(code);
              return sendPage(reply, receiptPage(page, receipt ? { kind: 'found', receipt, log: { proof, code, key: registry.logKey() } } : { kind: 'notFound' }, code), { status: 409 });
            }
            const name = `statement-${proof.sequence}`;
            return reply
              .header('cache-control', 'no-store')
              .header('content-disposition', `attachment; filename="${name}${what === 'proof' ? '.tlog-proof' : '.entry.txt'}"`)
              .type('text/plain; charset=utf-8')
              .send(what === 'proof' ? proof.proofFile : proof.entry);
          },
        );
      }
    }
  };
}

/** The public site wired to the statement registry (registered after it: it reads the registry's counter cache). */
export const publicSiteRoutes: RouteModule = publicSiteRoutesWith((app, ctx) => createPublicRegistry(ctx.deps, ctx.services));
