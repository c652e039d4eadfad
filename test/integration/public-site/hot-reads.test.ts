import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerStatement } from '../../../src/domain/statements/register-statement';
import { buildApp } from '../../../src/http/app';
import { type TestHotline, startTestHotline } from '../../support/test-runtime';
import { signUpStaff } from '../../support/staff';
import { registryTestEnv } from '../registry/helpers';

/** The ready-made public answers, over a real socket (they are sent before Fastify, which app.inject skips). */
let t: TestHotline;
let app: FastifyInstance;
let base: string;
let volunteer: Awaited<ReturnType<typeof signUpStaff>>;

beforeAll(async () => {
  t = await startTestHotline({ env: registryTestEnv });
  app = await buildApp({ deps: t.runtime, config: t.config, logger: pino({ level: 'silent' }), services: t.app.services });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
  volunteer = await signUpStaff(t, 'volunteer');
});
afterAll(async () => {
  await app.close();
  await t.close();
});

/** Asks until the ready-made answer is there (the first request makes it, Fastify answers meanwhile). */
async function readyAnswer(url: string, headers: Record<string, string> = {}): Promise<Response> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const response = await fetch(`${base}${url}`, { headers });
    if (response.headers.get('etag')) return response;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`no ready-made answer for ${url}`);
}

describe('ready-made public answers', () => {
  it('answer the counters with the route\'s own headers and an ETag, and 304 to a reader who has them', async () => {
    const direct = await t.app.inject({ method: 'GET', url: '/api/public/counters' });
    const ready = await readyAnswer('/api/public/counters');
    expect(await ready.text()).toBe(direct.body);
    for (const header of ['content-type', 'cache-control', 'x-content-type-options', 'referrer-policy']) expect(ready.headers.get(header)).toBe(direct.headers[header]);
    const etag = ready.headers.get('etag') ?? '';
    const again = await fetch(`${base}/api/public/counters`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
  });

  it('are made again as soon as the counters change: a new statement is in the next answer', async () => {
    const before = (await (await readyAnswer('/api/public/counters')).json()) as { total: { people: number } };
    await registerStatement(t.runtime, {
      actor: { id: volunteer.userId, role: 'volunteer' } as never,
      input: { nameKind: 'pseudonym', name: '万顺', cohorts: [{ count: 19, organizations: ['party'] }], region: '430121', channel: 'outbound', text: '', provenance: { kind: 'volunteer', consent: 'personal' } },
    });
    // Shown once a signed checkpoint of the transparency log holds it.
    await t.app.services.log.sequenceNow();
    const after = (await (await fetch(`${base}/api/public/counters`)).json()) as { total: { people: number } };
    expect(after.total.people).toBe(before.total.people + 19);
  });

  it('serve the home page compressed as the browser asks, in the language it asks for at /', async () => {
    const brotli = await readyAnswer('/', { 'accept-encoding': 'br', 'accept-language': 'en-GB,en;q=0.9' });
    expect(brotli.headers.get('content-encoding')).toBe('br');
    expect(brotli.headers.get('vary')).toMatch(/Accept-Language/);
    const english = await brotli.text();
    expect(english).toContain('lang="en"');
    const chinese = await (await readyAnswer('/', { 'accept-encoding': 'br', 'accept-language': 'zh-CN' })).text();
    expect(chinese).toContain('lang="zh-Hans"');
  });

  it('do not limit one client address: 400 reads of the home page from one address in a minute are all answered', async () => {
    let refused = 0;
    for (let index = 0; index < 400; index++) if ((await fetch(`${base}/en/`)).status !== 200) refused += 1;
    expect(refused).toBe(0);
  });
});
