import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listScripts, saveScript } from '../../domain/calls/call-scripts';
import { getCall, listCalls } from '../../domain/calls/list-calls';
import { saveCall } from '../../domain/calls/save-call';
import { statementRegistrar } from '../../domain/calls/registry-registrar';
import { editCall } from '../../domain/calls/edit-call';
import { CallListQuery, EditCallInput, SaveCallInput, SaveScriptInput, ScriptKey } from '../../shared/schemas/calls';
import type { RouteModule } from '../app';
import { CallOut, presentCall } from '../presenters/call.presenter';
import { actorOf } from '../session-auth';
import { consoleStaticRoutes } from './console-static';

const tags = ['calls'];
const SaveCallOut = z.object({
  callId: z.string(),
  created: z.boolean(),
  registrations: z.array(
    z.object({ clientId: z.string(), statementId: z.string(), people: z.number(), receiptCode: z.string().nullable() }),
  ),
});
const ScriptOut = z.object({
  id: z.string(),
  key: z.string(),
  version: z.number(),
  titleZh: z.string(),
  titleEn: z.string(),
  bodyZh: z.string(),
  bodyEn: z.string(),
});

/** The call workspace's API: save a call, my calls, the call log, one call, talking points. */
const callRoutes: RouteModule = (fastify, ctx) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { deps } = ctx;

  app.post(
    '/api/calls',
    { config: { auth: 'staff' }, bodyLimit: 256 * 1024, schema: { tags, body: SaveCallInput, response: { 200: SaveCallOut } } },
    async (request) => saveCall(deps, { actor: actorOf(request), input: request.body, registerStatement: statementRegistrar }),
  );

  app.get(
    '/api/calls/mine',
    { config: { auth: 'staff' }, schema: { tags, querystring: CallListQuery, response: { 200: z.object({ calls: z.array(CallOut) }) } } },
    async (request) => {
      const items = await listCalls(deps, { actor: actorOf(request), query: request.query, mineOnly: true });
      return { calls: items.map((item) => presentCall(item, deps.keyring)) };
    },
  );

  app.get(
    '/api/calls',
    { config: { auth: 'staff' }, schema: { tags, querystring: CallListQuery, response: { 200: z.object({ calls: z.array(CallOut) }) } } },
    async (request) => {
      const items = await listCalls(deps, { actor: actorOf(request), query: request.query, mineOnly: false });
      return { calls: items.map((item) => presentCall(item, deps.keyring)) };
    },
  );

  app.get(
    '/api/calls/:id',
    { config: { auth: 'staff' }, schema: { tags, params: z.object({ id: z.string().min(1).max(64) }), response: { 200: CallOut } } },
    async (request) => presentCall(await getCall(deps, { actor: actorOf(request), callId: request.params.id }), deps.keyring),
  );

  app.patch(
    '/api/calls/:id',
    { config: { auth: 'staff' }, schema: { tags, params: z.object({ id: z.string().min(1).max(64) }), body: EditCallInput } },
    async (request, reply) => {
      await editCall(deps, { actor: actorOf(request), callId: request.params.id, input: request.body });
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/call-scripts',
    { config: { auth: 'staff' }, schema: { tags, response: { 200: z.object({ scripts: z.array(ScriptOut) }) } } },
    async () => ({
      scripts: (await listScripts(deps)).map((row) => ({
        id: row.id,
        key: row.key,
        version: row.version,
        titleZh: row.title_zh,
        titleEn: row.title_en,
        bodyZh: row.body_zh,
        bodyEn: row.body_en,
      })),
    }),
  );

  app.put(
    '/api/call-scripts/:key',
    {
      config: { auth: 'staff' },
      schema: {
        tags,
        params: z.object({ key: ScriptKey }),
        body: SaveScriptInput,
        response: { 200: z.object({ id: z.string(), version: z.number() }) },
      },
    },
    async (request) => saveScript(deps, { actor: actorOf(request), key: request.params.key, input: request.body }),
  );
};

/** Route modules of the calls area, registered in this order. */
export const callsRouteModules: RouteModule[] = [callRoutes, consoleStaticRoutes];
