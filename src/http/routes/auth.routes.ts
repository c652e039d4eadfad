import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { acceptInvitation } from '../../domain/auth/accept-invitation';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { acknowledgeNewDevices, noteSignInDevice, unseenNewDevices } from '../../domain/auth/devices';
import { logIn } from '../../domain/auth/log-in';
import {
  listPasskeys,
  passkeyRegistrationOptions,
  passkeyRoles,
  passkeySignInOptions,
  registerPasskey,
  relyingPartyOf,
  removePasskey,
  setPasskeyRoles,
  verifyPasskeySignIn,
} from '../../domain/auth/passkeys';
import { beginEnrollment, confirmEnrollment, verifySecondFactor } from '../../domain/auth/second-factor';
import type { SessionStage } from '../../domain/auth/sessions';
import { revokeAllSessions, revokeSession } from '../../domain/auth/sessions';
import { changeOwnPassword } from '../../domain/auth/staff-accounts';
import {
  AcceptInvitationInput,
  AddPasskeyInput,
  ChangePasswordInput,
  ConfirmEnrollmentInput,
  LoginInput,
  SecondFactorInput,
  SignInNextSchema,
  SignInSettingsSchema,
  WebAuthnResponseSchema,
} from '../../shared/schemas/auth';
import type { RouteModule } from '../app';
import { actorOf, clearSessionCookies, cookieNames, csrfTokenFor, sessionPolicy, setDeviceCookie, setSessionCookies } from '../session-auth';

const tags = ['auth'];
// Password guessing is slowed by the account lock; this limit slows spraying across accounts.
const loginRateLimit = { max: 20, timeWindow: '1 minute' };

/** After a second factor: the session reached full, or it may only add the passkey its role requires. */
const SignedInSchema = z.object({ next: z.enum(['done', 'enroll-passkey']) });
const passkeyOptionsSchema = z.looseObject({ challenge: z.string() });
/** WebAuthn options go to the browser as @simplewebauthn/server made them. */
const asJson = (options: { challenge: string }) => options as { challenge: string } & Record<string, unknown>;

