import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * A volunteer's SIP password, derived from the shared SIP secret, so no password table exists
 * and rotating HOTLINE_SIP_SECRET revokes every phone at once.
 */
export function sipPassword(secret: string, username: string): string {
  return createHmac('sha256', secret).update(`sip-password:${username}`).digest('base64url').slice(0, 24);
}

/** The digest HA1 Kamailio checks a REGISTER or INVITE against: md5(user:realm:password). */
export function sipHa1(secret: string, username: string, realm: string): string {
  return createHash('md5').update(`${username}:${realm}:${sipPassword(secret, username)}`).digest('hex');
}

/** Compares the secret Kamailio presents with ours in constant time. */
export function isSipSecret(expected: string, given: string | undefined): boolean {
  if (given === undefined) return false;
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b);
}
