import { createHash, randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { MemoryHub } from '../realtime/hub';
import type { Cluster, DailySecrets, Lease, LogApply, OnceStore, OrderedLog } from './cluster';
import { newInstanceId } from './memory';

/** How long a lease lasts without renewal; a dead holder is replaced within this plus one renewal period. */
export const LEASE_TTL_MS = 2_500;
/** How often the holder renews, and the others try to take over. */
export const LEASE_RENEW_MS = 400;
/** A holder stops acting this long before its lease could expire (clock steps, slow renewals). */
const LEASE_SAFETY_MS = 300;
const DAY_MS = 86_400_000;

/** What a Redis cluster is built from. */
export interface RedisClusterOptions {
  url: string;
  /** Key prefix, so that several installs (or tests) can share one Redis. */
  prefix: string;
  now: () => number;
  /** Told when something shared fails (Redis unreachable); the instance keeps serving what it can. */
  onError?: (what: string, error: Error) => void;
}

function connect(url: string, options: { blocking?: boolean } = {}): Redis {
  return new Redis(url, {
    // A command waits at most this long for Redis; a blocking read waits longer by design.
    commandTimeout: options.blocking ? 10_000 : 2_000,
    maxRetriesPerRequest: 2,
    lazyConnect: true,
    enableAutoPipelining: !options.blocking,
  });
}

/**
 * Several `hotline serve` instances on one Redis: events through pub/sub, tickets and the day's
 * client secret as keys with expiry, the lease as a key renewed by its holder (with a fencing
 * counter), and the inbound queue's log as a Redis stream. Redis holds no personal data: queue
 * entries carry caller numbers only encrypted with the keyring, and client secrets are random.
 */
export function redisCluster(options: RedisClusterOptions): Cluster {
  const instanceId = newInstanceId();
  const redis = connect(options.url);
  const subscriber = connect(options.url);
  const reader = connect(options.url, { blocking: true });
  const onError = options.onError ?? (() => undefined);
  const keys = {
    hub: `${options.prefix}hub`,
    lease: `${options.prefix}lease`,
    fence: `${options.prefix}lease:fence`,
    gen: `${options.prefix}queue:gen`,
    log: `${options.prefix}queue:log:`,
    once: (ticket: string) => `${options.prefix}once:${createHash('sha256').update(ticket).digest('base64url')}`,
    secret: (day: string) => `${options.prefix}client-secret:${day}`,
  };
  const hub = new RedisHub(redis, subscriber, keys.hub, instanceId, onError);
  const lease = new RedisLease(redis, keys.lease, keys.fence, instanceId, onError);
  const log = new RedisLog(redis, reader, keys.lease, keys.gen, keys.log, instanceId, onError);
  const secrets = new RedisDailySecrets(redis, keys.secret, options.now, onError);
  return {
    instanceId,
    kind: 'redis',
    redis,
    hub,
    once: new RedisOnceStore(redis, keys.once),
    dailySecrets: secrets,
    lease,
    queueLog: log,
    start: async () => {
      await Promise.all([redis.connect(), subscriber.connect(), reader.connect()]);
      await hub.start();
      await secrets.start();
      await lease.start();
    },
    close: async () => {
      lease.stop();
      secrets.stop();
      await log.close();
      await lease.release();
      for (const connection of [reader, subscriber, redis]) connection.disconnect();
    },
  };
}

/** Local listeners, plus one Redis channel carrying every instance's `publish`. */
class RedisHub extends MemoryHub {
  constructor(
    private readonly redis: Redis,
    private readonly subscriber: Redis,
    private readonly channel: string,
    private readonly instanceId: string,
    private readonly onError: (what: string, error: Error) => void,
  ) {
    super();
  }

  async start(): Promise<void> {
    this.subscriber.on('message', (_channel: string, message: string) => {
      let parsed: { o: string; t: string; e: unknown };
      try {
        parsed = JSON.parse(message) as { o: string; t: string; e: unknown };
      } catch {
        return;
      }
      // This instance told its own listeners when it published.
      if (parsed.o !== this.instanceId) super.publish(parsed.t, parsed.e);
    });
    await this.subscriber.subscribe(this.channel);
  }

  override publish(topic: string, event: unknown): void {
    super.publish(topic, event);
    this.redis.publish(this.channel, JSON.stringify({ o: this.instanceId, t: topic, e: event })).catch((error: unknown) => {
      this.onError('publishing a live event', error as Error);
    });
  }

  override publishLocal(topic: string, event: unknown): void {
    super.publish(topic, event);
  }
}

class RedisOnceStore implements OnceStore {
  constructor(
    private readonly redis: Redis,
    private readonly keyOf: (ticket: string) => string,
  ) {}

  async claim(ticket: string, expiresAt: number, attemptId: string | undefined): Promise<boolean> {
    const key = this.keyOf(ticket);
    const by = attemptId ?? '';
    const set = await this.redis.set(key, by, 'PXAT', Math.max(expiresAt, Date.now() + 1000), 'NX');
    if (set === 'OK') return true;
    return attemptId !== undefined && (await this.redis.get(key)) === by;
  }
}

class RedisDailySecrets implements DailySecrets {
  private readonly secrets = new Map<string, Buffer>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly keyOf: (day: string) => string,
    private readonly now: () => number,
    private readonly onError: (what: string, error: Error) => void,
  ) {}

  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => {
      this.refresh().catch((error: unknown) => {
        this.onError("sharing the day's client secret", error as Error);
      });
    }, 60_000);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Today's and tomorrow's secrets: the first instance to ask makes each, the others read it. */
  private async refresh(): Promise<void> {
    const today = this.now();
    for (const day of [dayOf(today), dayOf(today + DAY_MS)]) {
      const key = this.keyOf(day);
      await this.redis.set(key, randomBytes(32).toString('hex'), 'PX', 3 * DAY_MS, 'NX');
      const stored = await this.redis.get(key);
      if (stored) this.secrets.set(day, Buffer.from(stored, 'hex'));
    }
    for (const day of this.secrets.keys()) if (day < dayOf(today)) this.secrets.delete(day);
  }

  secretFor(day: string): Buffer {
    let secret = this.secrets.get(day);
    if (!secret) {
      // Redis was out of reach when the day began: limits are per instance until it answers again.
      secret = randomBytes(32);
      this.secrets.set(day, secret);
      void this.refresh().catch(() => undefined);
    }
    return secret;
  }
}

