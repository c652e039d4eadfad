import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteModule } from '../../src/http/app';
import { buildApp } from '../../src/http/app';
import { createLogger } from '../../src/logging';
import { type TestHotline, startTestHotline } from '../support/test-runtime';

let t: TestHotline;
beforeAll(async () => {
  t = await startTestHotline();
});
afterAll(async () => {
  await t.close();
});

/** A route that fails the way a bug would: an unexpected error while handling personal data. */
const failingRoute: RouteModule = (app) => {
  app.post('/api/test/explode', async () => {
    throw new TypeError('Cannot read properties of undefined (reading "region")');
  });
};

/** The app as the server builds it, logging through the real createLogger into `lines`. */
async function appLoggingTo(lines: string[]) {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const logger = createLogger('trace', { destination: sink });
  const app = await buildApp({ deps: t.runtime, config: { ...t.config, HOTLINE_TRUST_PROXY: 1 }, logger, routes: [failingRoute] });
  await app.ready();
  return app;
}

const visitor = { headers: { 'x-forwarded-for': '203.0.113.77', 'x-real-ip': '198.51.100.23' }, remoteAddress: '192.0.2.45' };
const personal = { realName: '王小明', phone: '+8613812345678', notes: '住在长沙市芙蓉区', password: 'hunter2 hunter2 hunter2' };
const forbidden = ['203.0.113.77', '198.51.100.23', '192.0.2.45', '王小明', '13812345678', '芙蓉区', 'hunter2', 'remoteAddress'];

describe('request logging through the real logger', () => {
  it('writes method, route, status and duration per request, and no visitor address or personal field', async () => {
    const lines: string[] = [];
    const app = await appLoggingTo(lines);
    await app.inject({ method: 'GET', url: '/healthz', ...visitor });
    await app.inject({ method: 'POST', url: '/api/auth/login', ...visitor, payload: { username: 'nobody', password: personal.password } });
    await app.inject({ method: 'POST', url: '/api/public/statements', ...visitor, payload: { name: personal.realName, text: personal.notes } });
    await app.inject({ method: 'GET', url: `/no/such/page?phone=${encodeURIComponent(personal.phone)}`, ...visitor });
    await app.close();
    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records.filter((r) => r.msg === 'request').map((r) => [r.method, r.route, r.status])).toEqual([
      ['GET', '/healthz', 200],
      ['POST', '/api/auth/login', 401],
      ['POST', '/api/public/statements', 400],
      ['GET', 'unmatched', 404],
    ]);
    const log = lines.join('');
    for (const text of forbidden) expect({ text, logged: log.includes(text) }).toEqual({ text, logged: false });
  });

  it('logs an unexpected error (500) by type and message only, without the request, its body or address', async () => {
    const lines: string[] = [];
    const app = await appLoggingTo(lines);
    const response = await app.inject({ method: 'POST', url: '/api/test/explode', ...visitor, payload: personal });
    await app.close();
    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({ error: { code: 'INTERNAL', message: 'Something went wrong on the server' } });
    const records = lines.map((line) => JSON.parse(line) as { level: number; msg: string; error?: { type: string; message: string; stack: string } });
    const failure = records.find((r) => r.msg === 'request failed');
    expect(failure).toMatchObject({ level: 50, error: { type: 'TypeError', message: 'Cannot read properties of undefined (reading "region")' } });
    expect(Object.keys(failure!).sort()).toEqual(['error', 'hostname', 'level', 'msg', 'pid', 'reqId', 'time']);
    expect(records.find((r) => r.msg === 'request')).toMatchObject({ route: '/api/test/explode', status: 500 });
    const log = lines.join('');
    for (const text of forbidden) expect({ text, logged: log.includes(text) }).toEqual({ text, logged: false });
  });

  it('redacts personal fields by name wherever a log line carries them by mistake', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = createLogger('info', { destination: sink });
    logger.info({ call: { phone: personal.phone, notes: personal.notes, realName: personal.realName }, ip: '192.0.2.45', token: 'abc' }, 'oops');
    expect(lines.join('')).not.toMatch(/13812345678|芙蓉区|王小明|192\.0\.2\.45|"abc"/);
    expect(JSON.parse(lines[0]!)).toMatchObject({ call: { phone: '[redacted]', notes: '[redacted]', realName: '[redacted]' }, ip: '[redacted]' });
  });
});
