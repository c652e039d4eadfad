import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authorize } from '../../domain/auth/policy';
import { listScripts, listScriptVersions, restoreScriptVersion, saveScript, type ScriptVersion } from '../../domain/calls/call-scripts';
import { describeNumber } from '../../domain/calls/describe-number';
import { editCall } from '../../domain/calls/edit-call';
import { forgetReceiptCodes } from '../../domain/calls/forget-receipt-codes';
import { listFollowups, updateFollowup } from '../../domain/calls/followups';
import { getCall, listCalls } from '../../domain/calls/list-calls';
import { statementRegistrar } from '../../domain/calls/registry-registrar';
import { saveCall } from '../../domain/calls/save-call';
import { answerLiveCall, beginLiveCall, endLiveCall } from '../../domain/calls/live-call';
import { BeginLiveCallInput, CallListQuery, ClientId, EditCallInput, SaveCallInput, SaveScriptInput, ScriptKey } from '../../shared/schemas/calls';
import { callsCsv } from '../presenters/calls-csv.presenter';
import { toTraditional } from '../../shared/traditional';
import { staffNames } from '../../domain/auth/staff-accounts';
import type { RouteModule } from '../app';
import { CallOut, presentCall } from '../presenters/call.presenter';
import { presentRegion, RegionOut } from '../presenters/region.presenter';
import { actorOf } from '../session-auth';
import { consoleStaticRoutes } from './console-static';

const tags = ['calls'];
/** One registration of a saved call, with the receipt code to read out. */
export const SavedRegistrationOut = z.object({
  clientId: z.string(),
  statementId: z.string(),
  people: z.number(),
  /** The code to read out; on a retried save the same code again (for a day, or until confirmed read out). */
  receiptCode: z.string().nullable(),
  isNew: z.boolean(),
});
/** What saving a call answers. */
export const SaveCallOut = z.object({ callId: z.string(), created: z.boolean(), registrations: z.array(SavedRegistrationOut) });
export type SaveCallOut = z.infer<typeof SaveCallOut>;
const ScriptOut = z.object({
  id: z.string(),
  key: z.string(),
  version: z.number(),
  titleZh: z.string(),
  titleEn: z.string(),
  bodyZh: z.string(),
  bodyEn: z.string(),
  createdAt: z.number(),
});
/** `zh=hant` asks for the Chinese text in Traditional characters (converted here, not in the browser). */
const ScriptQuery = z.object({ zh: z.enum(['hans', 'hant']).default('hans') });
const CallIdParams = z.object({ id: z.string().min(1).max(64) });
/** A call in progress as the server keeps it: its times are the server's (or the telephony events'). */
export const LiveCallOut = z.object({
  clientId: z.string(),
  direction: z.string(),
  taskId: z.string().nullable(),
  startedAt: z.number(),
  answeredAt: z.number().nullable(),
  endedAt: z.number().nullable(),
  source: z.enum(['server', 'telephony']),
  /** The server's clock when it answered, so the workspace's timer can correct for the browser's. */
  serverNow: z.number(),
});
export type LiveCallOut = z.infer<typeof LiveCallOut>;
/** What the console knows of the server it runs on. */
export const ConsoleSettingsOut = z.object({
  /** The softphone the console shows: none where telephony is not configured (calls are dialed by hand). */
  telephony: z.enum(['sip', 'twilio']).nullable(),
  /** Whether coordinators may simulate inbound calls (a training mode). */
  demoCalls: z.boolean(),
  /** The hotline's own number, to read out to callers. */
  hotlineNumber: z.string().nullable(),
});
export type ConsoleSettingsOut = z.infer<typeof ConsoleSettingsOut>;

function presentScript(row: ScriptVersion, zh: 'hans' | 'hant'): z.infer<typeof ScriptOut> {
  const chinese = zh === 'hant' ? toTraditional : (text: string) => text;
  return {
    id: row.id,
    key: row.key,
    version: row.version,
    titleZh: chinese(row.title_zh),
    titleEn: row.title_en,
    bodyZh: chinese(row.body_zh),
    bodyEn: row.body_en,
    createdAt: row.created_at,
  };
}

/** The call workspace's API: save a call, my calls, the call log, one call, talking points. */
/** Drops undefined fields (the domain's options are exact). */
function optionalFields<T extends Record<string, unknown>>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
}

