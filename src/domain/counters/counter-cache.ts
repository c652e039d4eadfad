import type { Deps } from '../deps';
import { chinaDay, chinaDayBefore } from './china-day';
import { decodeEntry } from '../transparency/log-entry';
import { LOG_TOPIC, type LogCheckpointEvent } from '../transparency/sequencer';
import { COUNTERS_TOPIC, type CounterEntry, type CounterValues, type CountersChangedEvent, countersOf } from './counter-change';

/** How many days of daily counts the cache keeps (the public chart shows 90). */
export const CACHED_DAYS = 120;

/** The public counter: totals, today's counts (CST) and when it last changed. */
export interface CountersSnapshot {
  total: CounterValues;
  today: CounterValues;
  /** Today in China Standard Time. */
  day: string;
  /** ISO time of the last committed change (or of loading). */
  updatedAt: string;
  /** The size of the signed log checkpoint these counts are the sums of (0 before the first). */
  checkpointSize: number;
}

/** One day of the daily chart. */
export interface DailyCount extends CounterValues {
  day: string;
}

const zero = (): CounterValues => ({ people: 0, party: 0, league: 0, pioneers: 0 });

function add(target: CounterValues, delta: CounterValues): void {
  target.people += delta.people;
  target.party += delta.party;
  target.league += delta.league;
  target.pioneers += delta.pioneers;
}

/** One province's totals (code, or 'abroad' / 'unknown'). */
export interface ProvinceCount extends CounterValues {
  provinceCode: string;
}

/**
 * The public counters in memory: loaded once from the database, then kept current from the
 * committed changes published on the hub, so a flood of readers never touches the database. Also
 * keeps the last `CACHED_DAYS` days for the daily chart.
 *
 * They are the sums over the transparency log's entries at its latest signed checkpoint: each new
 * checkpoint brings the counter changes of the entries it added (whichever process appended them,
 * a server or the CLI), and loading subtracts the entries appended after the checkpoint from the
 * stored counters. Only changes that append nothing to the log (a `stats rebuild`) apply at once.
 */
export class CounterCache {
  private total = zero();
  private readonly days = new Map<string, CounterValues>();
  /** Totals by province (GB/T 2260 code, or 'abroad' / 'unknown'). */
  private readonly provinces = new Map<string, CounterValues>();
  private provincesJson: string | undefined;
  private updatedAt = 0;
  /** Bumped with every change: what was made from the counters is current while it is the same. */
  private changes = 0;
  private versionAt: { second: number; changes: number; text: string } | undefined;
  /** Changes applied so far; a reload that overlapped one is discarded (it may or may not include it). */
  private applied = 0;
  private json: { day: string; text: string } | undefined;
  private dailyJson = new Map<number, { day: string; text: string }>();
  private readonly listeners = new Set<(snapshot: CountersSnapshot) => void>();
  private unsubscribe: (() => void) | undefined;
  /** The size of the latest signed checkpoint. */
  private checkpointSize = 0;

  private constructor(private readonly deps: Deps) {}

  /** Loads the counters and starts following the hub. */
  static async load(deps: Deps): Promise<CounterCache> {
    const cache = new CounterCache(deps);
    // Subscribe first: a change committed while loading is then counted once by the reload below.
    const unsubscribeCounters = deps.hub.subscribe(COUNTERS_TOPIC, (event) => {
      cache.receive(event as CountersChangedEvent);
    });
    const unsubscribeLog = deps.hub.subscribe(LOG_TOPIC, (event) => {
      cache.checkpointed(event as LogCheckpointEvent);
    });
    cache.unsubscribe = () => {
      unsubscribeCounters();
      unsubscribeLog();
    };
    // Retry while changes keep overlapping the read; in the end take the read as it is.
    let isLoaded = false;
    for (let attempt = 0; attempt < 10 && !isLoaded; attempt++) isLoaded = await cache.reload();
    if (!isLoaded) await cache.reload({ force: true });
    return cache;
  }

  /**
   * Re-reads the counters from the database (start-up, and periodically to pick up changes made by
   * other processes, such as `stats rebuild`). Returns false, changing nothing, when a change was
   * applied while reading: the read may or may not include it, so the next reload tries again.
   */
  async reload(options: { force?: boolean } = {}): Promise<boolean> {
    const now = this.deps.clock();
    const appliedBefore = this.applied;
    // One snapshot: the counters, the checkpoint, and the entries after it, whose changes are taken back out.
    const { rows, checkpointSize, unsigned } = await this.deps.store.readSnapshot(async (tx) => {
      const counters = await tx.registry.counters.read(['total', 'day', 'province'], { dayFrom: chinaDayBefore(now, CACHED_DAYS) });
      const head = await tx.transparency.head();
      const size = head?.size ?? 0;
      return { rows: counters, checkpointSize: size, unsigned: await unsignedChanges(tx, size) };
    });
    if (this.applied !== appliedBefore && options.force !== true) return false;
    this.total = zero();
    this.days.clear();
    this.provinces.clear();
    for (const row of rows) {
      const values = { people: row.people, party: row.party, league: row.league, pioneers: row.pioneers };
      if (row.dimension === 'total') this.total = values;
      else if (row.dimension === 'province') this.provinces.set(row.key, values);
      else this.days.set(row.key, values);
    }
    for (const delta of unsigned) this.add(delta);
    this.checkpointSize = checkpointSize;
    this.changed(now);
    return true;
  }

  /** A committed change: one that appended log entries shows with the checkpoint that holds them. */
  receive(event: CountersChangedEvent): void {
    if (event.logEnd === undefined) this.apply(event);
  }

