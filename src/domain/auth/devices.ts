import type { UserDeviceRow } from '../../db/repositories/user.repository';
import { appendAudit } from '../audit/append-audit';
import { type Deps, inTransaction } from '../deps';
import type { Actor } from './policy';
import { hashToken, newToken } from './secrets';

/** "Chrome on Windows", from a user agent; enough for a person to recognise their own device. */
export function deviceLabel(userAgent: string | undefined): string {
  const ua = userAgent ?? '';
  const browser = /Edg\//.test(ua)
    ? 'Edge'
    : /Firefox\//.test(ua)
      ? 'Firefox'
      : /Chrome\/|Chromium\/|CriOS\//.test(ua)
        ? 'Chrome'
        : /Safari\//.test(ua)
          ? 'Safari'
          : 'a browser';
  const system = /Android/.test(ua)
    ? 'Android'
    : /iPhone|iPad|iOS/.test(ua)
      ? 'iOS'
      : /Windows/.test(ua)
        ? 'Windows'
        : /Mac OS X|Macintosh/.test(ua)
          ? 'macOS'
          : /Linux|X11/.test(ua)
            ? 'Linux'
            : 'an unknown system';
  return `${browser} on ${system}`;
}

/**
 * Notes the device (the browser's long-lived device cookie) a full sign-in came from. A device this
 * account never signed in from is audited as `auth.new-device` and shown to the account's owner on
 * their other devices until they say it was them; an account's very first device is audited too but
 * needs no warning. Returns the device token for the cookie (a new one when the browser had none).
 */
export async function noteSignInDevice(
  deps: Deps,
  options: { userId: string; deviceToken: string | undefined; userAgent: string | undefined },
): Promise<{ deviceToken: string; isNew: boolean }> {
  const deviceToken = options.deviceToken && options.deviceToken.length >= 20 ? options.deviceToken : newToken();
  const deviceHash = hashToken(deviceToken);
  const now = deps.clock();
  return deps.store.transaction(async (tx) => {
    if (await tx.users.findDevice(options.userId, deviceHash)) {
      await tx.users.touchDevice(options.userId, deviceHash, now);
      return { deviceToken, isNew: false };
    }
    const first = (await tx.users.devicesOf(options.userId)).length === 0;
    const label = deviceLabel(options.userAgent);
    await tx.users.insertDevice({ user_id: options.userId, device_hash: deviceHash, label, first_seen_at: now, last_seen_at: now, acknowledged_at: first ? now : null });
    await appendAudit(inTransaction(deps, tx), {
      actorId: options.userId,
      action: 'auth.new-device',
      entityType: 'user',
      entityId: options.userId,
      details: { device: label, ...(first ? { first: true } : {}) },
    });
    return { deviceToken, isNew: !first };
  });
}

/** Sign-ins from new devices the owner has not yet seen, other than the device asking. */
export async function unseenNewDevices(deps: Deps, userId: string, currentDeviceToken: string | undefined): Promise<UserDeviceRow[]> {
  const current = currentDeviceToken ? hashToken(currentDeviceToken) : undefined;
  return (await deps.store.users.devicesOf(userId)).filter((device) => device.acknowledged_at === null && device.device_hash !== current);
}

/** The owner has seen the new-device notices ("that was me"). */
export async function acknowledgeNewDevices(deps: Deps, actor: Actor): Promise<void> {
  await deps.store.users.acknowledgeDevices(actor.id, deps.clock());
}
