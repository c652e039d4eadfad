import { z } from 'zod';
import type { RouteModule } from '../app';

/** GET /healthz answers once the server is ready (database reachable). */
export const healthRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/healthz',
    { schema: { hide: true, response: { 200: z.object({ status: z.literal('ok') }) } } },
    async () => {
      await ctx.deps.store.meta.get('keyring_id');
      return { status: 'ok' as const };
    },
  );
};
