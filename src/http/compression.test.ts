import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { chooseEncoding, installCompression } from './compression';

describe('chooseEncoding', () => {
  it('prefers brotli, falls back to gzip, and honours q=0', () => {
    expect(chooseEncoding('gzip, deflate, br')).toBe('br');
    expect(chooseEncoding('gzip')).toBe('gzip');
    expect(chooseEncoding('br;q=0, gzip')).toBe('gzip');
    expect(chooseEncoding('identity')).toBeUndefined();
    expect(chooseEncoding(undefined)).toBeUndefined();
  });
});

describe('response compression', () => {
  async function app() {
    const a = fastify();
    installCompression(a);
    const page = `<p>${'平安 '.repeat(2000)}</p>`;
    a.get('/page', async (_req, reply) => reply.type('text/html; charset=utf-8').send(page));
    a.get('/small', async (_req, reply) => reply.type('text/html').send('<p>hi</p>'));
    a.get('/events', async (_req, reply) => reply.type('text/event-stream').send('x'.repeat(5000)));
    await a.ready();
    return { a, page };
  }

  it('compresses pages with brotli or gzip as asked, and not small or event-stream answers', async () => {
    const { a, page } = await app();
    const br = await a.inject({ url: '/page', headers: { 'accept-encoding': 'gzip, br' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(page);
    expect(br.rawPayload.length).toBeLessThan(Buffer.byteLength(page) / 10);
    const gz = await a.inject({ url: '/page', headers: { 'accept-encoding': 'gzip' } });
    expect(gunzipSync(gz.rawPayload).toString()).toBe(page);
    const plain = await a.inject({ url: '/page' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(page);
    expect((await a.inject({ url: '/small', headers: { 'accept-encoding': 'br' } })).headers['content-encoding']).toBeUndefined();
    expect((await a.inject({ url: '/events', headers: { 'accept-encoding': 'br' } })).headers['content-encoding']).toBeUndefined();
    await a.close();
  });
});
