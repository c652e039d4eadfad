import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app';
import { REDACTED_PATHS } from '../../src/logging';
import { type TestHotline, startTestHotline } from '../support/test-runtime';

let t: TestHotline;
beforeAll(async () => {
  t = await startTestHotline();
});
afterAll(async () => {
  await t.close();
});

describe('request logging', () => {
  it('writes no visitor address and no personal field, even on errors', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = pino({ level: 'trace', redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, sink);
    const app = await buildApp({ deps: t.runtime, config: { ...t.config, HOTLINE_TRUST_PROXY: true }, logger });
    await app.ready();
    const headers = { 'x-forwarded-for': '203.0.113.77', 'x-real-ip': '198.51.100.23' };
    await app.inject({ method: 'GET', url: '/healthz', headers, remoteAddress: '192.0.2.45' });
    await app.inject({ method: 'POST', url: '/api/auth/login', headers, remoteAddress: '192.0.2.45', payload: { username: 'nobody', password: '王小明 +8613812345678' } });
    await app.inject({ method: 'GET', url: '/no/such/page', headers, remoteAddress: '192.0.2.45' });
    await app.close();
    const log = lines.join('');
    expect(log).toContain('"route":"/healthz"');
    expect(log).toContain('"status":401');
    for (const forbidden of ['203.0.113.77', '198.51.100.23', '192.0.2.45', '王小明', '13812345678', 'remoteAddress']) {
      expect({ forbidden, logged: log.includes(forbidden) }).toEqual({ forbidden, logged: false });
    }
  });
});