function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Takes the lease when free, renews it while held; the value names the holder and its fencing token. */
const LEASE_SCRIPT = `
local current = redis.call('GET', KEYS[1])
if current then
  local holder, token = string.match(current, '^(.*):(%d+)$')
  if holder == ARGV[1] then
    redis.call('PEXPIRE', KEYS[1], ARGV[2])
    return tonumber(token)
  end
  return 0
end
local token = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], ARGV[1] .. ':' .. token, 'PX', ARGV[2])
return token`;

const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

class RedisLease implements Lease {
  private token: number | undefined;
  private heldUntil = 0;
  private timer: NodeJS.Timeout | undefined;
  private isStopped = false;
  private readonly listeners = new Set<(held: boolean) => void>();
  private wasHeld = false;

  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly fenceKey: string,
    private readonly instanceId: string,
    private readonly onError: (what: string, error: Error) => void,
  ) {}

  async start(): Promise<void> {
    await this.round();
    const loop = () => {
      if (this.isStopped) return;
      void this.round().finally(() => {
        if (!this.isStopped) this.timer = setTimeout(loop, LEASE_RENEW_MS);
      });
    };
    this.timer = setTimeout(loop, LEASE_RENEW_MS);
  }

  stop(): void {
    this.isStopped = true;
    clearTimeout(this.timer);
  }

  /** Gives the lease up at once (a clean shutdown), so another instance need not wait for it to expire. */
  async release(): Promise<void> {
    const token = this.token;
    this.token = undefined;
    this.notify();
    if (token === undefined) return;
    await this.redis.eval(RELEASE_SCRIPT, 1, this.key, `${this.instanceId}:${token}`).catch(() => undefined);
  }

  isHeld(): boolean {
    return this.token !== undefined && Date.now() < this.heldUntil;
  }

  fence(): number | undefined {
    return this.isHeld() ? this.token : undefined;
  }

  /** The lease's value while this instance holds `fence` (what fenced writes compare). */
  valueFor(fence: number): string {
    return `${this.instanceId}:${fence}`;
  }

  onChange(listener: (held: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async round(): Promise<void> {
    const startedAt = Date.now();
    try {
      const token = Number(await this.redis.eval(LEASE_SCRIPT, 2, this.key, this.fenceKey, this.instanceId, String(LEASE_TTL_MS)));
      if (token > 0) {
        this.token = token;
        this.heldUntil = startedAt + LEASE_TTL_MS - LEASE_SAFETY_MS;
      } else {
        this.token = undefined;
      }
    } catch (error) {
      // Unreachable: keep acting as holder only until the lease could have expired.
      this.onError('renewing the lease', error as Error);
    }
    this.notify();
  }

  private notify(): void {
    const held = this.isHeld();
    if (held === this.wasHeld) return;
    this.wasHeld = held;
    for (const listener of [...this.listeners]) listener(held);
  }
}

/** Appends to the current generation's stream (read inside the script, so a compaction cannot lose it). */
const APPEND_SCRIPT = `
if ARGV[1] ~= '' and redis.call('GET', KEYS[1]) ~= ARGV[1] then return false end
local gen = redis.call('GET', KEYS[2]) or '0'
return redis.call('XADD', ARGV[2] .. gen, '*', 'e', ARGV[3])`;

/**
 * Starts a new generation holding \`entries\`, if the current one still ends at ARGV[3], and leaves a
 * marker in the old one telling its readers where to go on. Only the lease holder.
 */
const COMPACT_SCRIPT = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return false end
local gen = tonumber(redis.call('GET', KEYS[2]) or '0')
local old = ARGV[2] .. gen
local last = redis.call('XREVRANGE', old, '+', '-', 'COUNT', 1)
local lastId = '0-0'
if last[1] then lastId = last[1][1] end
if lastId ~= ARGV[3] then return false end
local nextStream = ARGV[2] .. (gen + 1)
local after = '0-0'
for i = 4, #ARGV do after = redis.call('XADD', nextStream, '*', 'e', ARGV[i]) end
redis.call('XADD', old, '*', 'e', cjson.encode({ moved = gen + 1, after = after, count = #ARGV - 3 }))
redis.call('PEXPIRE', old, 600000)
redis.call('SET', KEYS[2], gen + 1)
return after`;

type StreamEntry = [id: string, fields: string[]];

class RedisLog implements OrderedLog {
  private apply: LogApply | undefined;
  private gen = 0;
  private lastId = '0-0';
  private count = 0;
  private isClosed = false;
  private reading: Promise<void> = Promise.resolve();
  private readonly pending = new Map<string, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();

  constructor(
    private readonly redis: Redis,
    private readonly reader: Redis,
    private readonly leaseKey: string,
    private readonly genKey: string,
    private readonly streamPrefix: string,
    private readonly instanceId: string,
    private readonly onError: (what: string, error: Error) => void,
  ) {}

  async open(apply: LogApply): Promise<void> {
    this.apply = apply;
    this.gen = Number((await this.redis.get(this.genKey)) ?? '0');
    // Catch up with everything stored, page by page.
    for (;;) {
      const entries = (await this.redis.xrange(this.stream(), this.lastId === '0-0' ? '-' : `(${this.lastId}`, '+', 'COUNT', 1000)) as StreamEntry[];
      if (entries.length === 0) break;
      for (const entry of entries) this.take(entry);
    }
    this.reading = this.follow();
  }

  append(entry: unknown): Promise<unknown> {
    return this.appendWith('', entry);
  }

  async appendFenced(entry: unknown, fence: number): Promise<boolean> {
    try {
      await this.appendWith(`${this.instanceId}:${fence}`, entry);
      return true;
    } catch (error) {
      if ((error as Error).message === FENCED) return false;
      throw error;
    }
  }

  async compact(entries: unknown[], fence: number): Promise<boolean> {
    const payloads = entries.map((entry) => JSON.stringify({ b: entry }));
    const after = (await this.redis.eval(COMPACT_SCRIPT, 2, this.leaseKey, this.genKey, `${this.instanceId}:${fence}`, this.streamPrefix, this.lastId, ...payloads)) as string | null;
    return after !== null;
  }

  length(): number {
    return this.count;
  }

  async close(): Promise<void> {
    this.isClosed = true;
    for (const waiter of this.pending.values()) waiter.reject(new Error('the queue log closed'));
    this.pending.clear();
    this.reader.disconnect();
    await this.reading.catch(() => undefined);
  }

  private async appendWith(leaseValue: string, entry: unknown): Promise<unknown> {
    const nonce = randomBytes(9).toString('base64url');
    const applied = new Promise<unknown>((resolve, reject) => {
      this.pending.set(nonce, { resolve, reject });
    });
    try {
      const id = await this.redis.eval(APPEND_SCRIPT, 2, this.leaseKey, this.genKey, leaseValue, this.streamPrefix, JSON.stringify({ n: nonce, b: entry }));
      if (id === null) throw new Error(FENCED);
    } catch (error) {
      this.pending.delete(nonce);
      throw error;
    }
    return applied;
  }

  private hasClosed(): boolean {
    return this.isClosed;
  }

  private stream(): string {
    return `${this.streamPrefix}${this.gen}`;
  }

  /** Reads new entries as they come, in order, for as long as the log is open. */
  private async follow(): Promise<void> {
    while (!this.isClosed) {
      try {
        const answer = await this.reader.xread('COUNT', 500, 'BLOCK', 1000, 'STREAMS', this.stream(), this.lastId);
        for (const [, entries] of answer ?? []) for (const entry of entries) this.take(entry);
      } catch (error) {
        if (this.hasClosed()) return;
        this.onError('reading the queue log', error as Error);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  }

  private take([id, fields]: StreamEntry): void {
    this.lastId = id;
    const payload = JSON.parse(fields[1] ?? '{}') as { n?: string; b?: unknown; moved?: number; after?: string; count?: number };
    if (payload.moved !== undefined) {
      // Compacted: the new generation begins with the equivalent of what this instance has applied.
      this.gen = payload.moved;
      this.lastId = payload.after ?? '0-0';
      this.count = payload.count ?? 0;
      return;
    }
    this.count += 1;
    let result: unknown;
    let failure: Error | undefined;
    try {
      result = this.apply?.(payload.b);
    } catch (error) {
      failure = error as Error;
      this.onError('applying a queue event', failure);
    }
    if (payload.n === undefined) return;
    const waiter = this.pending.get(payload.n);
    if (!waiter) return;
    this.pending.delete(payload.n);
    if (failure) waiter.reject(failure);
    else waiter.resolve(result);
  }
}

const FENCED = 'the lease moved to another instance';

/**
 * For a command-line run (an import, a counter rebuild): a hub that also publishes its events to
 * the running instances through Redis, so their counters move at once. Nothing is subscribed; a
 * Redis that does not answer is reported and the command goes on (the instances re-read the
 * counters within a minute anyway).
 */
export function redisPublishingHub(options: { url: string; prefix: string; onError: (error: Error) => void }): { hub: MemoryHub; close(): Promise<void> } {
  const redis = connect(options.url);
  const origin = `cli-${newInstanceId()}`;
  const pending = new Set<Promise<unknown>>();
  let hasFailed = false;
  class PublishingHub extends MemoryHub {
    override publish(topic: string, event: unknown): void {
      super.publish(topic, event);
      if (hasFailed) return;
      const sent = redis.publish(`${options.prefix}hub`, JSON.stringify({ o: origin, t: topic, e: event })).catch((error: unknown) => {
        hasFailed = true;
        options.onError(error as Error);
      });
      pending.add(sent);
      void sent.finally(() => pending.delete(sent));
    }
  }
  return {
    hub: new PublishingHub(),
    close: async () => {
      await Promise.all(pending);
      redis.disconnect();
    },
  };
}
