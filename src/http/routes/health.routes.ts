import { checkDatabase } from '../../domain/health';
import { z } from 'zod';
import type { RouteModule } from '../app';

/**
 * GET /healthz answers once the server is ready (database reachable), and says whether this
 * instance holds the lease (runs the queue's timers and the hourly jobs; always true for one instance).
 */
export const healthRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/healthz',
    { schema: { hide: true, response: { 200: z.object({ status: z.literal('ok'), lease: z.boolean() }) } } },
    async (_request, reply) => {
      await checkDatabase(ctx.deps);
      return reply.header('cache-control', 'no-store').send({ status: 'ok' as const, lease: ctx.services.cluster.lease.isHeld() });
    },
  );
};
