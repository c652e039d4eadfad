import { type ChildProcess, spawn } from 'node:child_process';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/domain/auth/policy';
import { solvePow } from '../../../src/domain/statements/anti-abuse';
import { buildApp } from '../../../src/http/app';
import { registerStatement } from '../../../src/domain/statements/register-statement';
import { type TestHotline, freshInstallEnv, startTestHotline } from '../../support/test-runtime';
import { publicSubmission, registryTestEnv } from './helpers';
import { freePort } from '../../support/free-port';


/** Starts `node bin/hotline.js serve` and waits until it answers. */
async function serve(dir: string, env: Record<string, string>, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [path.resolve('bin/hotline.js'), 'serve'], { cwd: dir, env: { PATH: process.env.PATH ?? '', ...env, PORT: String(port) }, stdio: 'ignore' });
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error('the server did not start');
}

describe('durability', () => {
  it('an acknowledged statement survives kill -9 of the server right after the 201', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hotline-durable-'));
    const { env: baseEnv, pg } = await freshInstallEnv(dir);
    const env = { ...baseEnv, ...registryTestEnv };
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    let child = await serve(dir, env, port);
    try {
      const receipts: string[] = [];
      for (const name of ['平安', '如意', '吉祥']) {
        const { challenge, difficulty } = (await (await fetch(`${base}/api/public/pow`)).json()) as { challenge: string; difficulty: number };
        const response = await fetch(`${base}/api/public/statements`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ ...publicSubmission({ name }), pow: { challenge, nonce: solvePow(challenge, difficulty) } }),
        });
        expect(response.status).toBe(201);
        receipts.push(((await response.json()) as { receiptCode: string }).receiptCode);
      }
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('close', resolve));
      child = await serve(dir, env, port);
      for (const code of receipts) {
        const lookup = await fetch(`${base}/api/public/receipts/lookup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) });
        expect(lookup.status).toBe(200);
        expect(await lookup.json()).toEqual({ status: 'pending' });
      }
    } finally {
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('close', resolve));
      await pg?.drop();
      rmSync(dir, { recursive: true, force: true });
    }
    // Two server start-ups: generous on a busy CI machine.
  }, 120_000);
});

describe('live counters by server-sent events', () => {
  let t: TestHotline;
  let base: string;
  beforeAll(async () => {
    t = await startTestHotline({ env: registryTestEnv });
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('sends the current value at once, then each change, and forgets a closed stream', async () => {
    const volunteer: Actor = { id: 'v-sse', role: 'volunteer', username: 'vsse' };
    const events: { total: { people: number } }[] = [];
    let response: IncomingMessage | undefined;
    const request = httpRequest(`${base}/api/public/counters/stream`);
    const gotTwo = new Promise<void>((resolve) => {
      request.on('response', (res) => {
        response = res;
        let buffer = '';
        res.on('data', (chunk: Buffer) => {
          buffer += chunk.toString();
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = /^event: counters\ndata: (.*)$/m.exec(block);
            if (data?.[1] !== undefined) events.push(JSON.parse(data[1]) as { total: { people: number } });
            if (events.length === 1) {
              void registerStatement(t.runtime, {
                actor: volunteer,
                input: {
                  nameKind: 'pseudonym',
                  name: '万顺',
                  cohorts: [{ count: 19, organizations: ['party'] }],
                  region: '430121',
                  channel: 'outbound',
                  text: '',
                  provenance: { kind: 'volunteer', consent: 'personal' },
                },
              });
            }
            if (events.length === 2) resolve();
          }
        });
      });
    });
    request.end();
    await gotTwo;
    expect(response?.headers['content-type']).toContain('text/event-stream');
    expect((events[1]?.total.people ?? 0) - (events[0]?.total.people ?? 0)).toBe(19);
    expect(t.app.services.counters.listenerCount).toBe(1);
    request.destroy();
    for (let i = 0; i < 50 && t.app.services.counters.listenerCount > 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(t.app.services.counters.listenerCount).toBe(0);
  });

  it('ends open streams when the server shuts down', async () => {
    const other = await startTestHotline({ env: registryTestEnv });
    const url = await other.app.listen({ port: 0, host: '127.0.0.1' });
    const ended = new Promise<void>((resolve) => {
      httpRequest(`${url}/api/public/counters/stream`, (res) => {
        res.once('data', () => {
          void other.close();
        });
        res.on('end', resolve);
        res.on('error', () => {
          resolve();
        });
      }).end();
    });
    await ended;
  });

  it('serves the counters for partner sites from memory, with CORS', async () => {
    const response = await fetch(`${base}/feeds/counters.json`);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    const body = (await response.json()) as { total: { people: number } };
    expect(body.total.people).toBe(19);
    // From memory: the counters answer even with the counter table gone.
    await t.runtime.store.kysely.deleteFrom('counters').execute();
    expect(((await (await fetch(`${base}/api/public/counters`)).json()) as { total: { people: number } }).total.people).toBe(19);
  });

  it('publishes feeds of a day in JSON, CSV and RSS with public fields only', async () => {
    const day = ((await (await fetch(`${base}/api/public/counters`)).json()) as { day: string }).day;
    const json = (await (await fetch(`${base}/feeds/statements/${day}.json`)).json()) as { statements: { publicName: string; counts: { people: number } }[] };
    expect(json.statements[0]).toMatchObject({ publicName: '万顺', counts: { people: 19 } });
    const csv = await (await fetch(`${base}/feeds/statements/${day}.csv`)).text();
    expect(csv.split('\r\n')[0]).toBe('sequence,publicName,provinceCode,publishedAt,day,people,party,league,pioneers,text,correctedAt');
    expect(csv).toContain('"万顺","430000"');
    const rss = await fetch(`${base}/feeds/statements/${day}.rss`);
    expect(rss.headers.get('content-type')).toContain('application/rss+xml');
    const rssText = await rss.text();
    expect(rssText).toContain('<title>#1 万顺</title>');
    expect(rssText).toContain(`<title>${day} 的声明</title>`);
    // In the reader's language, with a link to the pages in it.
    const english = await (await fetch(`${base}/feeds/statements/${day}.rss?lang=en`)).text();
    expect(english).toContain(`<title>Statements of ${day}</title>`);
    expect(english).toContain('<language>en</language>');
    expect(await (await fetch(`${base}/feeds/statements/${day}.rss?lang=zh-Hant`)).text()).toContain(`<title>${day} 的聲明</title>`);
    expect(JSON.stringify(json)).not.toMatch(/registered|provenance|consent|realName/i);
  });
});

describe('a flood of live-counter readers', () => {
  const MAX = 3;
  let t: TestHotline;
  let app: FastifyInstance;
  let base: string;
  const logLines: string[] = [];
  beforeAll(async () => {
    t = await startTestHotline({ env: { ...registryTestEnv, HOTLINE_PUBLIC_STREAMS_MAX: String(MAX) } });
    // The same server with every log line kept, to check that no visitor address is written.
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(chunk.toString());
        done();
      },
    });
    app = await buildApp({ deps: t.runtime, config: t.config, logger: pino({ level: 'trace' }, sink) });
    base = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await app.close();
    await t.close();
  });

  /** Opens a stream; resolves with the status, the Retry-After header, and (for 200) once the first event arrived. */
  function openStream(): Promise<{ status: number; retryAfter: string | undefined; body: string; close(): void }> {
    return new Promise((resolve, reject) => {
      const request = httpRequest(`${base}/api/public/counters/stream`, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => {
          body += chunk.toString();
          if (res.statusCode === 200 && body.includes('\n\n')) resolve({ status: 200, retryAfter: undefined, body, close: () => request.destroy() });
        });
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'], body, close: () => request.destroy() });
        });
      });
      request.on('error', reject);
      request.end();
    });
  }

  it('holds at most the configured number of streams, answers the next 503 with Retry-After, and still serves the counters from memory', async () => {
    const open = [];
    for (let i = 0; i < MAX; i++) open.push(await openStream());
    expect(open.map((stream) => stream.status)).toEqual([200, 200, 200]);
    expect(open[0]?.body).toMatch(/^event: counters\ndata: \{/);

    const refused = await openStream();
    expect(refused.status).toBe(503);
    expect(refused.retryAfter).toBe('60');
    expect(JSON.parse(refused.body)).toMatchObject({ error: { code: 'STREAMS_FULL' } });

    const counters = await fetch(`${base}/api/public/counters`);
    expect(counters.status).toBe(200);
    expect(((await counters.json()) as { total: { people: number } }).total.people).toBeGreaterThanOrEqual(0);
    expect((await fetch(`${base}/`)).status).toBe(200);

    // A stream that closes frees its place.
    open[0]?.close();
    let again = await openStream();
    for (let i = 0; i < 50 && again.status !== 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      again = await openStream();
    }
    expect(again.status).toBe(200);
    for (const stream of [...open.slice(1), again]) stream.close();

    // Turned away or served, no visitor address was logged (the server's own listening address aside).
    const requestLines = logLines.filter((line) => !line.includes('Server listening at'));
    expect(requestLines.some((line) => line.includes('"route":"/api/public/counters/stream"') && line.includes('"status":503'))).toBe(true);
    expect(requestLines.join('\n')).not.toContain('127.0.0.1');
  });
});

describe('live-counter streams per client address', () => {
  let t: TestHotline;
  let app: FastifyInstance;
  let base: string;
  beforeAll(async () => {
    // Behind a proxy that names the client (as a deployment behind nginx does); the caps are the defaults.
    t = await startTestHotline({ env: { ...registryTestEnv, HOTLINE_TRUST_PROXY: 'true' } });
    app = await buildApp({ deps: t.runtime, config: t.config, logger: pino({ level: 'silent' }) });
    base = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await app.close();
    await t.close();
  });

  function openStream(client: string): Promise<{ status: number; close(): void }> {
    return new Promise((resolve, reject) => {
      const request = httpRequest(`${base}/api/public/counters/stream`, { headers: { 'x-forwarded-for': client } }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => {
          body += chunk.toString();
          if (res.statusCode === 200 && body.includes('\n\n')) resolve({ status: 200, close: () => request.destroy() });
        });
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, close: () => request.destroy() });
        });
      });
      request.on('error', reject);
      request.end();
    });
  }

  it('serves another client after one client opened 50 streams, and refuses that client its 51st', async () => {
    expect(t.config.HOTLINE_PUBLIC_STREAMS_PER_CLIENT).toBe(50);
    const greedy = await Promise.all(Array.from({ length: 50 }, () => openStream('203.0.113.7')));
    expect(greedy.every((stream) => stream.status === 200)).toBe(true);
    const fiftyFirst = await openStream('203.0.113.7');
    expect(fiftyFirst.status).toBe(503);
    const other = await openStream('198.51.100.20');
    expect(other.status).toBe(200);
    // A closed stream gives its client the place back.
    greedy[0]?.close();
    let again = await openStream('203.0.113.7');
    for (let i = 0; i < 50 && again.status !== 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      again = await openStream('203.0.113.7');
    }
    expect(again.status).toBe(200);
    for (const stream of [...greedy.slice(1), other, again]) stream.close();
  });
});
