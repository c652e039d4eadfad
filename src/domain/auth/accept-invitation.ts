import type { AcceptInvitationInput } from '../../shared/schemas/auth';
import { AppError } from '../../shared/app-error';
import { appendAudit } from '../audit/append-audit';
import { type Deps, inTransaction } from '../deps';
import { hashPassword, hashToken, newId } from './secrets';

/** Encryption contexts of the personal fields of a staff account. */
export const USER_FIELDS = { realName: 'users.real_name', phone: 'users.phone', totpSecret: 'users.totp_secret' } as const;

/**
 * Creates the account an invitation allows. The new member must still enrol a second factor at
 * first login. Real name and phone, when given, are stored encrypted.
 */
export async function acceptInvitation(deps: Deps, input: AcceptInvitationInput): Promise<{ userId: string }> {
  const passwordHash = await hashPassword(input.password);
  const now = deps.clock();
  const userId = newId();
  await deps.store.transaction(async (tx) => {
    const invitation = await tx.users.findOpenInvitation(hashToken(input.token), now);
    if (!invitation) throw new AppError('INVITATION_INVALID', 'This invitation link is not valid, was already used or has expired');
    if (await tx.users.findByUsername(input.username)) throw new AppError('USERNAME_TAKEN', 'This username is taken', { details: { field: 'username' } });
    await tx.users.insert({
      id: userId,
      username: input.username,
      display_name: input.displayName,
      role: invitation.role,
      password_hash: passwordHash,
      real_name_enc: input.realName ? deps.keyring.encrypt(input.realName, USER_FIELDS.realName) : null,
      phone_enc: input.phone ? deps.keyring.encrypt(input.phone, USER_FIELDS.phone) : null,
      totp_secret_enc: null,
      totp_enrolled_at: null,
      totp_last_step: null,
      status: 'active',
      failed_login_count: 0,
      locked_until: null,
      created_at: now,
      updated_at: now,
    });
    if (!(await tx.users.useInvitation(invitation.id, userId, now))) {
      throw new AppError('INVITATION_INVALID', 'This invitation link was already used');
    }
    await appendAudit(inTransaction(deps, tx), {
      actorId: userId,
      action: 'user.created',
      entityType: 'user',
      entityId: userId,
      details: { role: invitation.role, invitationId: invitation.id },
    });
  });
  return { userId };
}
