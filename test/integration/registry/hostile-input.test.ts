import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORM_TOKEN_MIN_AGE_MS, leadingZeroBits, powDigest, solvePow } from '../../../src/domain/statements/anti-abuse';
import { type TestHotline, startTestHotline } from '../../support/test-runtime';
import { publicSubmission, registrySnapshot, registryTestEnv, solvedPow, submitPublic } from './helpers';

const MB = 'x'.repeat(1024 * 1024);
const SQL = "'; DROP TABLE statements; --";
const HTML = '<script>alert(1)</script><img src=x onerror=alert(1)>';

describe('hostile input on every public endpoint', () => {
  let t: TestHotline;
  let before: unknown;
  beforeAll(async () => {
    t = await startTestHotline({ env: registryTestEnv });
    // Something stored already, so "unchanged" means more than "still empty".
    expect((await submitPublic(t, { name: '如意' })).statusCode).toBe(201);
    before = await registrySnapshot(t);
  });
  afterAll(async () => {
    await t.close();
  });

  // InjectOptions rather than Parameters<inject>: with @fastify/websocket's typings loaded, the last
  // overload of inject() is the chain form without arguments.
  const expect4xx = async (request: InjectOptions, code?: string | RegExp): Promise<{ error: { code: string; message: string } }> => {
    const response = await t.app.inject(request);
    expect(response.statusCode, `${JSON.stringify(request).slice(0, 200)} -> ${response.body.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
    expect(response.statusCode).toBeLessThan(500);
    const body = response.json<{ error: { code: string; message: string } }>();
    expect(body.error.message.length).toBeGreaterThan(0);
    if (code !== undefined) expect(body.error.code).toMatch(code);
    // Hostile strings are never echoed back.
    expect(response.body).not.toContain('<script>');
    expect(response.body).not.toContain('DROP TABLE');
    return body;
  };
  const submit = async (body: Record<string, unknown>) => ({ method: 'POST' as const, url: '/api/public/statements', payload: { ...body, pow: await solvedPow(t) } });

  it('POST /api/public/statements refuses wrong types, missing and oversized fields', async () => {
    for (const bad of [
      { name: 42 },
      { nameKind: 'nickname' },
      { organizations: [] },
      { organizations: ['party', 'party'] },
      { organizations: ['ccp'] },
      { organizations: 'party' },
      { peopleCount: 0 },
      { peopleCount: 1001 },
      { peopleCount: 1.5 },
      { peopleCount: 'many' },
      { region: '999999' },
      { region: '11000' },
      { region: SQL },
      { region: 'china' },
      { text: 'x'.repeat(2001) },
      { consent: false },
      { consent: 'yes' },
      { name: '' },
      { name: 'x'.repeat(101) },
    ]) {
      await expect4xx(await submit(publicSubmission(bad)), 'VALIDATION_FAILED');
    }
    const { consent: _omitted, ...withoutConsent } = publicSubmission();
    await expect4xx(await submit(withoutConsent), 'VALIDATION_FAILED');
    await expect4xx({ method: 'POST', url: '/api/public/statements', payload: { ...publicSubmission({ text: MB }), pow: await solvedPow(t) } }, 'PAYLOAD_TOO_LARGE');
    await expect4xx({ method: 'POST', url: '/api/public/statements', payload: '{"nameKind":', headers: { 'content-type': 'application/json' } });
    await expect4xx({ method: 'POST', url: '/api/public/statements', payload: '[]', headers: { 'content-type': 'application/json' } });
  });

  it('refuses careless pseudonyms and injection strings as names, with the reason', async () => {
    for (const [name, reason] of [
      ['111', 'HAS_DIGITS|REPEATED_CHARACTER'],
      ['asdf', 'KEYBOARD_RUN'],
      ['福福', 'REPEATED_CHARACTER'],
      ['qwerty', 'KEYBOARD_RUN'],
      ["'; DROP --", 'HAS_PUNCTUATION_OR_SYMBOLS'],
      [SQL, 'TOO_LONG'],
      ['<b>金福</b>', 'HAS_PUNCTUATION_OR_SYMBOLS|MIXED_SCRIPTS'],
    ] as const) {
      const response = await t.app.inject(await submit(publicSubmission({ name })));
      expect(response.statusCode).toBe(400);
      const body = response.json<{ error: { code: string; details: { reason: string } } }>();
      expect(body.error.code).toBe('NAME_REFUSED');
      expect(body.error.details.reason).toMatch(new RegExp(`^(${reason})$`));
    }
  });

  it('refuses leaders’ and the party’s names as pseudonyms, and the paramount leaders’ and the party’s as real names, saying why', async () => {
    for (const [nameKind, name] of [
      ['pseudonym', '习近平'],
      ['pseudonym', '習近平'],
      ['pseudonym', 'Xi Jinping'],
      ['pseudonym', '李克强'],
      ['pseudonym', '共产党'],
      ['pseudonym', '共青團'],
      ['real', '毛泽东'],
      ['real', '中国共产党'],
    ] as const) {
      const response = await t.app.inject(await submit(publicSubmission({ nameKind, name })));
      expect(response.statusCode, name).toBe(400);
      const body = response.json<{ error: { code: string; message: string; details: { reason: string } } }>();
      expect({ name, code: body.error.code, reason: body.error.details.reason }).toEqual({ name, code: 'NAME_REFUSED', reason: 'LEADER_OR_PARTY_NAME' });
      expect(body.error.message).toContain('leader');
    }
    expect(await registrySnapshot(t)).toEqual(before);
  });

  it('refuses careless real names too (digits, keyboard runs, symbols), while real names that look careless as pseudonyms pass', async () => {
    for (const [name, reason] of [
      ['111', 'HAS_DIGITS'],
      ['123', 'HAS_DIGITS'],
      ['王2', 'HAS_DIGITS'],
      ['asdf', 'KEYBOARD_RUN'],
      ['qwer', 'KEYBOARD_RUN'],
      ['qweasd', 'KEYBOARD_RUN'],
      ['!!!', 'HAS_PUNCTUATION_OR_SYMBOLS'],
      [HTML.slice(0, 12), 'HAS_PUNCTUATION_OR_SYMBOLS'],
      ['测试', 'PLACEHOLDER'],
    ] as const) {
      const response = await t.app.inject(await submit(publicSubmission({ nameKind: 'real', name })));
      expect(response.statusCode, name).toBe(400);
      const body = response.json<{ error: { code: string; details: { reason: string } } }>();
      expect(body.error.code, name).toBe('NAME_REFUSED');
      expect(body.error.details.reason, name).toBe(reason);
    }
    expect(await registrySnapshot(t)).toEqual(before);
    for (const name of ['丽丽', 'Bo']) {
      const accepted = await t.app.inject(await submit(publicSubmission({ nameKind: 'real', name })));
      expect(accepted.statusCode, name).toBe(201);
    }
    before = await registrySnapshot(t);
  });

  it('refuses a missing, wrong, forged, expired or reused proof of work', async () => {
    await expect4xx({ method: 'POST', url: '/api/public/statements', payload: publicSubmission() }, 'ANTI_ABUSE_FAILED');
    const pow = await solvedPow(t);
    // A nonce checked not to solve this challenge: a fixed one solved a random challenge now and then.
    const powDifficulty = (await t.app.inject({ method: 'GET', url: '/api/public/pow' })).json<{ difficulty: number }>().difficulty;
    let wrong = 0;
    while (leadingZeroBits(powDigest(pow.challenge, `not-a-solution-${wrong}`)) >= powDifficulty) wrong += 1;
    await expect4xx({ method: 'POST', url: '/api/public/statements', payload: { ...publicSubmission(), pow: { challenge: pow.challenge, nonce: `not-a-solution-${wrong}` } } }, /ANTI_ABUSE_FAILED/);
    await expect4xx({ method: 'POST', url: '/api/public/statements', payload: { ...publicSubmission(), pow: { challenge: `${pow.challenge}x`, nonce: pow.nonce } } }, 'ANTI_ABUSE_FAILED');
    await expect4xx({ method: 'POST', url: '/api/public/statements', payload: { ...publicSubmission(), pow: { challenge: 'x'.repeat(201), nonce: '1' } } }, 'VALIDATION_FAILED');
    // A solved challenge works once: the second use is refused.
    const once = await solvedPow(t);
    const first = await t.app.inject({ method: 'POST', url: '/api/public/statements', payload: { ...publicSubmission({ name: '吉祥' }), pow: once } });
    expect(first.statusCode).toBe(201);
    before = await registrySnapshot(t);
    const reused = await expect4xx({ method: 'POST', url: '/api/public/statements', payload: { ...publicSubmission({ name: '吉祥' }), pow: once } }, 'ANTI_ABUSE_FAILED');
    expect(JSON.stringify(reused)).toContain('POW_REUSED');
    const stale = await t.app.inject({ method: 'GET', url: '/api/public/pow' });
    const { challenge, difficulty } = stale.json<{ challenge: string; difficulty: number }>();
    t.clock.advance(11 * 60_000);
    expect(JSON.stringify(await expect4xx({ method: 'POST', url: '/api/public/statements', payload: { ...publicSubmission(), pow: { challenge, nonce: solvePow(challenge, difficulty) } } }))).toContain('POW_EXPIRED');
    await expect4xx({ method: 'POST', url: '/api/public/statements', payload: { ...publicSubmission(), formToken: 'f.forged.token.xxxx' } }, 'ANTI_ABUSE_FAILED');
  });

  it('takes no form token instead of a proof of work: tokens collected from GET /submit get nothing through the API', async () => {
    const tokens: string[] = [];
    for (let i = 0; i < 30; i++) {
      const page = await t.app.inject({ url: '/submit' });
      expect(page.statusCode).toBe(200);
      tokens.push(/name="formToken" value="([^"]*)"/.exec(page.body)?.[1] ?? '');
    }
    expect(new Set(tokens).size).toBe(30);
    t.clock.advance(FORM_TOKEN_MIN_AGE_MS + 1_000);
    for (const formToken of tokens.slice(0, 3)) {
      const refused = await expect4xx({ method: 'POST', url: '/api/public/statements', payload: { ...publicSubmission({ name: '福星' }), formToken } }, 'ANTI_ABUSE_FAILED');
      expect(JSON.stringify(refused)).toContain('POW_REQUIRED');
    }
    // Made in-process for this visitor and old enough: still not accepted by the API.
    const direct = t.app.services.antiAbuse.issueFormToken('any-visitor');
    t.clock.advance(FORM_TOKEN_MIN_AGE_MS);
    expect(JSON.stringify(await expect4xx({ method: 'POST', url: '/api/public/statements', payload: { ...publicSubmission(), formToken: direct } }))).toContain('POW_REQUIRED');
  });

  it('answers a filled honeypot like a success and stores nothing', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/api/public/statements', payload: { ...publicSubmission(), website: 'http://spam.example', pow: await solvedPow(t) } });
    expect(response.statusCode).toBe(201);
    expect(response.json<{ receiptCode: string }>().receiptCode).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    const code = response.json<{ receiptCode: string }>().receiptCode;
    expect((await t.app.inject({ method: 'POST', url: '/api/public/receipts/lookup', payload: { code } })).statusCode).toBe(404);
  });

  it('refuses bad receipt codes with a 4xx that tells nothing', async () => {
    for (const code of [42, '', 'abc', 'x'.repeat(33), MB, SQL, HTML, ['AAAA-BBBB-CCCC']]) {
      await expect4xx({ method: 'POST', url: '/api/public/receipts/lookup', payload: { code } }, /VALIDATION_FAILED|PAYLOAD_TOO_LARGE/);
    }
    const wrong = await t.app.inject({ method: 'POST', url: '/api/public/receipts/lookup', payload: { code: 'AAAA-BBBB-CCCC' } });
    expect(wrong.statusCode).toBe(404);
    expect(wrong.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'Not found' } });
  });

  it('refuses bad query strings and paths on the read endpoints and feeds', async () => {
    for (const url of [
      '/api/public/daily?days=abc',
      '/api/public/daily?days=0',
      '/api/public/daily?days=100000',
      `/api/public/daily?days=${encodeURIComponent(SQL)}`,
      '/api/public/statements?limit=abc',
      '/api/public/statements?limit=0',
      '/api/public/statements?limit=1000',
      '/api/public/statements?before=-1',
      `/api/public/statements?before=${encodeURIComponent(SQL)}`,
      `/api/public/statements?limit=${'9'.repeat(5000)}`,
      '/feeds/statements/2026-11-25.exe',
      '/feeds/statements/yesterday.json',
      `/feeds/statements/${encodeURIComponent(SQL)}.json`,
      `/feeds/statements/${encodeURIComponent(HTML)}.rss`,
      '/feeds/statements/2026-11-25.json?after=-5',
    ]) {
      await expect4xx({ method: 'GET', url });
    }
  });

  it('refuses feed days that do not exist, come before the registry or lie in the future, saying why', async () => {
    for (const [file, reason] of [
      ['2026-99-99.json', 'NOT_A_DATE'],
      ['2026-02-30.csv', 'NOT_A_DATE'],
      ['2026-02-29.rss', 'NOT_A_DATE'],
      ['2026-13-01.json', 'NOT_A_DATE'],
      ['0000-00-00.json', 'NOT_A_DATE'],
      ['2003-12-31.json', 'BEFORE_REGISTRY'],
      ['1970-01-01.csv', 'BEFORE_REGISTRY'],
      ['2026-11-27.json', 'IN_THE_FUTURE'],
      ['9999-12-31.rss', 'IN_THE_FUTURE'],
    ] as const) {
      const body = await expect4xx({ method: 'GET', url: `/feeds/statements/${file}` }, 'VALIDATION_FAILED');
      expect(body.error.message, file).toContain(`Invalid day ${file.slice(0, 10)}`);
      expect(JSON.stringify(body), file).toContain(reason);
    }
    // The fake clock stands on 2026-11-25 (CST): a leap day, the first day, today and tomorrow are fine.
    for (const file of ['2024-02-29.json', '2004-01-01.csv', '2026-11-25.rss', '2026-11-26.json']) {
      expect((await t.app.inject({ method: 'GET', url: `/feeds/statements/${file}` })).statusCode, file).toBe(200);
    }
  });

  it('left the stored statements, receipts, counters and audit log exactly as they were', async () => {
    expect(await registrySnapshot(t)).toEqual(before);
  });
});
