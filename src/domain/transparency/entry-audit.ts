import { type LogEntry, decodeEntry } from './log-entry';
import { type LogTotals, ZERO_TOTALS, addToTotals } from './sequencer';

/** Counts by one dimension's key (a province, a day, a channel). */
export type CountsByKey = Map<string, Omit<LogTotals, 'statements'>>;

/** An entry that breaks the log's rules; `index` names it. */
export class EntryProblem extends Error {
  constructor(
    message: string,
    readonly index: number,
  ) {
    super(message);
    this.name = 'EntryProblem';
  }
}

/**
 * Reads the log's entries in order, as a monitor does: each must decode (canonical form), statement
 * numbers appear once while counted, and a withdrawal must take back a counted statement entry of
 * the same number with the same counts. Adds up the totals, and the counts by province, by day
 * (of the statement taken back, for withdrawals) and by channel, as the public counters show them.
 */
export class EntryAuditor {
  readonly totals: LogTotals = { ...ZERO_TOTALS };
  readonly byProvince: CountsByKey = new Map();
  readonly byDay: CountsByKey = new Map();
  readonly byChannel: CountsByKey = new Map();
  /** Counted statement entries by index: what a withdrawal may take back. */
  private readonly standing = new Map<number, { sequence: number; province: string; day: string; channel: string; counts: [number, number, number, number] }>();
  /** Indexes of the standing entry of each public number. */
  private readonly bySequence = new Map<number, number>();
  private next = 0;

  add(index: number, bytes: Uint8Array): void {
    if (index !== this.next) throw new EntryProblem(`entry ${index} came before entry ${this.next}`, index);
    this.next += 1;
    let entry: LogEntry;
    try {
      entry = decodeEntry(bytes);
    } catch (error) {
      throw new EntryProblem(`entry ${index} is not a Hotline log entry: ${(error as Error).message}`, index);
    }
    if (entry.kind === 'statement') {
      if (this.bySequence.has(entry.sequence)) throw new EntryProblem(`entry ${index} counts statement No. ${entry.sequence} a second time`, index);
      this.standing.set(index, { sequence: entry.sequence, province: entry.province, day: entry.day, channel: entry.channel, counts: [entry.people, entry.party, entry.league, entry.pioneers] });
      this.bySequence.set(entry.sequence, index);
      this.move(entry.province, entry.day, entry.channel, entry, 1);
    } else {
      const taken = this.standing.get(entry.withdraws);
      if (!taken || taken.sequence !== entry.sequence) {
        throw new EntryProblem(`entry ${index} withdraws entry ${entry.withdraws}, which is not a counted statement No. ${entry.sequence}`, index);
      }
      const [people, party, league, pioneers] = taken.counts;
      if (people !== entry.people || party !== entry.party || league !== entry.league || pioneers !== entry.pioneers) {
        throw new EntryProblem(`entry ${index} withdraws other counts than entry ${entry.withdraws} holds`, index);
      }
      this.standing.delete(entry.withdraws);
      this.bySequence.delete(entry.sequence);
      this.move(taken.province, taken.day, taken.channel, entry, -1);
    }
    addToTotals(this.totals, entry);
  }

  private move(province: string, day: string, channel: string, counts: Omit<LogTotals, 'statements'>, sign: 1 | -1): void {
    for (const [map, key] of [
      [this.byProvince, province],
      [this.byDay, day],
      [this.byChannel, channel],
    ] as const) {
      const values = map.get(key) ?? { people: 0, party: 0, league: 0, pioneers: 0 };
      values.people += sign * counts.people;
      values.party += sign * counts.party;
      values.league += sign * counts.league;
      values.pioneers += sign * counts.pioneers;
      map.set(key, values);
    }
  }
}
