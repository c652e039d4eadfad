import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { readLogTile } from '../../domain/transparency/read-log';
import { parseTilePath } from '../../tlog/tiles';
import type { RouteModule } from '../app';

const gzipAsync = promisify(gzip);
const tags = ['transparency log'];
/** Tiles never change once served: a year, immutable. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** Whether an Accept-Encoding header takes gzip (not refused with q=0). */
function acceptsGzip(header: string | undefined): boolean {
  return (header ?? '').split(',').some((part) => {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    return (name === 'gzip' || name === '*') && !params.some((param) => /^\s*q=0(\.0*)?\s*$/.test(param));
  });
}

/**
 * The transparency log as C2SP tlog-tiles static resources under `/log/`: the signed checkpoint
 * (with witnesses' cosignatures), hash tiles and entry bundles (gzip-compressed for clients that
 * accept it). See docs/transparency-log.md.
 */
export const logRoutes: RouteModule = (fastify, ctx) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
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
        const bundle = await readLogTile(ctx.deps, head, tile);
        if (!bundle) return reply.code(404).header('cache-control', 'no-store').type('text/plain; charset=utf-8').send('No such entry bundle in the latest checkpoint.\n');
        // Compressed for clients that take gzip (C2SP tlog-tiles); immutable, so proxies keep it.
        if (!acceptsGzip(request.headers['accept-encoding'])) return reply.header('cache-control', IMMUTABLE).type('application/octet-stream').send(bundle);
        return reply.header('cache-control', IMMUTABLE).header('content-encoding', 'gzip').type('application/octet-stream').send(await gzipAsync(bundle, { level: 6 }));
      }
      const hashes = await readLogTile(ctx.deps, head, tile);
      if (!hashes) return reply.code(404).header('cache-control', 'no-store').type('text/plain; charset=utf-8').send('No such tile in the latest checkpoint.\n');
      return reply.header('cache-control', IMMUTABLE).type('application/octet-stream').send(hashes);
    },
  );
};
