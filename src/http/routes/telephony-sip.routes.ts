import type { FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authorize } from '../../domain/auth/policy';
import { AppError } from '../../shared/app-error';
import { MAX_DIAL_TARGET_LENGTH, normalizeLanguageTag } from '../../shared/dial-target';
import { isSipSecret, sipPassword } from '../../telephony/sip/credentials';
import { SipEdgeApi } from '../../telephony/sip/edge-api';
import { sipWebsocketUrl } from '../../telephony/sip/kamailio-config';
import type { RouteModule } from '../app';
import { actorOf } from '../session-auth';

const PREFIX = '/telephony/sip';
const tags = ['telephony'];
const sipUser = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'expected a SIP username');
const callId = z.string().min(1).max(256);
const target = z
  .string()
  .min(1)
  .max(MAX_DIAL_TARGET_LENGTH)
  .regex(/^(\+?[0-9*#]{1,64}|task-[A-Za-z0-9_-]+)$/, 'expected a dialed number or a task reference');
// Kamailio sends an empty value when the caller's language is not known.
const language = z.string().max(35).regex(/^[A-Za-z0-9_-]*$/, 'expected a language tag').optional();

/**
 * The SIP edge's questions to Hotline (Kamailio's http_client_query) and the console's SIP
 * account. Registered only when HOTLINE_SIP_SECRET is set; Kamailio sends it in
 * `X-Hotline-Sip-Secret`, and the staff side should not be reachable from the internet anyway.
 */
export const sipRoutes: RouteModule = (fastify, ctx) => {
  const { config } = ctx;
  const secret = config.HOTLINE_SIP_SECRET;
  if (secret === undefined) return;
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  let sharedApi: SipEdgeApi | undefined;
  // Event write failures are logged by code only: the error may quote stored values.
  const logWriteError = (error: unknown) => {
    app.log.error({ code: (error as { code?: unknown }).code ?? 'unknown' }, 'telephony: storing SIP call events failed');
  };
  const edge = () => (sharedApi ??= new SipEdgeApi(app.telephony, ctx.deps.clock, secret, config.HOTLINE_SIP_DOMAIN, logWriteError));
  const services = app.telephony;
  const flushBefore = services.flush.bind(services);
  services.flush = async () => {
    await flushBefore();
    await sharedApi?.flush();
  };
  app.addHook('onClose', async () => {
    await sharedApi?.flush();
  });
  const verify = async (request: FastifyRequest) => {
    const given = request.headers['x-hotline-sip-secret'];
    if (!isSipSecret(secret, typeof given === 'string' ? given : undefined)) throw new AppError('TELEPHONY_SIGNATURE_INVALID', 'Not the SIP edge');
  };
  const edgeRoute = { onRequest: verify, schema: { tags, hide: true } };

  app.get(`${PREFIX}/credentials`, { ...edgeRoute, schema: { ...edgeRoute.schema, querystring: z.object({ user: sipUser }) } }, async (request, reply) => {
    return reply.type('text/plain').send(await edge().credentials(request.query.user));
  });

  app.get(
    `${PREFIX}/route`,
    {
      ...edgeRoute,
      schema: {
        ...edgeRoute.schema,
        querystring: z.object({
          call: callId,
          attempt: z.coerce.number().int().min(0).max(100_000).default(0),
          lang: language,
          // The request-user the trunk called: the hotline number, or a transfer target.
          to: z.string().max(128).default(''),
        }),
      },
    },
    async (request, reply) => {
      const { query } = request;
      const lang = normalizeLanguageTag(query.lang) ?? normalizeLanguageTag(config.HOTLINE_SIP_CALLER_LANGUAGE);
      return reply.type('text/plain').send(await edge().route(query.call, query.attempt, lang === undefined ? {} : { language: lang }, query.to));
    },
  );

  app.get(
    `${PREFIX}/outbound`,
    { ...edgeRoute, schema: { ...edgeRoute.schema, querystring: z.object({ call: callId, volunteer: sipUser, target }) } },
    async (request, reply) => reply.type('text/plain').send(await edge().outbound(request.query.call, request.query.volunteer, request.query.target)),
  );

  app.post(
    `${PREFIX}/events`,
    {
      ...edgeRoute,
      schema: {
        ...edgeRoute.schema,
        querystring: z.object({
          call: callId,
          kind: z.enum(['ringing', 'answered', 'failed', 'ended', 'cancel']),
          dir: z.enum(['inbound', 'outbound']).default('inbound'),
          volunteer: sipUser.optional(),
          code: z.coerce.number().int().min(100).max(699).optional(),
          by: z.enum(['caller', 'callee']).optional(),
        }),
      },
    },
    async (request, reply) => {
      const q = request.query;
      await edge().event({
        callId: q.call,
        kind: q.kind,
        direction: q.dir,
        ...(q.volunteer === undefined || q.volunteer === '' ? {} : { volunteerId: q.volunteer }),
        ...(q.code === undefined ? {} : { code: q.code }),
        ...(q.by === undefined ? {} : { by: q.by }),
      });
      return reply.type('text/plain').send('ok');
    },
  );

  app.post(
    `${PREFIX}/transfers`,
    {
      config: { auth: 'staff' },
      schema: {
        tags,
        summary: 'A transfer target (SIP REFER) that rings a free coordinator, for the call the signed-in volunteer is on',
        body: z.object({ callId }),
        response: { 201: z.object({ target: z.string() }) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      authorize(actor, 'telephony.softphone');
      const target = await edge().transferTarget(request.body.callId, actor.id);
      if (target === null) throw new AppError('NOT_FOUND', 'No coordinator is free to take this call (or you are not on it)');
      return reply.status(201).send({ target });
    },
  );

  app.get(
    `${PREFIX}/account`,
    {
      config: { auth: 'staff' },
      schema: {
        tags,
        summary: "The signed-in volunteer's SIP account for the console softphone",
        response: { 200: z.object({ username: z.string(), password: z.string(), domain: z.string(), websocketUrl: z.string() }) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      authorize(actor, 'telephony.softphone');
      return {
        username: actor.id,
        password: sipPassword(secret, actor.id),
        domain: config.HOTLINE_SIP_DOMAIN,
        websocketUrl: sipWebsocketUrl(config),
      };
    },
  );
};
