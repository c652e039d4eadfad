import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import { createServer } from 'node:http';
import fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Config } from '../config/config';
import type { Deps } from '../domain/deps';
import type { Logger } from '../logging';
import { sipWebsocketUrl } from '../telephony/sip/kamailio-config';
import { type ServiceOptions, type Services, buildServices } from '../services';
import type { ClientKeyer } from './client-key';
import { installCompression } from './compression';
import { HotReads } from './hot-reads';
import { installErrorHandler } from './error-handler';
import { routeModules } from './routes/index';
import { installSessionAuth } from './session-auth';

/** What routes need: the domain's deps and the configuration. */
export interface HttpContext {
  deps: Deps;
  config: Config;
  /** Built once at start-up; routes use these, never make their own. */
  services: Services;
  clientKeyer: ClientKeyer;
}

/** A route module: registers its routes on the app. */
export type RouteModule = (app: FastifyInstance, ctx: HttpContext) => Promise<void> | void;

/** Every route registered, with whether it requires a staff session (for the 401 test). */
export interface RouteInfo {
  method: string;
  url: string;
  auth: 'staff' | 'mfa' | 'enrol' | undefined;
  /** The OpenAPI tags it is documented under. */
  tags: readonly string[];
}

declare module 'fastify' {
  interface FastifyInstance {
    routeList: RouteInfo[];
    /** The services the app was built with (tests reach the queue and the telephony ports here). */
    services: Services;
  }
}

/**
 * Fastify's form of HOTLINE_TRUST_PROXY. A number of hops trusts that many proxies counted from the
 * socket, so `X-Forwarded-For: forged, real` through one nginx gives `real`, whatever the client wrote.
 */
export function trustedProxies(setting: Config['HOTLINE_TRUST_PROXY']): false | string[] | ((address: string, hop: number) => boolean) {
  if (typeof setting !== 'number') return setting;
  return (_address, hop) => hop < setting;
}

function isBuilt(services: Services | ServiceOptions | undefined): services is Services {
  return services !== undefined && 'statementWriter' in services;
}

/** Largest request body accepted anywhere, unless a route sets its own lower limit. */
export const BODY_LIMIT_BYTES = 64 * 1024;

/**
 * Builds the HTTP server. No visitor address is logged: the default request log is off and the
 * one line per request we write holds the method, route, status and duration only.
 */
export async function buildApp(options: { deps: Deps; config: Config; logger: Logger; routes?: RouteModule[]; services?: Services | ServiceOptions }): Promise<FastifyInstance> {
  const { deps, config, logger } = options;
  // Services given whole belong to the caller; otherwise they are built here and closed with the app.
  const given = isBuilt(options.services) ? options.services : undefined;
  const services: Services = given ?? (await buildServices(deps, config, { logger, ...(options.services as ServiceOptions | undefined) }));
  // Typed as Fastify's logger interface so the instance keeps Fastify's default logger type.
  const fastifyLogger: FastifyBaseLogger = logger;
  // The most read public answers are sent from ready-made responses before Fastify sees the request.
  const hotReads = new HotReads(logger, deps.clock);
  const app: FastifyInstance = fastify({
    serverFactory: (handler) =>
      createServer((request, response) => {
        if (!hotReads.handle(request, response)) handler(request, response);
      }),
    loggerInstance: fastifyLogger,
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: trustedProxies(config.HOTLINE_TRUST_PROXY),
    bodyLimit: BODY_LIMIT_BYTES,
    requestIdHeader: false,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  app.decorate('routeList', [] as RouteInfo[]);
  app.decorate('services', services);
  if (!given) {
    app.addHook('onClose', async () => {
      await services.close();
    });
  }
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const tags = (route.schema as { tags?: string[] } | undefined)?.tags ?? [];
    for (const method of methods) app.routeList.push({ method, url: route.url, auth: route.config?.auth, tags });
  });
  app.addHook('onResponse', async (request, reply) => {
    request.log.info({ method: request.method, route: request.routeOptions.url ?? 'unmatched', status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
  });

  installErrorHandler(app);
  installCompression(app);
  await app.register(fastifyCookie);
  await app.register(fastifyFormbody, { bodyLimit: BODY_LIMIT_BYTES });
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        // The console softphone talks SIP over WebSocket to Kamailio when SIP is configured.
        connectSrc: ["'self'", ...(config.HOTLINE_SIP_SECRET === undefined ? [] : [sipWebsocketUrl(config)])],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    hsts: config.cookieSecure ? { maxAge: 31_536_000 } : false,
  });
  const { clientKeyer } = services;
  const redis = services.cluster.redis;
  await app.register(fastifyRateLimit, {
    global: false,
    keyGenerator: (request) => clientKeyer.keyFor(request.ip),
    // The app's own requests that make the ready-made public answers.
    allowList: (request) => hotReads.isRender(request),
    // With several instances the counts live in Redis, so a flood is limited across all of them; if
    // Redis stops answering, requests are served rather than refused.
    ...(redis ? { redis, nameSpace: `${config.HOTLINE_REDIS_PREFIX}rl:`, skipOnError: true } : {}),
  });
  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'Hotline API', version: '1', description: 'Statement registry, volunteer console and call operations.' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'hotline_session' } } },
    },
    transform: jsonSchemaTransform,
  });

  installSessionAuth(app, deps, config);
  const ctx: HttpContext = { deps, config, services, clientKeyer };
  for (const module of [...routeModules, ...(options.routes ?? [])]) {
    await module(app, ctx);
  }
  app.addHook('onReady', async () => {
    hotReads.attach(app, services.counters);
  });
  app.addHook('onClose', async () => {
    hotReads.close();
  });
  return app;
}
