import { z } from 'zod';

/** Roles as the API names them. */
export const RoleSchema = z.enum(['volunteer', 'coordinator', 'admin', 'auditor']);

/** A staff username: lower-case letters, digits, dot, dash, underscore. */
export const UsernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9._-]{3,32}$/, 'use 3 to 32 letters, digits, dots, dashes or underscores');

/** A password: long enough to resist guessing, short enough to hash cheaply. */
export const PasswordSchema = z.string().min(12, 'use at least 12 characters').max(256, 'use at most 256 characters');

/** A six-digit TOTP code. */
export const TotpCodeSchema = z.string().trim().regex(/^\d{6}$/, 'expected the 6-digit code from your authenticator app');

/** POST /api/auth/login */
export const LoginInput = z.object({ username: UsernameSchema, password: z.string().min(1).max(256) });
export type LoginInput = z.infer<typeof LoginInput>;

/** POST /api/auth/second-factor */
export const SecondFactorInput = z.union([
  z.object({ code: TotpCodeSchema }).strict(),
  z.object({ recoveryCode: z.string().trim().min(8).max(32) }).strict(),
]);
export type SecondFactorInput = z.infer<typeof SecondFactorInput>;

/** POST /api/auth/enrollment/confirm */
export const ConfirmEnrollmentInput = z.object({ code: TotpCodeSchema });
export type ConfirmEnrollmentInput = z.infer<typeof ConfirmEnrollmentInput>;

/** POST /api/invitations */
export const CreateInvitationInput = z.object({ role: RoleSchema });
export type CreateInvitationInput = z.infer<typeof CreateInvitationInput>;

/** POST /api/invitations/accept */
export const AcceptInvitationInput = z.object({
  token: z.string().min(20).max(100),
  username: UsernameSchema,
  displayName: z.string().trim().min(1).max(80),
  password: PasswordSchema,
  realName: z.string().trim().min(1).max(100).optional(),
  phone: z.string().trim().min(3).max(40).optional(),
});
export type AcceptInvitationInput = z.infer<typeof AcceptInvitationInput>;

/** POST /api/auth/password */
export const ChangePasswordInput = z.object({ current: z.string().min(1).max(256), next: PasswordSchema });
export type ChangePasswordInput = z.infer<typeof ChangePasswordInput>;

/** What follows the password: enrol a first second factor, or give one of these. */
export const SignInNextSchema = z.object({
  next: z.enum(['enroll', 'enroll-passkey', 'verify']),
  methods: z.array(z.enum(['passkey', 'totp', 'recovery-code'])),
});

/**
 * A WebAuthn response as @simplewebauthn/browser hands it over (JSON, binary fields base64url). Its
 * inner fields are checked by @simplewebauthn/server against the challenge the session was given.
 */
const Base64Url = z.string().regex(/^[A-Za-z0-9_-]*={0,2}$/, 'expected base64url').max(20_000);
export const WebAuthnResponseSchema = z.looseObject({
  id: Base64Url.min(1),
  rawId: Base64Url.min(1),
  type: z.literal('public-key'),
  response: z.looseObject({ clientDataJSON: Base64Url }),
  clientExtensionResults: z.record(z.string(), z.unknown()),
});

/** POST /api/auth/passkeys */
export const AddPasskeyInput = z.object({
  name: z.string().trim().min(1, 'give the passkey a name you will recognise').max(60),
  response: WebAuthnResponseSchema,
});
export type AddPasskeyInput = z.infer<typeof AddPasskeyInput>;

/** PUT /api/settings/sign-in */
export const SignInSettingsSchema = z.object({ passkeyRoles: z.array(RoleSchema) });