/** Sign-in with password and second factor (passkey or TOTP), enrolment, sign-out, accepting an invitation. */
export const authRoutes: RouteModule = (fastify, ctx) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const policy = sessionPolicy(ctx.config);
  const names = cookieNames(ctx.config);
  const rp = relyingPartyOf(ctx.config.publicUrl);

  /** Sets the new session's cookies; a full sign-in also notes the device it came from. */
  const signedIn = async (request: FastifyRequest, reply: FastifyReply, token: string, stage: SessionStage, userId: string): Promise<'done' | 'enroll-passkey'> => {
    setSessionCookies(reply, ctx.config, token);
    if (stage !== 'full') return 'enroll-passkey';
    const device = await noteSignInDevice(ctx.deps, { userId, deviceToken: request.cookies[names.device], userAgent: request.headers['user-agent'] });
    setDeviceCookie(reply, ctx.config, device.deviceToken);
    return 'done';
  };
  const pendingUserId = (request: FastifyRequest): string => request.session!.user.id;

  app.post(
    '/api/auth/login',
    {
      config: { rateLimit: loginRateLimit },
      schema: { tags, body: LoginInput, response: { 200: SignInNextSchema } },
    },
    async (request, reply) => {
      const { token, next, methods } = await logIn(ctx.deps, request.body, policy, ctx.clientKeyer.keyFor(request.ip));
      setSessionCookies(reply, ctx.config, token);
      return { next, methods };
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
      schema: { tags, body: ConfirmEnrollmentInput, response: { 200: SignedInSchema.extend({ recoveryCodes: z.array(z.string()) }) } },
    },
    async (request, reply) => {
      const { token, stage, recoveryCodes } = await confirmEnrollment(ctx.deps, request.sessionToken, request.body.code, policy, ctx.clientKeyer.keyFor(request.ip));
      return { next: await signedIn(request, reply, token, stage, pendingUserId(request)), recoveryCodes };
    },
  );

  app.post(
    '/api/auth/second-factor',
    {
      config: { auth: 'mfa', rateLimit: loginRateLimit },
      schema: { tags, body: SecondFactorInput, response: { 200: SignedInSchema.extend({ recoveryCodesLeft: z.number().optional() }) } },
    },
    async (request, reply) => {
      const { token, stage, recoveryCodesLeft } = await verifySecondFactor(ctx.deps, request.sessionToken, request.body, policy, ctx.clientKeyer.keyFor(request.ip));
      const next = await signedIn(request, reply, token, stage, pendingUserId(request));
      return recoveryCodesLeft === undefined ? { next } : { next, recoveryCodesLeft };
    },
  );

  app.post(
    '/api/auth/passkey/options',
    { config: { auth: 'mfa', rateLimit: loginRateLimit }, schema: { tags, summary: 'Sign-in with a passkey: the challenge for the authenticator', response: { 200: passkeyOptionsSchema } } },
    async (request) => asJson(await passkeySignInOptions(ctx.deps, request.sessionToken, policy, rp)),
  );

  app.post(
    '/api/auth/passkey',
    {
      config: { auth: 'mfa', rateLimit: loginRateLimit },
      schema: { tags, summary: "Sign-in with a passkey: the authenticator's answer", body: WebAuthnResponseSchema, response: { 200: SignedInSchema } },
    },
    async (request, reply) => {
      const { token, stage } = await verifyPasskeySignIn(
        ctx.deps,
        request.sessionToken,
        request.body as unknown as AuthenticationResponseJSON,
        policy,
        rp,
        ctx.clientKeyer.keyFor(request.ip),
      );
      return { next: await signedIn(request, reply, token, stage, pendingUserId(request)) };
    },
  );

  app.post(
    '/api/auth/passkeys/options',
    { config: { auth: 'enrol', rateLimit: loginRateLimit }, schema: { tags, summary: 'Adding a passkey: options for the authenticator', response: { 200: passkeyOptionsSchema } } },
    async (request) => asJson(await passkeyRegistrationOptions(ctx.deps, request.sessionToken, policy, rp)),
  );

  app.post(
    '/api/auth/passkeys',
    {
      config: { auth: 'enrol', rateLimit: loginRateLimit },
      schema: {
        tags,
        summary: 'Adding a passkey: the new credential (finishes a sign-in that required one)',
        body: AddPasskeyInput,
        response: { 201: SignedInSchema.extend({ id: z.string(), recoveryCodes: z.array(z.string()).optional() }) },
      },
    },
    async (request, reply) => {
      const added = await registerPasskey(
        ctx.deps,
        request.sessionToken,
        { name: request.body.name, response: request.body.response as unknown as RegistrationResponseJSON },
        policy,
        rp,
      );
      if (added.token) await signedIn(request, reply, added.token, 'full', pendingUserId(request));
      return reply.status(201).send({ next: 'done' as const, id: added.passkey.id, ...(added.recoveryCodes ? { recoveryCodes: added.recoveryCodes } : {}) });
    },
  );

  app.get(
    '/api/auth/passkeys',
    {
      config: { auth: 'staff' },
      schema: {
        tags,
        summary: 'Your passkeys',
        response: {
          200: z.object({
            passkeys: z.array(z.object({ id: z.string(), name: z.string(), createdAt: z.number(), lastUsedAt: z.number().nullable(), synced: z.boolean() })),
            required: z.boolean(),
          }),
        },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const rows = await listPasskeys(ctx.deps, actor);
      return {
        passkeys: rows.map((row) => ({ id: row.id, name: row.name, createdAt: row.created_at, lastUsedAt: row.last_used_at, synced: row.backed_up === 1 })),
        required: (await passkeyRoles(ctx.deps)).includes(actor.role),
      };
    },
  );

  app.delete(
    '/api/auth/passkeys/:id',
    { config: { auth: 'staff' }, schema: { tags, summary: 'Remove one of your passkeys', params: z.object({ id: z.string().min(1).max(1400) }) } },
    async (request, reply) => {
      await removePasskey(ctx.deps, { actor: actorOf(request), id: request.params.id });
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/settings/sign-in',
    { config: { auth: 'staff' }, schema: { tags, summary: 'Roles that must sign in with a passkey', response: { 200: SignInSettingsSchema } } },
    async () => ({ passkeyRoles: await passkeyRoles(ctx.deps) }),
  );

  app.put(
    '/api/settings/sign-in',
    { config: { auth: 'staff' }, schema: { tags, summary: 'Choose the roles that must sign in with a passkey (admins)', body: SignInSettingsSchema, response: { 200: SignInSettingsSchema } } },
    async (request) => ({ passkeyRoles: await setPasskeyRoles(ctx.deps, { actor: actorOf(request), roles: request.body.passkeyRoles }) }),
  );

  app.post('/api/auth/devices/acknowledge', { config: { auth: 'staff' }, schema: { tags, summary: 'The new-device sign-ins shown were yours' } }, async (request, reply) => {
    await acknowledgeNewDevices(ctx.deps, actorOf(request));
    return reply.status(204).send();
  });

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
            newDevices: z.array(z.object({ device: z.string(), at: z.number() })),
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
        newDevices: (await unseenNewDevices(ctx.deps, user.id, request.cookies[names.device])).map((row) => ({ device: row.label, at: row.first_seen_at })),
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
