import { listCallLists } from '../../../domain/operations/import-call-list';
import { Readable } from 'node:stream';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { addDoNotCall, listDoNotCall, removeDoNotCall } from '../../../domain/operations/do-not-call';
import { importCallList } from '../../../domain/operations/import-call-list';
import { openImportReport } from '../../../domain/operations/import-report';
import { DoNotCallInput } from '../../../shared/schemas/operations';
import type { RouteModule } from '../../app';
import { presentDoNotCall } from '../../presenters/do-not-call.presenter';
import { actorOf } from '../../session-auth';

const tags = ['operations'];
const ImportQuery = z.object({ name: z.string().trim().min(1).max(120) });
const ReportOut = z.object({
  reportId: z.string(),
  listId: z.string().nullable(),
  name: z.string(),
  committed: z.boolean(),
  rows: z.number(),
  accepted: z.number(),
  refused: z.number(),
  byProblem: z.record(z.string(), z.number()),
  problems: z.array(z.object({ line: z.number(), problem: z.string(), ref: z.string().optional() })),
  problemsTruncated: z.boolean(),
});

/**
 * Call lists: CSV preview and import (the body is streamed into the import, never buffered whole),
 * the lists, and the do-not-call list.
 */
export const callListRoutes: RouteModule = (fastify, ctx) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { deps } = ctx;
  // A CSV body reaches the handler as the raw stream; the import enforces its own size limit.
  app.addContentTypeParser('text/csv', (_request, payload, done) => {
    done(null, payload);
  });

  for (const [path, commit] of [
    ['/api/operations/lists/preview', false],
    ['/api/operations/lists/import', true],
  ] as const) {
    app.post(
      path,
      {
        config: { auth: 'staff' },
        schema: { tags, querystring: ImportQuery, consumes: ['text/csv'], response: { 200: ReportOut, 201: ReportOut } },
      },
      async (request, reply) => {
        const report = await importCallList(deps, { actor: actorOf(request), name: request.query.name, source: request.body as Readable, commit });
        return reply.status(commit ? 201 : 200).send(report);
      },
    );
  }

  // Every refused row of an import or preview (the answer above lists the first 1,000): line,
  // problem and reference, never a number. Kept for a week.
  app.get(
    '/api/operations/lists/reports/:id/refused.csv',
    { config: { auth: 'staff' }, schema: { tags, params: z.object({ id: z.string().min(1).max(64) }), produces: ['text/csv'] } },
    async (request, reply) => {
      const reader = await openImportReport(deps, { actor: actorOf(request), reportId: request.params.id });
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="refused-rows-${request.params.id.replace(/[^\w-]/g, '')}.csv"`)
        .header('cache-control', 'no-store')
        .send(Readable.from(reader.csv()));
    },
  );

  app.get(
    '/api/operations/lists',
    {
      config: { auth: 'staff' },
      schema: { tags, response: { 200: z.object({ lists: z.array(z.object({ id: z.string(), name: z.string(), entryCount: z.number(), createdAt: z.number() })) }) } },
    },
    async (request) => {
      return { lists: await listCallLists(deps, actorOf(request)) };
    },
  );

  const DoNotCallOut = z.object({
    total: z.number(),
    entries: z.array(
      z.object({
        id: z.string(),
        maskedNumber: z.string(),
        reason: z.string().nullable(),
        addedAt: z.number(),
        addedBy: z.object({ id: z.string(), displayName: z.string() }).nullable(),
      }),
    ),
  });

  app.get('/api/operations/do-not-call', { config: { auth: 'staff' }, schema: { tags, response: { 200: DoNotCallOut } } }, async (request) => {
    const { entries, total } = await listDoNotCall(deps, { actor: actorOf(request) });
    return { total, entries: entries.map((row) => presentDoNotCall(row, deps.keyring)) };
  });

  // Finding one number's entry: a POST, so the number never appears in a URL (or a log line).
  app.post(
    '/api/operations/do-not-call/search',
    { config: { auth: 'staff' }, schema: { tags, body: z.object({ number: DoNotCallInput.shape.number }), response: { 200: DoNotCallOut } } },
    async (request) => {
      const { entries, total } = await listDoNotCall(deps, { actor: actorOf(request), number: request.body.number });
      return { total, entries: entries.map((row) => presentDoNotCall(row, deps.keyring)) };
    },
  );

  app.post(
    '/api/operations/do-not-call',
    { config: { auth: 'staff' }, schema: { tags, body: DoNotCallInput, response: { 201: z.object({ id: z.string(), added: z.boolean() }) } } },
    async (request, reply) => {
      const result = await addDoNotCall(deps, { actor: actorOf(request), number: request.body.number, ...(request.body.reason ? { reason: request.body.reason } : {}) });
      return reply.status(201).send(result);
    },
  );

  app.delete(
    '/api/operations/do-not-call/:id',
    { config: { auth: 'staff' }, schema: { tags, params: z.object({ id: z.string().min(1).max(64) }) } },
    async (request, reply) => {
      await removeDoNotCall(deps, { actor: actorOf(request), id: request.params.id });
      return reply.status(204).send();
    },
  );
};
