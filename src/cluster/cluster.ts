import type { Redis } from 'ioredis';
import type { Hub } from '../realtime/hub';

/**
 * What several `hotline serve` instances must share to act as one hotline: live events, one-use
 * tickets, the day's client-key secret, one leader at a time, and the inbound queue's log. One
 * process on SQLite uses the in-memory cluster (`memory.ts`); with HOTLINE_REDIS_URL set, every
 * instance uses Redis (`redis.ts`) and they share all of it.
 */
export interface Cluster {
  /** This process, as the others see it (host, pid and a random part; never reused). */
  readonly instanceId: string;
  /** 'memory' (one process) or 'redis'. */
  readonly kind: 'memory' | 'redis';
  /** Events to every instance (counter changes) and to this one only (`publishLocal`). */
  readonly hub: Hub;
  readonly once: OnceStore;
  readonly dailySecrets: DailySecrets;
  readonly lease: Lease;
  readonly queueLog: OrderedLog;
  /** The Redis connection rate limits count in (absent: counted in this process). */
  readonly redis?: Redis;
  /** Starts the lease and the shared secrets; resolves when this instance can serve. */
  start(): Promise<void>;
  close(): Promise<void>;
}

/** One-use tickets (proof-of-work challenges, form tokens), shared by all instances. */
export interface OnceStore {
  /**
   * Marks `ticket` used until `expiresAt`. True when nobody used it before, or when the earlier use
   * was by the same `attemptId` (the same statement sent again); false otherwise.
   */
  claim(ticket: string, expiresAt: number, attemptId: string | undefined): Promise<boolean>;
}

/** A random secret per UTC day, the same on every instance (client keys for rate limits). */
export interface DailySecrets {
  /** The secret of `day` (YYYY-MM-DD); known ahead for today and tomorrow. */
  secretFor(day: string): Buffer;
}

/**
 * Leadership with fencing: at most one instance holds the lease at a time; the holder runs what
 * must happen once (queue timers, hourly jobs). A holder that cannot renew in time stops acting as
 * holder before another can take over; its stale writes are refused by the fence.
 */
export interface Lease {
  isHeld(): boolean;
  /** The fencing token of the current holding: larger for every new holder. */
  fence(): number | undefined;
  /** Told when this instance gains or loses the lease. */
  onChange(listener: (held: boolean) => void): () => void;
}

/** An entry of the ordered log and the result its local application gave. */
export type LogApply = (entry: unknown) => unknown;

/**
 * A totally ordered log every instance applies in the same order (state-machine replication):
 * the inbound queue's events. `append` resolves with what applying the entry on this instance
 * returned, once it has been applied here.
 */
export interface OrderedLog {
  /** Applies every stored entry, then follows new ones; resolves when caught up. */
  open(apply: LogApply): Promise<void>;
  append(entry: unknown): Promise<unknown>;
  /** Appends only while this instance holds `fence` (the lease); resolves false, appending nothing, otherwise. */
  appendFenced(entry: unknown, fence: number): Promise<boolean>;
  /**
   * Replaces everything before the current end with `entries` (a compacted equivalent), when nothing
   * was appended since `appliedCount` entries were applied here; only by the lease holder.
   */
  compact(entries: unknown[], fence: number): Promise<boolean>;
  /** Entries applied here so far (since the last compaction, counting its entries). */
  length(): number;
  close(): Promise<void>;
}
