import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { type Hub, MemoryHub } from '../realtime/hub';
import type { Cluster, DailySecrets, Lease, LogApply, OnceStore, OrderedLog } from './cluster';

/** A name for this process that no other process has or had. */
export function newInstanceId(): string {
  return `${hostname()}-${process.pid}-${randomBytes(4).toString('hex')}`;
}

/** Used tickets in memory, swept once a minute. */
export class MemoryOnceStore implements OnceStore {
  private readonly used = new Map<string, { until: number; by: string | undefined }>();
  private sweepAt = 0;

  constructor(private readonly now: () => number) {}

  claim(ticket: string, expiresAt: number, attemptId: string | undefined): Promise<boolean> {
    const now = this.now();
    if (now >= this.sweepAt) {
      for (const [key, use] of this.used) if (use.until <= now) this.used.delete(key);
      this.sweepAt = now + 60_000;
    }
    const earlier = this.used.get(ticket);
    if (earlier) return Promise.resolve(attemptId !== undefined && earlier.by === attemptId);
    this.used.set(ticket, { until: expiresAt, by: attemptId });
    return Promise.resolve(true);
  }
}

/** A fresh random secret per day, in this process's memory only. */
export class MemoryDailySecrets implements DailySecrets {
  private readonly secrets = new Map<string, Buffer>();

  secretFor(day: string): Buffer {
    let secret = this.secrets.get(day);
    if (!secret) {
      secret = randomBytes(32);
      this.secrets.set(day, secret);
      // Only today and tomorrow are ever asked for.
      for (const known of this.secrets.keys()) if (known < day) this.secrets.delete(known);
    }
    return secret;
  }
}

/** One process always holds its own lease. */
export class SoleLease implements Lease {
  isHeld(): boolean {
    return true;
  }

  fence(): number {
    return 1;
  }

  onChange(): () => void {
    return () => undefined;
  }
}

/** The log of one process: an entry is applied as it is appended, and nothing is kept. */
export class ImmediateLog implements OrderedLog {
  private apply: LogApply | undefined;
  private count = 0;

  open(apply: LogApply): Promise<void> {
    this.apply = apply;
    return Promise.resolve();
  }

  append(entry: unknown): Promise<unknown> {
    return Promise.resolve(this.applyNow(entry));
  }

  appendFenced(entry: unknown): Promise<boolean> {
    this.applyNow(entry);
    return Promise.resolve(true);
  }

  compact(entries: unknown[]): Promise<boolean> {
    this.count = entries.length;
    return Promise.resolve(true);
  }

  length(): number {
    return this.count;
  }

  close(): Promise<void> {
    this.apply = undefined;
    return Promise.resolve();
  }

  private applyNow(entry: unknown): unknown {
    if (!this.apply) throw new Error('the queue log is not open');
    this.count += 1;
    return this.apply(entry);
  }
}

/** Everything for one process; no Redis. */
export function memoryCluster(now: () => number, hub: Hub = new MemoryHub()): Cluster {
  return {
    instanceId: newInstanceId(),
    kind: 'memory',
    hub,
    once: new MemoryOnceStore(now),
    dailySecrets: new MemoryDailySecrets(),
    lease: new SoleLease(),
    queueLog: new ImmediateLog(),
    start: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
}
