import { createHmac, randomBytes } from 'node:crypto';

/**
 * Turns a client address into an opaque key for rate limiting. The HMAC key lives only in memory and
 * changes every day, so neither memory nor any store ever holds an address, and yesterday's keys
 * cannot be linked to today's.
 */
export class ClientKeyer {
  private day = '';
  private key = Buffer.alloc(0);

  constructor(private readonly now: () => number = Date.now) {}

  /** The opaque key for `address` today. */
  keyFor(address: string): string {
    const day = new Date(this.now()).toISOString().slice(0, 10);
    if (day !== this.day) {
      this.day = day;
      this.key = randomBytes(32);
    }
    return createHmac('sha256', this.key).update(address).digest('base64url').slice(0, 22);
  }
}
