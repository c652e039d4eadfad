import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { CounterCache } from '../domain/counters/counter-cache';
import type { Logger } from '../logging';
import { chooseEncoding } from './compression';
import { negotiateLocale, ROUTE_PREFIXES } from './public-site/i18n';

/** The public reads answered from ready-made responses: the live counters, the figures, the home pages. */
const JSON_READS = ['/api/public/counters', '/api/public/provinces', '/api/public/daily'];
const PAGES = ROUTE_PREFIXES.map(({ prefix }) => `${prefix}/`);
/** A home page lists the latest statements, which may change without the counters (a correction): made again at least this often. */
const PAGE_MAX_AGE_MS = 5_000;
/** How often the reads answered here are summed up in the log. */
const SUMMARY_EVERY_MS = 60_000;
/** Headers of the original answer that are not kept with the ready-made one. */
const PER_ANSWER = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding', 'set-cookie', 'etag']);

interface Ready {
  version: string;
  madeAt: number;
  /** The response head as name, value, name, value ... (what `writeHead` takes fastest), with the ETag and length. */
  head: string[];
  /** The same for a 304: without the length. */
  notModifiedHead: string[];
  body: Buffer;
  etag: string;
}

/**
 * The most read public answers, served before Fastify: each is made once through the app itself
 * (so it carries exactly the headers, security headers and compression the route gives), kept with
 * an ETag, and sent again to everyone until what it was made from changes (the counters' version; a
 * page also after 5 s). A request with a query string, a method other than GET or HEAD, or arriving
 * while its answer is being made again, goes through Fastify as usual. These reads are not limited
 * per client address (many people share a circumvention tool's exit) and are not logged one line
 * each: a summary of how many were answered here goes to the log once a minute.
 */
export class HotReads {
  private readonly ready = new Map<string, Ready>();
  private readonly making = new Set<string>();
  /** Marks the app's own requests that make an answer, so the rate limit lets them through. */
  readonly renderSecret = randomBytes(18).toString('base64url');
  private app: FastifyInstance | undefined;
  private counters: CounterCache | undefined;
  private answered = new Map<string, number>();
  private summary: NodeJS.Timeout | undefined;

  constructor(
    private readonly logger: Logger,
    private readonly now: () => number,
  ) {}

  /** Starts answering once the app (whose routes make the answers) is ready. */
  attach(app: FastifyInstance, counters: CounterCache): void {
    this.app = app;
    this.counters = counters;
    this.summary = setInterval(() => {
      this.logSummary();
    }, SUMMARY_EVERY_MS);
    this.summary.unref();
  }

  close(): void {
    clearInterval(this.summary);
    this.logSummary();
    this.app = undefined;
  }

  /** Whether a request is one of the app's own (it may pass the rate limit). */
  isRender(request: { headers: IncomingMessage['headers'] }): boolean {
    return request.headers['x-hotline-render'] === this.renderSecret;
  }

  /** Answers the request when a current ready-made answer exists; false: Fastify answers it. */
  handle(request: IncomingMessage, response: ServerResponse): boolean {
    const app = this.app;
    const counters = this.counters;
    if (!app || !counters || (request.method !== 'GET' && request.method !== 'HEAD')) return false;
    const url = request.url ?? '';
    const isPage = PAGES.includes(url);
    if (!isPage && !JSON_READS.includes(url)) return false;
    if (request.headers['x-hotline-render'] !== undefined) return false;
    const encoding = chooseEncoding(request.headers['accept-encoding']) ?? 'identity';
    const locale = url === '/' ? negotiateLocale(request.headers['accept-language']) : '';
    const key = `${url}\n${encoding}\n${locale}`;
    const version = counters.version;
    const now = this.now();
    const ready = this.ready.get(key);
    const isCurrent = ready !== undefined && ready.version === version && (!isPage || (now - ready.madeAt < PAGE_MAX_AGE_MS && now >= ready.madeAt));
    if (!isCurrent) {
      this.make(key, url, encoding, request.headers['accept-language'], version, now);
      return false;
    }
    this.answered.set(url, (this.answered.get(url) ?? 0) + 1);
    if (request.headers['if-none-match'] === ready.etag) {
      response.writeHead(304, ready.notModifiedHead);
      response.end();
      return true;
    }
    response.writeHead(200, ready.head);
    response.end(request.method === 'HEAD' ? undefined : ready.body);
    return true;
  }

  /** Makes the answer through the app, once at a time per key; meanwhile Fastify answers. */
  private make(key: string, url: string, encoding: string, acceptLanguage: string | undefined, version: string, now: number): void {
    const app = this.app;
    if (!app || this.making.has(key)) return;
    this.making.add(key);
    app
      .inject({
        method: 'GET',
        url,
        headers: { 'accept-encoding': encoding, 'x-hotline-render': this.renderSecret, ...(acceptLanguage === undefined ? {} : { 'accept-language': acceptLanguage }) },
      })
      .then((made) => {
        if (made.statusCode !== 200) {
          this.ready.delete(key);
          return;
        }
        const head: string[] = [];
        for (const [name, value] of Object.entries(made.headers)) {
          if (value === undefined || PER_ANSWER.has(name)) continue;
          for (const one of Array.isArray(value) ? value : [String(value)]) head.push(name, one);
        }
        const body = made.rawPayload;
        const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
        this.ready.set(key, { version, madeAt: now, head: [...head, 'etag', etag, 'content-length', String(body.length)], notModifiedHead: [...head, 'etag', etag], body, etag });
      })
      .catch((error: unknown) => {
        this.logger.warn({ err: { message: (error as Error).message } }, 'a ready-made public answer could not be made; Fastify answers meanwhile');
      })
      .finally(() => {
        this.making.delete(key);
      });
  }

  private logSummary(): void {
    if (this.answered.size === 0) return;
    this.logger.info({ answered: Object.fromEntries(this.answered), status: 200 }, 'public reads answered from ready-made responses in the last minute');
    this.answered = new Map();
  }
}
