import { promisify } from 'node:util';
import { brotliCompress, constants as zlib, gzip } from 'node:zlib';
import type { FastifyInstance } from 'fastify';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** Responses smaller than this are sent as they are: compressing them saves less than the headers cost. */
export const COMPRESS_MIN_BYTES = 1024;

const COMPRESSIBLE = /^(text\/(html|css|plain|csv|javascript|xml)|application\/(javascript|json|xml|rss\+xml|atom\+xml)|image\/svg\+xml)\b/;

/** The encoding to use for an Accept-Encoding header: brotli first, then gzip, honouring q=0. */
export function chooseEncoding(acceptEncoding: string | undefined): 'br' | 'gzip' | undefined {
  if (!acceptEncoding) return undefined;
  const accepted = new Map<string, number>();
  for (const part of acceptEncoding.slice(0, 200).toLowerCase().split(',')) {
    const [name = '', ...params] = part.trim().split(';');
    const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    accepted.set(name.trim(), q === undefined ? 1 : Number(q));
  }
  const ok = (name: string) => (accepted.get(name) ?? accepted.get('*') ?? 0) > 0;
  if (ok('br')) return 'br';
  if (ok('gzip')) return 'gzip';
  return undefined;
}

/**
 * Compresses text answers (pages, CSS, scripts, JSON, CSV, feeds) for clients that accept it,
 * which matters on the slow circumvention links the public site is read through. Streams (static
 * files, which are precompressed, and server-sent events, which must flush as they go) pass
 * through untouched, as does anything already encoded.
 */
export function installCompression(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.method === 'HEAD' || reply.getHeader('content-encoding') !== undefined) return payload;
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
    const type = reply.getHeader('content-type');
    if (typeof type !== 'string' || !COMPRESSIBLE.test(type)) return payload;
    const bytes = typeof payload === 'string' ? Buffer.from(payload) : payload;
    if (bytes.length < COMPRESS_MIN_BYTES) return payload;
    const vary = reply.getHeader('vary');
    const varyText = Array.isArray(vary) ? vary.join(', ') : typeof vary === 'string' ? vary : '';
    if (!/accept-encoding/i.test(varyText)) void reply.header('vary', varyText === '' ? 'Accept-Encoding' : `${varyText}, Accept-Encoding`);
    const encoding = chooseEncoding(request.headers['accept-encoding']);
    if (encoding === undefined) return payload;
    const compressed =
      encoding === 'br'
        ? await brotli(bytes, { params: { [zlib.BROTLI_PARAM_QUALITY]: 5, [zlib.BROTLI_PARAM_SIZE_HINT]: bytes.length } })
        : await gzipAsync(bytes, { level: 6 });
    void reply.header('content-encoding', encoding);
    reply.removeHeader('content-length');
    return compressed;
  });
}
