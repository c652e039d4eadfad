import type { Deps } from '../deps';
import { chinaDay, chinaDayBefore } from './china-day';
import { COUNTERS_TOPIC, type CounterValues, type CountersChangedEvent } from './counter-change';

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

  private constructor(private readonly deps: Deps) {}

  /** Loads the counters and starts following the hub. */
  static async load(deps: Deps): Promise<CounterCache> {
    const cache = new CounterCache(deps);
    // Subscribe first: a change committed while loading is then counted once by the reload below.
    cache.unsubscribe = deps.hub.subscribe(COUNTERS_TOPIC, (event) => {
      cache.apply(event as CountersChangedEvent);
    });
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
    const rows = await this.deps.store.registry.counters.read(['total', 'day', 'province'], { dayFrom: chinaDayBefore(now, CACHED_DAYS) });
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
    this.changed(now);
    return true;
  }

  /** Applies one committed change. */
  apply(event: CountersChangedEvent): void {
    this.applied += 1;
    for (const delta of event.deltas) {
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
    this.changed(Math.max(event.at, this.updatedAt));
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
    return { total: { ...this.total }, today: { ...(this.days.get(day) ?? zero()) }, day, updatedAt: new Date(this.updatedAt).toISOString() };
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
