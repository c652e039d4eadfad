import { readStatement } from '../../../domain/statements/read-statements';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { can } from '../../../domain/auth/policy';
import { listModerationQueue } from '../../../domain/statements/list-moderation-queue';
import { moderateStatement } from '../../../domain/statements/moderate-statement';
import { registerStatements } from '../../../domain/statements/register-statements';
import { correctStatement } from '../../../domain/statements/correct-statement';
import { eraseStatement, listShredding } from '../../../domain/statements/erase-statement';
import { searchStatements } from '../../../domain/statements/search-statements';
import { Channel, Cohort, RegisterStatementInput, StatementStatus } from '../../../shared/schemas/statements';
import { listProvinces, RegionInputSchema, regionName } from '../../../shared/regions';
import type { RouteModule } from '../../app';
import { presentStatement } from '../../presenters/statement.presenter';
import { actorOf } from '../../session-auth';

const tags = ['statements'];
const IdParams = z.object({ id: z.string().min(1).max(64) });
const Moderated = z.object({ id: z.string(), status: z.string(), sequence: z.number().nullable() });
const Registered = z.object({ id: z.string(), status: z.string(), receiptCode: z.string().nullable(), publicName: z.string(), sequence: z.number().nullable() });
// Presented statements are built by the presenter; the schema documents them loosely.
const StatementOut = z.looseObject({ id: z.string(), status: z.string(), publicName: z.string() });

