import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { readLogTile } from '../../domain/transparency/read-log';
import { parseTilePath } from '../../tlog/tiles';
import type { RouteModule } from '../app';
import { chooseEncoding } from '../compression';

const gzipAsync = promisify(gzip);
const tags = ['transparency log'];
/** Tiles never change once served: a year, immutable. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** Compressed full entry bundles, the most recently asked for first out last (they never change). */
class BundleCache {
  private readonly bundles = new Map<string, Buffer>();
  constructor(private readonly capacity: number) {}
  get(key: string): Buffer | undefined {
    const found = this.bundles.get(key);
    if (found) {
      this.bundles.delete(key);
      this.bundles.set(key, found);
    }
    return found;
  }
  set(key: string, value: Buffer): void {
    this.bundles.set(key, value);
    if (this.bundles.size > this.capacity) this.bundles.delete(this.bundles.keys().next().value as string);
  }
}

/**
 * The transparency log as C2SP tlog-tiles static resources under `/log/`: the signed checkpoint
 * (with witnesses' cosignatures), hash tiles and entry bundles (gzip-compressed for clients that
 * accept it). See docs/transparency-log.md.
 */
export const logRoutes: RouteModule = (fastify, ctx) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const bundles = new BundleCache(256);

  app.get(
    '/log/checkpoint',
    {
      schema: {
        tags,
        summary: 'The latest signed checkpoint (C2SP tlog-checkpoint, signed note with Ed25519, witnesses cosignatures)',
        produces: ['text/plain'],
        response: { 200: z.string(), 503: z.string() },
      },
    },
    async (_request, reply) => {
      const head = await ctx.services.log.head();
      if (!head) return reply.code(503).header('cache-control', 'no-store').type('text/plain; charset=utf-8').send('The log has not signed its first checkpoint yet.\n');
      return reply.header('cache-control', 'public, max-age=2').type('text/plain; charset=utf-8').send(head.note);
    },
  );

  app.get(
    '/log/key',
    {
      schema: {
        tags,
        summary: "The log's verifier key (signed-note format) and origin",
        produces: ['text/plain'],
        response: { 200: z.string() },
      },
    },
    async (_request, reply) => reply.header('cache-control', 'public, max-age=300').type('text/plain; charset=utf-8').send(`${ctx.services.log.verifierKey}\n`),
  );

  app.get(
    '/log/tile/*',
    {
      schema: {
        tags,
        summary: 'A hash tile (tile/<L>/<N>[.p/<W>]) or an entry bundle (tile/entries/<N>[.p/<W>]) (C2SP tlog-tiles)',
        produces: ['application/octet-stream'],
        params: z.object({ '*': z.string() }),
      },
    },
    async (request, reply) => {
      const tile = parseTilePath(`tile/${request.params['*']}`);
      if (!tile) return reply.code(404).type('text/plain; charset=utf-8').send('Not a tile path (C2SP tlog-tiles: tile/<L>/<N>[.p/<W>] or tile/entries/<N>[.p/<W>]).\n');
      const head = await ctx.services.log.head();
      void reply.header('vary', 'Accept-Encoding');
      if (tile.level === 'entries') {
        const isGzip = chooseEncoding(request.headers['accept-encoding']) !== undefined && /gzip/i.test(request.headers['accept-encoding'] ?? '');
        const key = `${tile.index}/${tile.width}`;
        let compressed = isGzip ? bundles.get(key) : undefined;
        if (!compressed) {
          const bundle = await readLogTile(ctx.deps, head, tile);
          if (!bundle) return reply.code(404).header('cache-control', 'no-store').type('text/plain; charset=utf-8').send('No such entry bundle in the latest checkpoint.\n');
          if (!isGzip) return reply.header('cache-control', IMMUTABLE).type('application/octet-stream').send(bundle);
          compressed = await gzipAsync(bundle, { level: 6 });
          bundles.set(key, compressed);
        }
        return reply.header('cache-control', IMMUTABLE).header('content-encoding', 'gzip').type('application/octet-stream').send(compressed);
      }
      const hashes = await readLogTile(ctx.deps, head, tile);
      if (!hashes) return reply.code(404).header('cache-control', 'no-store').type('text/plain; charset=utf-8').send('No such tile in the latest checkpoint.\n');
      return reply.header('cache-control', IMMUTABLE).type('application/octet-stream').send(hashes);
    },
  );
};
