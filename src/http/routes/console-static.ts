import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import { PROJECT_ROOT } from '../../shared/project-root';
import type { RouteModule } from '../app';

/** Where `npm run build` puts the console. */
export const CONSOLE_DIST = path.join(PROJECT_ROOT, 'web/console/dist');

/**
 * Serves the volunteer console (a Vite-built single-page app) at /console/. Routes live in the
 * URL's hash, so every other path under /console/ that is not a file falls back to index.html.
 */
export const consoleStaticRoutes: RouteModule = async (app) => {
  if (!existsSync(path.join(CONSOLE_DIST, 'index.html'))) {
    app.get('/console/*', { schema: { hide: true } }, async (_request, reply) =>
      reply
        .status(503)
        .type('text/plain; charset=utf-8')
        .send('The console is not built. Run `npm run build` (npm start does it for you).'),
    );
    app.get('/console', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/console/'));
    return;
  }
  await app.register(fastifyStatic, {
    root: CONSOLE_DIST,
    prefix: '/console/',
    decorateReply: true,
    wildcard: false,
    index: ['index.html'],
    setHeaders: (reply, filePath) => {
      void reply.header(
        'Cache-Control',
        filePath.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
  app.get('/console', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/console/'));
  app.get('/console/*', { schema: { hide: true } }, async (_request, reply) => reply.header('Cache-Control', 'no-cache').sendFile('index.html', CONSOLE_DIST));
};
