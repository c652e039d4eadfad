import { latestPublishedStatements } from '../../../domain/statements/read-statements';
import { StatementStatus } from '../../../shared/schemas/statement-basics';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { presentProvinces } from '../../presenters/province.presenter';
import { z } from 'zod';
import { lookupReceipt } from '../../../domain/statements/lookup-receipt';
import { submitPublicStatement } from '../../../domain/statements/submit-public-statement';
import { SUBMISSION_KEY } from '../../../domain/statements/statement-fields';
import { AppError } from '../../../shared/app-error';
import type { RouteModule } from '../../app';
import { presentPublicStatement } from '../../presenters/statement.presenter';
import { CountersOut, DailyOut, ErrorOut, ProvincesOut, PublicStatementOut, PublicSubmissionBody, ReceiptLookupBody, ReceiptStatusOut, sendJsonText } from './schemas';

const tags = ['public'];
/** SSE heartbeat: a comment line that keeps proxies from closing an idle stream. */
export const SSE_HEARTBEAT_MS = 25_000;
/** What a visitor turned away from a full set of streams is told to wait before trying again. */
export const STREAMS_FULL_RETRY_SECONDS = 60;
const perMinute = (max: number) => ({ max, timeWindow: 60_000 });

/**
 * The public registry API: counters from memory (plain JSON and SSE), the daily chart, the latest
 * statements, proof-of-work challenges, submission and receipt lookup. Rate limits key on the
 * daily-rotated keyed hash of the address; no address is stored or logged.
 */
