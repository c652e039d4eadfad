import fastifyWebsocket from '@fastify/websocket';
import type { FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authorize, can } from '../../../domain/auth/policy';
import { QueueTopics } from '../../../domain/operations/inbound-queue';
import { acceptOfferedCall } from '../../../domain/calls/live-call';
import { regionOfNumber } from '../../../domain/calls/number-region';
import { ClientId } from '../../../shared/schemas/calls';
import { LiveCallOut } from '../calls';
import { presentRegion, RegionOut } from '../../presenters/region.presenter';
import { setSpokenLanguages, spokenLanguagesOf } from '../../../domain/operations/spoken-languages';
import { choosePresence, liveBoard, presenceIn } from '../../../domain/operations/presence';
import { AppError } from '../../../shared/app-error';
import { ChosenPresenceInput, SpokenLanguagesInput } from '../../../shared/schemas/operations';
import type { HttpContext, RouteModule } from '../../app';
import { actorOf } from '../../session-auth';

const tags = ['operations'];

/** A WebSocket must come from the console's own origin (a cookie alone would let any site connect). */
function assertSameOrigin(request: FastifyRequest, ctx: HttpContext): void {
  const origin = request.headers.origin;
  if (origin !== new URL(ctx.config.publicUrl).origin) throw new AppError('FORBIDDEN', 'WebSocket from another origin');
}

/**
 * Presence (going on duty, break, offline), the coordinators' live board over WebSocket, offers to
 * a volunteer over WebSocket, the manual provider (simulate calls) and queue metrics.
 */
