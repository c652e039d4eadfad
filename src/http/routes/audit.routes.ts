import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authorize } from '../../domain/auth/policy';
import { verifyAuditLog } from '../../domain/audit/verify-audit-log';
import type { RouteModule } from '../app';
import { actorOf } from '../session-auth';

const tags = ['audit'];

/** The audit log for admins and auditors: read it, verify the chain. */
export const auditRoutes: RouteModule = (fastify, ctx) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { deps } = ctx;

  app.get(
    '/api/audit',
    {
      config: { auth: 'staff' },
      schema: {
        tags,
        querystring: z.object({ before: z.coerce.number().int().positive().optional(), limit: z.coerce.number().int().min(1).max(500).default(100) }),
        response: {
          200: z.object({
            entries: z.array(
              z.object({ seq: z.number(), at: z.number(), actorId: z.string().nullable(), action: z.string(), entityType: z.string().nullable(), entityId: z.string().nullable(), details: z.record(z.string(), z.unknown()) }),
            ),
          }),
        },
      },
    },
    async (request) => {
      authorize(actorOf(request), 'audit.read', undefined, deps.clock());
      const rows = await deps.store.audit.recent(request.query.limit, request.query.before);
      return {
        entries: rows.map((row) => ({
          seq: row.seq,
          at: row.at,
          actorId: row.actor_id,
          action: row.action,
          entityType: row.entity_type,
          entityId: row.entity_id,
          details: JSON.parse(row.details) as Record<string, unknown>,
        })),
      };
    },
  );

  app.post('/api/audit/verify', { config: { auth: 'staff' }, schema: { tags } }, async (request) => {
    authorize(actorOf(request), 'audit.verify', undefined, deps.clock());
    return verifyAuditLog(deps);
  });
};
