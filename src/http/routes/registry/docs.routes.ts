import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { authenticateSession } from '../../../domain/auth/sessions';
import type { RouteModule } from '../../app';
import { cookieNames, sessionPolicy } from '../../session-auth';

/** The OpenAPI path of a Fastify route URL (`/api/statements/:id` -> `/api/statements/{id}`). */
const openApiPath = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

/** Tags of the routes staff use to sign in and manage accounts: documented to staff only. */
const STAFF_TAGS = new Set(['auth', 'staff']);

/** `METHOD /path` of every operation only signed-in staff may see described. */
function staffOperations(app: FastifyInstance): Set<string> {
  return new Set(
    app.routeList.filter((route) => route.auth !== undefined || route.tags.some((tag) => STAFF_TAGS.has(tag))).map((route) => `${route.method.toLowerCase()} ${openApiPath(route.url)}`),
  );
}

type Spec = { paths?: Record<string, Record<string, unknown>>; tags?: { name: string }[] };

/**
 * The OpenAPI documentation at /api/docs (JSON at /api/docs/json, YAML at /api/docs/yaml),
 * generated from the routes' zod schemas and served from this server alone (no validator badge, no
 * CDN). Everyone reads the public API (submission, counters, feeds, receipts); the staff API is
 * described only to a signed-in staff member (a full session), with its session requirement.
 */
export const apiDocsRoutes: RouteModule = async (app, ctx) => {
  const names = cookieNames(ctx.config);
  const policy = sessionPolicy(ctx.config);
  const staffReaders = new WeakSet<FastifyRequest>();
  let staffOnly: Set<string> | undefined;
  await app.register(fastifySwaggerUi, {
    routePrefix: '/api/docs',
    uiConfig: { validatorUrl: null, deepLinking: false },
    staticCSP: true,
    uiHooks: {
      onRequest: (request, _reply, done) => {
        authenticateSession(ctx.deps, request.cookies[names.session], policy)
          .then(
            () => staffReaders.add(request),
            () => undefined, // not signed in: the public API only
          )
          .finally(done);
      },
    },
    transformSpecification: (swaggerObject, request) => {
      staffOnly ??= staffOperations(app);
      const spec = swaggerObject as Spec;
      const isStaff = staffReaders.has(request);
      for (const [path, operations] of Object.entries(spec.paths ?? {})) {
        for (const method of Object.keys(operations)) {
          if (!staffOnly.has(`${method} ${path}`)) continue;
          if (isStaff) (operations[method] as { security?: unknown }).security = [{ session: [] }];
          else delete operations[method];
        }
        if (Object.keys(operations).length === 0) delete spec.paths?.[path];
      }
      return spec;
    },
  });
};
