import { readAuditLog } from '../../domain/audit/read-audit-log';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authorize } from '../../domain/auth/policy';
import { verifyAuditLog } from '../../domain/audit/verify-audit-log';
import type { RouteModule } from '../app';
import { actorOf } from '../session-auth';

const tags = ['audit'];
/** One entry of the audit log as the API shows it. */
export const AuditEntryOut = z.object({
  seq: z.number(),
  at: z.number(),
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  action: z.string(),
  entityType: z.string().nullable(),
  entityId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});
export type AuditEntryOut = z.infer<typeof AuditEntryOut>;

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
        summary: 'The audit log, newest first: every entry, or those about one record (entityId) or by one person (actorId)',
        querystring: z.object({
          before: z.coerce.number().int().positive().optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
          entityId: z.string().min(1).max(64).optional(),
          actorId: z.string().min(1).max(64).optional(),
        }),
        response: {
          200: z.object({ entries: z.array(AuditEntryOut) }),
        },
      },
    },
    async (request) => {
      // Who acted, by display name (null: the operator's command line or the public).
      const { rows, names } = await readAuditLog(deps, actorOf(request), request.query);
      return {
        entries: rows.map((row) => ({
          seq: row.seq,
          at: row.at,
          actorId: row.actor_id,
          actorName: row.actor_id === null ? null : (names.get(row.actor_id) ?? null),
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