/** Staff statement routes: register (group commit), read, the moderation queue and decisions. */
export const registryStaffRoutes: RouteModule = (fastify, ctx) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { deps } = ctx;

  app.post(
    '/api/statements',
    {
      config: { auth: 'staff' },
      bodyLimit: 2 * 1024 * 1024,
      schema: {
        tags,
        summary: 'Register one or more statements (volunteer provenance publishes at once); each is durable when answered',
        body: z.object({ statements: z.array(RegisterStatementInput).min(1).max(500) }),
        response: { 201: z.object({ statements: z.array(Registered) }) },
      },
    },
    async (request, reply) => {
      const statements = await registerStatements(deps, { actor: actorOf(request), inputs: request.body.statements, writer: ctx.services.statementWriter });
      return reply.status(201).header('cache-control', 'no-store').send({ statements });
    },
  );

  app.get(
    '/api/statements/moderation',
    {
      config: { auth: 'staff' },
      schema: {
        tags,
        summary: 'Statements waiting for moderation (held ones for admins only), with possible duplicates',
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
        response: {
          200: z.object({
            statements: z.array(
              StatementOut.extend({
                possibleDuplicates: z.array(z.object({ id: z.string(), status: z.string(), sequence: z.number().nullable(), publicName: z.string(), createdAt: z.number() })),
              }),
            ),
          }),
        },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const items = await listModerationQueue(deps, { actor, limit: request.query.limit });
      const canReadRealName = can(actor, 'statement.read-real-name', undefined, deps.clock());
      return { statements: items.map((item) => ({ ...presentStatement(item.row, { keyring: deps.keyring, canReadRealName }), possibleDuplicates: item.possibleDuplicates })) };
    },
  );

  app.get(
    '/api/statements',
    {
      config: { auth: 'staff' },
      schema: {
        tags,
        summary: 'The statement archive, newest first: by receipt code, day received (China time), province, status and channel',
        querystring: z.object({
          receiptCode: z.string().trim().min(1).max(32).optional(),
          day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD').optional(),
          province: z.string().regex(/^(\d{6}|abroad|unknown)$/, 'expected a province code, abroad or unknown').optional(),
          status: StatementStatus.optional(),
          channel: Channel.optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
          cursor: z.string().max(100).optional(),
        }),
        response: { 200: z.object({ statements: z.array(StatementOut), next: z.string().optional() }) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const { receiptCode, day, province, status, channel, limit, cursor } = request.query;
      const found = await searchStatements(deps, {
        actor,
        search: {
          ...(receiptCode === undefined ? {} : { receiptCode }),
          ...(day === undefined ? {} : { day }),
          ...(province === undefined ? {} : { provinceCode: province }),
          ...(status === undefined ? {} : { status }),
          ...(channel === undefined ? {} : { channel }),
        },
        limit,
        ...(cursor === undefined ? {} : { cursor }),
      });
      const canReadRealName = can(actor, 'statement.read-real-name', undefined, deps.clock());
      return { statements: found.rows.map((row) => presentStatement(row, { keyring: deps.keyring, canReadRealName })), ...(found.next === undefined ? {} : { next: found.next }) };
    },
  );

  app.get(
    '/api/regions/provinces',
    {
      config: { auth: 'staff' },
      schema: {
        tags,
        summary: 'The provinces (GB/T 2260), with their names in the three languages, for choosing a region',
        response: { 200: z.object({ provinces: z.array(z.object({ code: z.string(), name: z.object({ en: z.string(), 'zh-Hans': z.string(), 'zh-Hant': z.string() }) })) }) },
      },
    },
    async (_request, reply) => {
      const provinces = listProvinces().map((province) => ({
        code: province.code,
        name: { en: regionName(province.code, 'en') ?? province.code, 'zh-Hans': regionName(province.code, 'zh-Hans') ?? province.code, 'zh-Hant': regionName(province.code, 'zh-Hant') ?? province.code },
      }));
      return reply.header('cache-control', 'private, max-age=86400').send({ provinces });
    },
  );

  app.post(
    '/api/statements/:id/correction',
    {
      config: { auth: 'staff' },
      schema: {
        tags,
        summary: "Correct a statement's counts, region or name, with a reason (published ones move the counters; the public statement is marked corrected)",
        params: IdParams,
        body: z.object({ cohorts: z.array(Cohort).min(1).max(10).optional(), region: RegionInputSchema.optional(), name: z.string().trim().min(1).max(100).optional(), reason: z.string().trim().min(1).max(500) }),
        response: {
          200: z.object({
            id: z.string(),
            status: z.string(),
            sequence: z.number().nullable(),
            publicName: z.string(),
            counts: z.object({ people: z.number(), party: z.number(), league: z.number(), pioneers: z.number() }),
            regionCode: z.string(),
            correctedAt: z.number(),
          }),
        },
      },
    },
    (request) => correctStatement(deps, { actor: actorOf(request), statementId: request.params.id, correction: request.body }),
  );

  app.post(
    '/api/statements/:id/erase',
    {
      config: { auth: 'staff' },
      schema: {
        tags,
        summary: "Erase a statement at the person's request (admins): name, text and receipt codes go; it stays counted or is withdrawn",
        params: IdParams,
        body: z.object({ keepCounted: z.boolean() }),
        response: {
          200: z.object({ id: z.string(), sequence: z.number().nullable(), status: z.string(), counted: z.boolean(), receiptCodesForgotten: z.number() }),
        },
      },
    },
    (request) => eraseStatement(deps, { actor: actorOf(request), idOrReceipt: request.params.id, keepCounted: request.body.keepCounted }),
  );

  app.get(
    '/api/erasures',
    {
      config: { auth: 'staff' },
      schema: {
        tags,
        summary: 'What was shredded and when: erased statements and retention runs (admins)',
        response: {
          200: z.object({
            erasures: z.array(
              z.object({ statementId: z.string(), sequence: z.number().nullable(), status: z.string(), counted: z.boolean(), erasedAt: z.number(), erasedBy: z.string().nullable() }),
            ),
            retentionRuns: z.array(z.object({ at: z.number(), notes: z.number(), followups: z.number(), retentionDays: z.number() })),
            notesRetentionDays: z.number(),
          }),
        },
      },
    },
    async (request) => ({ ...(await listShredding(deps, actorOf(request))), notesRetentionDays: ctx.config.HOTLINE_NOTES_RETENTION_DAYS }),
  );

  app.get('/api/statements/:id', { config: { auth: 'staff' }, schema: { tags, params: IdParams, response: { 200: StatementOut } } }, async (request) => {
    const { row, canReadRealName } = await readStatement(deps, actorOf(request), request.params.id);
    return presentStatement(row, { keyring: deps.keyring, canReadRealName });
  });

  app.post('/api/statements/:id/publish', { config: { auth: 'staff' }, schema: { tags, params: IdParams, response: { 200: Moderated } } }, (request) =>
    moderateStatement(deps, { actor: actorOf(request), statementId: request.params.id, decision: { kind: 'publish' } }),
  );

  app.post(
    '/api/statements/:id/reject',
    { config: { auth: 'staff' }, schema: { tags, params: IdParams, body: z.object({ reason: z.string().trim().min(1).max(500) }), response: { 200: Moderated } } },
    (request) => moderateStatement(deps, { actor: actorOf(request), statementId: request.params.id, decision: { kind: 'reject', reason: request.body.reason } }),
  );

  app.post(
    '/api/statements/:id/duplicate',
    { config: { auth: 'staff' }, schema: { tags, params: IdParams, body: z.object({ ofId: z.string().min(1).max(64) }), response: { 200: Moderated } } },
    (request) => moderateStatement(deps, { actor: actorOf(request), statementId: request.params.id, decision: { kind: 'duplicate', ofId: request.body.ofId } }),
  );
};