export const registryPublicRoutes: RouteModule = async (fastify, ctx) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { deps, config } = ctx;
  const { counters: cache, antiAbuse: guard, statementWriter } = ctx.services;

  // Never touches the database: the JSON text is made once per change.
  app.get('/api/public/counters', { schema: { tags, summary: 'The live total and today (CST), from memory', response: { 200: CountersOut } } }, (_request, reply) => {
    sendJsonText(reply.header('cache-control', 'no-cache'), cache.snapshotJson());
  });

  // Open streams never go idle; end them when the server shuts down, or closing would wait forever.
  const streams = new Set<{ end(): unknown }>();
  fastify.addHook('preClose', (done) => {
    for (const stream of streams) stream.end();
    done();
  });

  // Each open stream holds a socket and a listener, so their number is capped for all visitors
  // together and per client address (its daily keyed hash, as the rate limits use): beyond either
  // the page falls back to polling the JSON counters, which cost nothing. Nothing about the
  // turned-away visitor is kept or logged; the per-client counts live only while streams are open.
  const perClient = new Map<string, number>();
  app.get(
    '/api/public/counters/stream',
    {
      schema: {
        tags,
        summary: 'Server-sent events: `event: counters` now and after each change (503 with Retry-After while the server, or this client, holds its maximum of streams)',
        response: { 503: ErrorOut },
      },
    },
    (request, reply) => {
      const client = ctx.clientKeyer.keyFor(request.ip);
      if (streams.size >= config.HOTLINE_PUBLIC_STREAMS_MAX || (perClient.get(client) ?? 0) >= config.HOTLINE_PUBLIC_STREAMS_PER_CLIENT) {
        void reply
          .status(503)
          .header('retry-after', String(STREAMS_FULL_RETRY_SECONDS))
          .header('cache-control', 'no-store')
          .send({ error: { code: 'STREAMS_FULL', message: 'Too many live streams are open; read /api/public/counters instead, or try again later' } });
        return;
      }
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
        'x-content-type-options': 'nosniff',
      });
      const send = (json: string) => raw.write(`event: counters\ndata: ${json}\n\n`);
      send(cache.snapshotJson());
      const stop = cache.onChange(() => send(cache.snapshotJson()));
      const heartbeat = setInterval(() => raw.write(': heartbeat\n\n'), SSE_HEARTBEAT_MS);
      streams.add(raw);
      perClient.set(client, (perClient.get(client) ?? 0) + 1);
      let isOpen = true;
      const cleanUp = () => {
        if (!isOpen) return;
        isOpen = false;
        clearInterval(heartbeat);
        stop();
        streams.delete(raw);
        const left = (perClient.get(client) ?? 1) - 1;
        if (left > 0) perClient.set(client, left);
        else perClient.delete(client);
      };
      request.raw.on('close', cleanUp);
      raw.on('close', cleanUp);
    },
  );

  // Totals by province, from memory: the counters' province rollup, kept current like the total.
  app.get(
    '/api/public/provinces',
    {
      schema: { tags, summary: 'Totals by province, most people first, with names in three languages (from memory)', response: { 200: ProvincesOut } },
    },
    (_request, reply) => {
      sendJsonText(reply.header('cache-control', 'public, max-age=10'), cache.byProvinceJsonText(presentProvinces));
    },
  );

  app.get(
    '/api/public/daily',
    {
      schema: { tags, summary: 'Daily counts (CST), oldest first, from memory', querystring: z.object({ days: z.coerce.number().int().min(1).max(120).default(90) }), response: { 200: DailyOut } },
    },
    (request, reply) => {
      sendJsonText(reply, cache.dailyJsonText(request.query.days));
    },
  );

  app.get(
    '/api/public/statements',
    {
      config: { rateLimit: perMinute(120) },
      schema: {
        tags,
        summary: 'The latest published statements, newest first',
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(100).default(20), before: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional() }),
        response: { 200: z.object({ statements: z.array(PublicStatementOut) }) },
      },
    },
    async (request) => {
      const rows = await latestPublishedStatements(deps, request.query.limit, request.query.before);
      return { statements: rows.map(presentPublicStatement) };
    },
  );

  app.get(
    '/api/public/pow',
    {
      // A few challenges per allowed submission (pages reloaded, challenges expired), at least 60.
      config: { rateLimit: perMinute(Math.max(60, 6 * config.HOTLINE_PUBLIC_SUBMIT_PER_MINUTE)) },
      schema: {
        tags,
        summary: 'A proof-of-work challenge: find a nonce so that SHA-256(challenge + ":" + nonce) starts with `difficulty` zero bits',
        response: { 200: z.object({ challenge: z.string(), difficulty: z.number(), expiresAt: z.number() }) },
      },
    },
    async (_request, reply) => reply.header('cache-control', 'no-store').send(guard.issuePow()),
  );

  app.post(
    '/api/public/statements',
    {
      config: { rateLimit: perMinute(config.HOTLINE_PUBLIC_SUBMIT_PER_MINUTE) },
      schema: {
        tags,
        summary: 'Submit a statement (needs a solved proof of work from GET /api/public/pow)',
        description:
          'Send an `Idempotency-Key` header (16 to 64 letters, digits, `-` or `_`, random per statement) and send it again with every retry: ' +
          'however often the statement is sent with the key, it is stored once and every answer carries the same receipt code. ' +
          'A retry after the first attempt was stored needs no new proof of work.',
        headers: z.object({ 'idempotency-key': z.string().regex(SUBMISSION_KEY, 'expected 16 to 64 letters, digits, "-" or "_"').optional() }),
        body: PublicSubmissionBody,
        response: { 201: z.object({ receiptCode: z.string(), status: StatementStatus }), 400: ErrorOut },
      },
    },
    async (request, reply) => {
      const { pow, website, ...input } = request.body;
      const submissionKey = request.headers['idempotency-key'];
      const result = await submitPublicStatement(deps, {
        ...(submissionKey === undefined ? {} : { submissionKey }),
        input,
        antiAbuse: { ...(pow ? { pow } : {}), ...(website === undefined ? {} : { honeypot: website }) },
        channel: 'api',
        guard,
        writer: statementWriter,
      });
      return reply.status(201).header('cache-control', 'no-store').send(result);
    },
  );

  app.post(
    '/api/public/receipts/lookup',
    {
      config: { rateLimit: perMinute(20) },
      schema: { tags, summary: 'The status of a statement, by its receipt code', body: ReceiptLookupBody, response: { 200: ReceiptStatusOut, 404: ErrorOut } },
    },
    async (request, reply) => {
      const status = await lookupReceipt(deps, request.body.code);
      if (!status) throw new AppError('NOT_FOUND', 'Not found');
      return reply.header('cache-control', 'no-store').send(status);
    },
  );
};
