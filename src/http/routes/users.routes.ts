import { listStaffAccounts } from '../../domain/auth/staff-accounts';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createInvitation, invitationLink, listOpenInvitations, withdrawInvitation } from '../../domain/auth/create-invitation';
import { can } from '../../domain/auth/policy';
import { listSessions, revokeAllSessions, revokeSession } from '../../domain/auth/sessions';
import { changeRole, disableUser, enableUser, resetSecondFactor } from '../../domain/auth/staff-accounts';
import { CreateInvitationInput, RoleSchema } from '../../shared/schemas/auth';
import type { RouteModule } from '../app';
import { presentUser } from '../presenters/user.presenter';
import { actorOf } from '../session-auth';

const tags = ['staff'];
/** A staff account as /api/users lists it (contact details for admins only). */
export const UserOut = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: z.string(),
  status: z.string(),
  hasSecondFactor: z.boolean(),
  passkeys: z.number(),
  createdAt: z.number(),
  realName: z.string().nullable().optional(),
  phone: z.string().nullable().optional(),
});
export type UserOut = z.infer<typeof UserOut>;
const IdParams = z.object({ id: z.string().min(1).max(64) });
/** An invitation not yet used (its link is never shown again). */
export const InvitationOut = z.object({ id: z.string(), role: z.string(), createdBy: z.string().nullable(), createdAt: z.number(), expiresAt: z.number() });
export type InvitationOut = z.infer<typeof InvitationOut>;

/** Staff accounts, invitations and sessions. */
export const userRoutes: RouteModule = (fastify, ctx) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { deps } = ctx;

  app.get('/api/users', { config: { auth: 'staff' }, schema: { tags, response: { 200: z.object({ users: z.array(UserOut) }) } } }, async (request) => {
    const actor = actorOf(request);
    const { users: rows, passkeys } = await listStaffAccounts(deps, actor);
    const canReadContact = can(actor, 'user.read-contact', undefined, deps.clock());
    return { users: rows.map((row) => presentUser(row, { keyring: deps.keyring, canReadContact, passkeys: passkeys.get(row.id) ?? 0 })) };
  });

  app.post(
    '/api/users/:id/disable',
    { config: { auth: 'staff' }, schema: { tags, params: IdParams } },
    async (request, reply) => {
      await disableUser(deps, { actor: actorOf(request), userId: request.params.id });
      return reply.status(204).send();
    },
  );

  app.post('/api/users/:id/enable', { config: { auth: 'staff' }, schema: { tags, params: IdParams } }, async (request, reply) => {
    await enableUser(deps, { actor: actorOf(request), userId: request.params.id });
    return reply.status(204).send();
  });

  app.put(
    '/api/users/:id/role',
    { config: { auth: 'staff' }, schema: { tags, summary: "Give an account another role (its sessions end)", params: IdParams, body: z.object({ role: RoleSchema }) } },
    async (request, reply) => {
      await changeRole(deps, { actor: actorOf(request), userId: request.params.id, role: request.body.role });
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/users/:id/reset-second-factor',
    { config: { auth: 'staff' }, schema: { tags, summary: 'Destroy the TOTP secret and recovery codes; the account sets up a new second factor at its next sign-in', params: IdParams } },
    async (request, reply) => {
      await resetSecondFactor(deps, { actor: actorOf(request), userId: request.params.id });
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/users/:id/revoke-sessions',
    { config: { auth: 'staff' }, schema: { tags, params: IdParams, response: { 200: z.object({ revoked: z.number() }) } } },
    async (request) => ({ revoked: await revokeAllSessions(deps, { actor: actorOf(request), userId: request.params.id }) }),
  );

  app.post(
    '/api/invitations',
    {
      config: { auth: 'staff' },
      schema: { tags, body: CreateInvitationInput, response: { 201: z.object({ id: z.string(), link: z.string(), role: z.string(), expiresAt: z.number() }) } },
    },
    async (request, reply) => {
      const invitation = await createInvitation(deps, { actor: actorOf(request), role: request.body.role });
      return reply.status(201).send({
        id: invitation.id,
        link: invitationLink(ctx.config.publicUrl, invitation.token),
        role: invitation.role,
        expiresAt: invitation.expiresAt,
      });
    },
  );

  app.get('/api/invitations', { config: { auth: 'staff' }, schema: { tags, response: { 200: z.object({ invitations: z.array(InvitationOut) }) } } }, async (request) => {
    const rows = await listOpenInvitations(deps, { actor: actorOf(request) });
    return { invitations: rows.map((row) => ({ id: row.id, role: row.role, createdBy: row.created_by, createdAt: row.created_at, expiresAt: row.expires_at })) };
  });

  app.delete('/api/invitations/:id', { config: { auth: 'staff' }, schema: { tags, params: IdParams } }, async (request, reply) => {
    await withdrawInvitation(deps, { actor: actorOf(request), invitationId: request.params.id });
    return reply.status(204).send();
  });

  app.get(
    '/api/sessions',
    {
      config: { auth: 'staff' },
      schema: {
        tags,
        response: { 200: z.object({ sessions: z.array(z.object({ id: z.string(), createdAt: z.number(), lastSeenAt: z.number(), current: z.boolean() })) }) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const rows = await listSessions(deps, { actor, userId: actor.id });
      return {
        sessions: rows.map((row) => ({ id: row.id, createdAt: row.created_at, lastSeenAt: row.last_seen_at, current: row.id === request.session?.session.id })),
      };
    },
  );

  app.delete('/api/sessions/:id', { config: { auth: 'staff' }, schema: { tags, params: IdParams } }, async (request, reply) => {
    await revokeSession(deps, { actor: actorOf(request), sessionId: request.params.id });
    return reply.status(204).send();
  });
};
