import { createHmac } from 'node:crypto';
import type { DailySecrets } from '../cluster/cluster';
import { MemoryDailySecrets } from '../cluster/memory';

/**
 * Turns a client address into an opaque key for rate limiting. The HMAC key is a random secret of
 * the UTC day, kept in memory (and, with several instances, in Redis, so that every instance gives
 * a client the same key): no store ever holds an address, and yesterday's keys cannot be linked to
 * today's.
 */
export class ClientKeyer {
  constructor(
    private readonly now: () => number = Date.now,
    private readonly secrets: DailySecrets = new MemoryDailySecrets(),
  ) {}

  /** The opaque key for `address` today. */
  keyFor(address: string): string {
    const day = new Date(this.now()).toISOString().slice(0, 10);
    return createHmac('sha256', this.secrets.secretFor(day)).update(address).digest('base64url').slice(0, 22);
  }
}