  /**
   * A new signed checkpoint: its entries' changes are shown. One that does not follow the
   * checkpoint shown (a missed event, or an older one arriving late) makes the counters be read again.
   */
  checkpointed(event: LogCheckpointEvent): void {
    if (event.size <= this.checkpointSize) return;
    if (event.previousSize !== this.checkpointSize) {
      this.reload({ force: true }).then(undefined, () => undefined);
      return;
    }
    this.checkpointSize = event.size;
    this.apply({ deltas: event.deltas, at: event.at });
  }

  /** Applies one committed change. */
  apply(event: CountersChangedEvent): void {
    this.applied += 1;
    for (const delta of event.deltas) this.add(delta);
    this.changed(Math.max(event.at, this.updatedAt));
  }

  private add(delta: CounterEntry): void {
    if (delta.dimension === 'total') add(this.total, delta);
    if (delta.dimension === 'day' || delta.dimension === 'province') {
      const map = delta.dimension === 'day' ? this.days : this.provinces;
      let values = map.get(delta.key);
      if (!values) {
        values = zero();
        map.set(delta.key, values);
      }
      add(values, delta);
    }
  }

  private changed(at: number): void {
    this.changes += 1;
    this.updatedAt = at;
    this.json = undefined;
    this.provincesJson = undefined;
    this.dailyJson.clear();
    const oldest = chinaDayBefore(this.deps.clock(), CACHED_DAYS);
    for (const day of this.days.keys()) if (day < oldest) this.days.delete(day);
    if (this.listeners.size === 0) return;
    const snapshot = this.snapshot();
    for (const listener of [...this.listeners]) {
      try {
        listener(snapshot);
      } catch {
        // A closed stream must not stop the others.
      }
    }
  }

  /** The current public counter. */
  snapshot(): CountersSnapshot {
    const day = chinaDay(this.deps.clock());
    return {
      total: { ...this.total },
      today: { ...(this.days.get(day) ?? zero()) },
      day,
      updatedAt: new Date(this.updatedAt).toISOString(),
      checkpointSize: this.checkpointSize,
    };
  }

  /** `snapshot()` as JSON text, serialized once per change (and per CST day). */
  snapshotJson(): string {
    const day = chinaDay(this.deps.clock());
    if (this.json?.day !== day) this.json = { day, text: JSON.stringify(this.snapshot()) };
    return this.json.text;
  }

  /** The last `days` CST days (today included), oldest first, zeros for days without statements. */
  daily(days: number): DailyCount[] {
    const now = this.deps.clock();
    const count = Math.max(1, Math.min(days, CACHED_DAYS));
    const out: DailyCount[] = [];
    for (let back = count - 1; back >= 0; back--) {
      const day = chinaDayBefore(now, back);
      out.push({ day, ...(this.days.get(day) ?? zero()) });
    }
    return out;
  }

  /** `{ days: daily(days) }` as JSON text, cached until the next change. */
  dailyJsonText(days: number): string {
    const today = chinaDay(this.deps.clock());
    const cached = this.dailyJson.get(days);
    if (cached?.day === today) return cached.text;
    const text = JSON.stringify({ days: this.daily(days) });
    this.dailyJson.set(days, { day: today, text });
    return text;
  }

  /** Totals by province, most people first (provinces without a statement are left out). */
  byProvince(): ProvinceCount[] {
    return [...this.provinces]
      .filter(([, values]) => values.people > 0)
      .map(([provinceCode, values]) => ({ provinceCode, ...values }))
      .sort((a, b) => b.people - a.people || a.provinceCode.localeCompare(b.provinceCode));
  }

  /** `{ provinces: byProvince() }` as JSON text with each province's names, made once per change. */
  byProvinceJsonText(present: (counts: ProvinceCount[]) => unknown): string {
    this.provincesJson ??= JSON.stringify({ provinces: present(this.byProvince()) });
    return this.provincesJson;
  }

  /** Calls `listener` with the new snapshot after every change; returns the unsubscribe function. */
  onChange(listener: (snapshot: CountersSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Changes with every change of the counters and with the CST day (pages made from them are then stale). */
  get version(): string {
    const now = this.deps.clock();
    // The day is worked out again at most once a second (this is read on every public read).
    if (this.versionAt === undefined || now - this.versionAt.second >= 1000 || now < this.versionAt.second || this.versionAt.changes !== this.changes) {
      this.versionAt = { second: now - (now % 1000), changes: this.changes, text: `${this.changes}:${chinaDay(now)}` };
    }
    return this.versionAt.text;
  }

  /** How many change listeners (open streams) there are. */
  get listenerCount(): number {
    return this.listeners.size;
  }

  /** Stops following the hub. */
  close(): void {
    this.unsubscribe?.();
    this.listeners.clear();
  }
}

/**
 * The counter changes of the log entries after the checkpoint of `size` entries, taken back: a
 * statement entry's counts come off its day, province, channel and the total; a withdrawal's go back
 * onto those of the entry it withdraws.
 */
async function unsignedChanges(store: Deps['store'], size: number): Promise<CounterEntry[]> {
  const changes: CounterEntry[] = [];
  for (let from = size; ; from += 10_000) {
    const entries = await store.transparency.entries(from, from + 10_000);
    for (const stored of entries) {
      const entry = decodeEntry(stored.entry, { trusted: true });
      if (entry.kind === 'statement') {
        changes.push(...countersOf({ ...entry, provinceCode: entry.province }, -1));
      } else {
        const [taken] = await store.transparency.entries(entry.withdraws, entry.withdraws + 1);
        const withdrawn = taken ? decodeEntry(taken.entry, { trusted: true }) : undefined;
        if (withdrawn?.kind === 'statement') changes.push(...countersOf({ ...withdrawn, provinceCode: withdrawn.province }, 1));
      }
    }
    if (entries.length < 10_000) return changes;
  }
}
