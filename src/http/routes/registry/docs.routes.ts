import fastifySwaggerUi from '@fastify/swagger-ui';
import type { RouteModule } from '../../app';

/**
 * The OpenAPI documentation at /api/docs (JSON at /api/docs/json), generated from the routes' zod
 * schemas. Everything is served from this server: no validator badge, no CDN.
 */
export const apiDocsRoutes: RouteModule = async (app) => {
  await app.register(fastifySwaggerUi, {
    routePrefix: '/api/docs',
    uiConfig: { validatorUrl: null, deepLinking: false },
    staticCSP: true,
  });
};
