import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { acceptInvitation } from '../../domain/auth/accept-invitation';
import { logIn } from '../../domain/auth/log-in';
import { beginEnrollment, confirmEnrollment, verifySecondFactor } from '../../domain/auth/second-factor';
import { revokeAllSessions, revokeSession } from '../../domain/auth/sessions';
import { changeOwnPassword } from '../../domain/auth/staff-accounts';
import { AcceptInvitationInput, ChangePasswordInput, ConfirmEnrollmentInput, LoginInput, SecondFactorInput } from '../../shared/schemas/auth';
import type { RouteModule } from '../app';
import { actorOf, clearSessionCookies, cookieNames, csrfTokenFor, sessionPolicy, setSessionCookies } from '../session-auth';

const tags = ['auth'];
// Password guessing is slowed by the account lock; this limit slows spraying across accounts.
const loginRateLimit = { max: 20, timeWindow: '1 minute' };

/** Sign-in with password and second factor, enrolment, sign-out, accepting an invitation. */
export const authRoutes: RouteModule = (fastify, ctx) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const policy = sessionPolicy(ctx.config);
  const names = cookieNames(ctx.config);

  app.post(
    '/api/auth/login',
    {
      config: { rateLimit: loginRateLimit },
      schema: { tags, body: LoginInput, response: { 200: z.object({ next: z.enum(['enroll', 'verify']) }) } },
    },
    async (request, reply) => {
      const { token, next } = await logIn(ctx.deps, request.body, policy, ctx.clientKeyer.keyFor(request.ip));
      setSessionCookies(reply, ctx.config, token);
      return { next };
    },
  );

  app.post(
    '/api/auth/enrollment',
    { config: { auth: 'mfa', rateLimit: loginRateLimit }, schema: { tags, response: { 200: z.object({ secret: z.string(), otpauthUri: z.string() }) } } },
    async (request) => beginEnrollment(ctx.deps, request.sessionToken, policy, ctx.clientKeyer.keyFor(request.ip)),
  );

  app.post(
    '/api/auth/enrollment/confirm',
    {
      config: { auth: 'mfa', rateLimit: loginRateLimit },
      schema: { tags, body: ConfirmEnrollmentInput, response: { 200: z.object({ recoveryCodes: z.array(z.string()) }) } },
    },
    async (request, reply) => {
      const { token, recoveryCodes } = await confirmEnrollment(ctx.deps, request.sessionToken, request.body.code, policy, ctx.clientKeyer.keyFor(request.ip));
      setSessionCookies(reply, ctx.config, token);
      return { recoveryCodes };
    },
  );

  app.post(
    '/api/auth/second-factor',
    {
      config: { auth: 'mfa', rateLimit: loginRateLimit },
      schema: { tags, body: SecondFactorInput, response: { 200: z.object({ recoveryCodesLeft: z.number().optional() }) } },
    },
    async (request, reply) => {
      const { token, recoveryCodesLeft } = await verifySecondFactor(ctx.deps, request.sessionToken, request.body, policy, ctx.clientKeyer.keyFor(request.ip));
      setSessionCookies(reply, ctx.config, token);
      return recoveryCodesLeft === undefined ? {} : { recoveryCodesLeft };
    },
  );

  app.get(
    '/api/auth/me',
    {
      config: { auth: 'staff' },
      schema: {
        tags,
        response: {
          200: z.object({
            user: z.object({ id: z.string(), username: z.string(), displayName: z.string(), role: z.string() }),
            session: z.object({ id: z.string(), expiresAt: z.number() }),
            csrfToken: z.string(),
          }),
        },
      },
    },
    async (request) => {
      const { user, session } = request.session!;
      return {
        user: { id: user.id, username: user.username, displayName: user.display_name, role: user.role },
        session: { id: session.id, expiresAt: session.expires_at },
        csrfToken: csrfTokenFor(request.cookies[names.session] as string),
      };
    },
  );

  app.post('/api/auth/logout', { config: { auth: 'staff' }, schema: { tags } }, async (request, reply) => {
    await revokeSession(ctx.deps, { actor: actorOf(request), sessionId: request.session!.session.id });
    clearSessionCookies(reply, ctx.config);
    return reply.status(204).send();
  });

  app.post('/api/auth/logout-all', { config: { auth: 'staff' }, schema: { tags, response: { 200: z.object({ revoked: z.number() }) } } }, async (request, reply) => {
    const actor = actorOf(request);
    const revoked = await revokeAllSessions(ctx.deps, { actor, userId: actor.id });
    clearSessionCookies(reply, ctx.config);
    return { revoked };
  });

  app.post(
    '/api/auth/password',
    {
      config: { auth: 'staff', rateLimit: { max: 5, timeWindow: '1 minute' } },
      schema: { tags, summary: 'Change your own password (your other sessions end)', body: ChangePasswordInput, response: { 200: z.object({ revoked: z.number() }) } },
    },
    async (request) =>
      changeOwnPassword(ctx.deps, { actor: actorOf(request), sessionId: request.session!.session.id, current: request.body.current, next: request.body.next }),
  );

  app.post(
    '/api/invitations/accept',
    { config: { rateLimit: loginRateLimit }, schema: { tags, body: AcceptInvitationInput, response: { 201: z.object({ userId: z.string() }) } } },
    async (request, reply) => reply.status(201).send(await acceptInvitation(ctx.deps, request.body)),
  );
};