export const presenceRoutes: RouteModule = async (fastify, ctx) => {
  const { deps } = ctx;
  const { queue } = ctx.services;
  if (!fastify.hasDecorator('websocketServer')) await fastify.register(fastifyWebsocket, { options: { maxPayload: 4096 } });
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  const boardOf = () => liveBoard(deps, queue);

  app.post(
    '/api/operations/presence',
    { config: { auth: 'staff' }, schema: { tags, body: ChosenPresenceInput, response: { 200: z.object({ presence: z.string() }) } } },
    async (request) => ({
      presence: await choosePresence(deps, queue, { actor: actorOf(request), presence: request.body.presence, ...(request.body.languages ? { languages: request.body.languages } : {}) }),
    }),
  );

  // The caller's own presence and the languages they take calls in (saved across sessions).
  app.get(
    '/api/operations/presence/me',
    { config: { auth: 'staff' }, schema: { tags, response: { 200: z.object({ presence: z.string(), languages: z.array(z.string()) }) } } },
    async (request) => {
      const actor = actorOf(request);
      const languages = await spokenLanguagesOf(deps, { actor });
      return { presence: presenceIn(queue, actor.id), languages };
    },
  );

  app.put(
    '/api/operations/presence/languages',
    { config: { auth: 'staff' }, schema: { tags, body: SpokenLanguagesInput, response: { 200: z.object({ languages: z.array(z.string()) }) } } },
    async (request) => ({ languages: await setSpokenLanguages(deps, { actor: actorOf(request), languages: request.body.languages, queue: queue }) }),
  );

  app.get('/api/operations/board', { config: { auth: 'staff' }, schema: { tags } }, async (request) => {
    authorize(actorOf(request), 'presence.view-all', undefined, deps.clock());
    return boardOf();
  });

  app.get(
    '/api/operations/queue/metrics',
    { config: { auth: 'staff' }, schema: { tags, querystring: z.object({ from: z.coerce.number().int().min(0), to: z.coerce.number().int().min(0) }) } },
    async (request) => {
      authorize(actorOf(request), 'queue.metrics', undefined, deps.clock());
      if (request.query.to < request.query.from) throw new AppError('VALIDATION_FAILED', '"to" must not be before "from"');
      return queue.metrics(request.query.from, request.query.to);
    },
  );

  // Demo mode (HOTLINE_DEMO_CALLS): a coordinator (or a test) plays the telephone network.
  app.post(
    '/api/operations/queue/simulate',
    {
      config: { auth: 'staff' },
      schema: {
        tags,
        body: z.object({
          event: z.enum(['arrive', 'abandon', 'end', 'callback']),
          callId: z.string().min(1).max(64),
          language: z.string().min(2).max(16).optional(),
          fromNumber: z.string().min(3).max(40).optional(),
        }),
      },
    },
    async (request) => {
      authorize(actorOf(request), 'queue.simulate', undefined, deps.clock());
      if (!ctx.config.HOTLINE_DEMO_CALLS) throw new AppError('DEMO_MODE_OFF', 'Simulated calls are a demo mode: set HOTLINE_DEMO_CALLS=true');
      const { event, callId, language, fromNumber } = request.body;
      switch (event) {
        case 'arrive':
          return { decisions: await queue.callArrived({ callId, ...(language ? { language } : {}), ...(fromNumber ? { fromE164: fromNumber } : {}) }) };
        case 'abandon':
          return { decisions: await queue.callerAbandoned(callId) };
        case 'end':
          return { decisions: await queue.callEnded(callId) };
        case 'callback': {
          const { taskId, decisions } = await queue.requestCallback({ callId });
          return { decisions, taskId };
        }
      }
    },
  );

  // What the ringing banner shows of a call offered to this volunteer: language, time waiting, region.
  app.get(
    '/api/operations/offers/:callId',
    {
      config: { auth: 'staff' },
      schema: {
        tags,
        params: z.object({ callId: z.string().min(1).max(64) }),
        response: {
          200: z.object({ callId: z.string(), language: z.string().nullable(), arrivedAt: z.number(), expiresAt: z.number().nullable(), region: RegionOut.nullable(), serverNow: z.number() }),
        },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      authorize(actor, 'presence.set-own', undefined, deps.clock());
      const call = queue.offeredCall(request.params.callId, actor.id);
      if (!call) throw new AppError('OFFER_GONE', 'The call is no longer offered to you');
      const regionCode = call.fromE164 ? await regionOfNumber(call.fromE164) : undefined;
      return {
        callId: call.callId,
        language: call.language ?? null,
        arrivedAt: call.arrivedAt,
        expiresAt: call.expiresAt ?? null,
        region: presentRegion(regionCode ?? null),
        serverNow: deps.clock(),
      };
    },
  );

  // A volunteer declines an offer from the console.
  app.post(
    '/api/operations/offers/:callId/decline',
    { config: { auth: 'staff' }, schema: { tags, params: z.object({ callId: z.string().min(1).max(64) }) } },
    async (request) => {
      const actor = actorOf(request);
      authorize(actor, 'presence.set-own', undefined, deps.clock());
      return { decisions: await queue.offerDeclined({ callId: request.params.callId, agentId: actor.id, reason: 'declined' }) };
    },
  );

  // A volunteer accepts an offer from the console (manual provider): connected now, and the call
  // record starts on the server at the caller's arrival, answered now.
  app.post(
    '/api/operations/offers/:callId/accept',
    {
      config: { auth: 'staff' },
      schema: { tags, params: z.object({ callId: z.string().min(1).max(64) }), body: z.object({ clientId: ClientId }), response: { 200: LiveCallOut } },
    },
    async (request) => ({
      ...(await acceptOfferedCall(deps, { actor: actorOf(request), queue: queue, queueCallId: request.params.callId, clientId: request.body.clientId })),
      serverNow: deps.clock(),
    }),
  );

  // Live board for coordinators: a snapshot first, then every presence change and queue decision.
  fastify.get('/api/operations/live', { websocket: true, config: { auth: 'staff' }, preValidation: async (request) => { assertSameOrigin(request, ctx); } }, async (socket, request) => {
    if (!can(actorOf(request), 'presence.view-all', undefined, deps.clock())) {
      socket.close(4403, 'forbidden');
      return;
    }
    const send = (message: unknown) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
    };
    const unsubscribe = deps.hub.subscribe(QueueTopics.decisions, (decision) => {
      void boardOf().then((board) => { send({ type: 'board', board, decision }); });
    });
    socket.on('close', unsubscribe);
    send({ type: 'board', board: await boardOf() });
  });

  // A volunteer's own channel: offers, cancelled offers, connects and their presence.
  fastify.get('/api/operations/my-channel', { websocket: true, config: { auth: 'staff' }, preValidation: async (request) => { assertSameOrigin(request, ctx); } }, (socket, request) => {
    const unsubscribe = deps.hub.subscribe(QueueTopics.agent(actorOf(request).id), (event) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(event));
    });
    socket.on('close', unsubscribe);
  });
};
