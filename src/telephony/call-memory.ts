import { randomBytes } from 'node:crypto';
import type { Clock } from '../shared/clock';

/** How many calls a provider adapter remembers per kind of fact (calls are short-lived). */
const REMEMBERED_CALLS = 10_000;

/** Adds to a bounded set or map, forgetting the oldest entry. */
export function remember<T>(into: Set<string> | Map<string, T>, key: string, value?: T): void {
  if (into instanceof Map) into.set(key, value as T);
  else into.add(key);
  if (into.size > REMEMBERED_CALLS) into.delete(into.keys().next().value ?? '');
}

/**
 * Single-use tokens that stand for something Hotline decided (a transfer target, a dial allowed
 * to one volunteer): `prefix` plus 24 random characters, valid for `ttlMs`, taken at most once.
 */
export class OneUseTokens<T> {
  private readonly entries = new Map<string, { value: T; expiresAt: number }>();

  constructor(
    readonly prefix: string,
    private readonly ttlMs: number,
    private readonly clock: Clock,
  ) {}

  /** A new token for `value`; expired ones are forgotten on the way. */
  issue(value: T): string {
    const now = this.clock();
    for (const [token, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(token);
    const token = randomBytes(18).toString('base64url');
    remember(this.entries, token, { value, expiresAt: now + this.ttlMs });
    return `${this.prefix}${token}`;
  }

  /** What `text` (a token with its prefix) stands for, once; undefined when unknown, used or expired. */
  take(text: string): T | undefined {
    if (!text.startsWith(this.prefix)) return undefined;
    const token = text.slice(this.prefix.length);
    const entry = this.entries.get(token);
    this.entries.delete(token);
    return entry !== undefined && entry.expiresAt > this.clock() ? entry.value : undefined;
  }
}