const callRoutes: RouteModule = (fastify, ctx) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { deps } = ctx;

  app.post(
    '/api/calls',
    { config: { auth: 'staff' }, bodyLimit: 256 * 1024, schema: { tags, body: SaveCallInput, response: { 200: SaveCallOut } } },
    async (request) =>
      saveCall(deps, { actor: actorOf(request), input: request.body, registerStatement: statementRegistrar, queue: ctx.services.queue }),
  );

  // What the console needs to know of this server: which softphone (if any), demo mode, the hotline's number.
  app.get(
    '/api/console/settings',
    { config: { auth: 'staff' }, schema: { tags, response: { 200: ConsoleSettingsOut } } },
    async () => {
      const { config } = ctx;
      const hasTwilioPhone = [config.HOTLINE_TWILIO_ACCOUNT_SID, config.HOTLINE_TWILIO_AUTH_TOKEN, config.HOTLINE_TWILIO_API_KEY_SID, config.HOTLINE_TWILIO_API_KEY_SECRET].every(
        (value) => value !== undefined,
      );
      return {
        telephony: config.HOTLINE_SIP_SECRET !== undefined ? ('sip' as const) : hasTwilioPhone ? ('twilio' as const) : null,
        demoCalls: config.HOTLINE_DEMO_CALLS,
        hotlineNumber: config.HOTLINE_PHONE_NUMBER ?? null,
      };
    },
  );

  // The call record on the server from the call's first moment: start, answer and end at the server's time.
  app.post(
    '/api/calls/live',
    { config: { auth: 'staff' }, schema: { tags, body: BeginLiveCallInput, response: { 200: LiveCallOut } } },
    async (request) => ({
      ...(await beginLiveCall(deps, { actor: actorOf(request), queue: ctx.services.queue, ...optionalFields(request.body) })),
      serverNow: deps.clock(),
    }),
  );
  app.post(
    '/api/calls/live/:clientId/answer',
    { config: { auth: 'staff' }, schema: { tags, params: z.object({ clientId: ClientId }), response: { 200: LiveCallOut } } },
    async (request) => ({ ...(await answerLiveCall(deps, { actor: actorOf(request), clientId: request.params.clientId })), serverNow: deps.clock() }),
  );
  app.post(
    '/api/calls/live/:clientId/end',
    { config: { auth: 'staff' }, schema: { tags, params: z.object({ clientId: ClientId }), response: { 200: LiveCallOut } } },
    async (request) => ({
      ...(await endLiveCall(deps, { actor: actorOf(request), queue: ctx.services.queue, clientId: request.params.clientId })),
      serverNow: deps.clock(),
    }),
  );

  // The call log as CSV, with the log's filters: no numbers, no notes, nothing personal.
  app.get(
    '/api/calls/export.csv',
    { config: { auth: 'staff' }, schema: { tags, querystring: CallListQuery } },
    async (request, reply) => {
      const items = await listCalls(deps, { actor: actorOf(request), query: { ...request.query, limit: Math.max(request.query.limit, 500) }, mineOnly: false });
      const names = await staffNames(deps);
      void reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="calls.csv"').header('cache-control', 'no-store');
      return callsCsv(items.map((item) => presentCall(item, deps.keyring)), names);
    },
  );

  // POST, not GET: a number never goes into a URL (and so into no access log).
  app.post(
    '/api/calls/number-info',
    {
      config: { auth: 'staff' },
      schema: {
        tags,
        body: z.object({ phone: z.string().trim().min(1).max(40) }),
        response: { 200: z.object({ masked: z.string(), kind: z.string(), region: RegionOut.nullable() }) },
      },
    },
    async (request) => {
      const info = await describeNumber(deps, { actor: actorOf(request), phone: request.body.phone });
      return { masked: info.masked, kind: info.kind, region: presentRegion(info.regionCode) };
    },
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
    { config: { auth: 'staff' }, schema: { tags, params: CallIdParams, response: { 200: CallOut } } },
    async (request) => presentCall(await getCall(deps, { actor: actorOf(request), callId: request.params.id }), deps.keyring),
  );

  app.patch(
    '/api/calls/:id',
    {
      config: { auth: 'staff' },
      schema: {
        tags,
        params: CallIdParams,
        body: EditCallInput,
        response: { 200: z.object({ registrations: z.array(SavedRegistrationOut) }) },
      },
    },
    async (request) =>
      editCall(deps, { actor: actorOf(request), callId: request.params.id, input: request.body, registerStatement: statementRegistrar }),
  );

  app.post(
    '/api/calls/:id/receipts-read',
    { config: { auth: 'staff' }, schema: { tags, params: CallIdParams, response: { 200: z.object({ forgotten: z.number() }) } } },
    async (request) => forgetReceiptCodes(deps, { actor: actorOf(request), callId: request.params.id }),
  );

  app.get(
    '/api/call-scripts',
    { config: { auth: 'staff' }, schema: { tags, querystring: ScriptQuery, response: { 200: z.object({ scripts: z.array(ScriptOut) }) } } },
    async (request) => {
      // Talking points are for the people who make calls; an auditor's account reads the audit log only.
      authorize(actorOf(request), 'call.create', undefined, deps.clock());
      return { scripts: (await listScripts(deps)).map((row) => presentScript(row, request.query.zh)) };
    },
  );

  app.get(
    '/api/call-scripts/:key/versions',
    {
      config: { auth: 'staff' },
      schema: {
        tags,
        params: z.object({ key: ScriptKey }),
        querystring: ScriptQuery,
        response: { 200: z.object({ versions: z.array(ScriptOut) }) },
      },
    },
    async (request) => ({
      versions: (await listScriptVersions(deps, { actor: actorOf(request), key: request.params.key })).map((row) =>
        presentScript(row, request.query.zh),
      ),
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

  app.post(
    '/api/call-scripts/:key/versions/:version/restore',
    {
      config: { auth: 'staff' },
      schema: {
        tags,
        params: z.object({ key: ScriptKey, version: z.coerce.number().int().min(0) }),
        response: { 200: z.object({ id: z.string(), version: z.number() }) },
      },
    },
    async (request) => restoreScriptVersion(deps, { actor: actorOf(request), key: request.params.key, version: request.params.version }),
  );
};

/** A follow-up contact on the worklist (admins only: the details are the most dangerous data held). */
export const FollowupOut = z.object({
  id: z.string(),
  callId: z.string(),
  callStartedAt: z.number(),
  recordedBy: z.string(),
  recordedAt: z.number(),
  name: z.string(),
  howToReach: z.string(),
  offered: z.string(),
  dueAt: z.number().nullable(),
  doneAt: z.number().nullable(),
});
export type FollowupOut = z.infer<typeof FollowupOut>;

/** The follow-up worklist: list open or done contacts, mark one done or open, set when to contact. */
const followupRoutes: RouteModule = (fastify, ctx) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { deps } = ctx;
  const params = z.object({ id: z.string().min(1).max(64) });
  app.get(
    '/api/followups',
    {
      config: { auth: 'staff' },
      schema: {
        tags,
        summary: 'Follow-up contacts to make (open, by when due) or made (done); reading them is audited',
        querystring: z.object({ state: z.enum(['open', 'done']).default('open'), limit: z.coerce.number().int().min(1).max(500).default(200) }),
        response: { 200: z.object({ followups: z.array(FollowupOut) }) },
      },
    },
    async (request, reply) =>
      reply.header('cache-control', 'no-store').send({ followups: await listFollowups(deps, { actor: actorOf(request), state: request.query.state, limit: request.query.limit }) }),
  );
  for (const [path, done] of [
    ['done', true],
    ['reopen', false],
  ] as const) {
    app.post(`/api/followups/:id/${path}`, { config: { auth: 'staff' }, schema: { tags, params } }, async (request, reply) => {
      await updateFollowup(deps, { actor: actorOf(request), followupId: request.params.id, change: { done } });
      return reply.status(204).send();
    });
  }
  app.put(
    '/api/followups/:id/due',
    { config: { auth: 'staff' }, schema: { tags, summary: 'When to contact them (null: as soon as possible)', params, body: z.object({ dueAt: z.number().int().min(0).nullable() }) } },
    async (request, reply) => {
      await updateFollowup(deps, { actor: actorOf(request), followupId: request.params.id, change: { dueAt: request.body.dueAt } });
      return reply.status(204).send();
    },
  );
};

/** Route modules of the calls area, registered in this order. */
export const callsRouteModules: RouteModule[] = [callRoutes, followupRoutes, consoleStaticRoutes];
