import { type Checkpoint, formatCheckpoint } from '../../tlog/checkpoint';
import { EMPTY_ROOT, type Hash, consistencyProof, inclusionProof, leafHash, treeRoot } from '../../tlog/merkle';
import { type NoteSigner, signNote } from '../../tlog/note';
import { withTiles } from '../../tlog/tile-reader';
import { TiledHashes, type TileStore, type TileWrite, tilesToAppend } from '../../tlog/tiled-tree';
import type { Deps } from '../deps';
import { type CounterEntry, CounterTotals } from '../counters/counter-change';
import { type LogEntry, decodeEntry } from './log-entry';

/** Entries sequenced per step: a step's hashing keeps the event loop for about 50 ms at most. */
const DEFAULT_BATCH = 4_096;

/** Topic on `deps.hub` announcing a new signed checkpoint (`LogCheckpointEvent`). */
export const LOG_TOPIC = 'log';

/** What the log's entries add up to: statements counted and their people, by organization. */
export interface LogTotals {
  statements: number;
  people: number;
  party: number;
  league: number;
  pioneers: number;
}

/** What `LOG_TOPIC` carries: the new checkpoint, and the counter changes of the entries it added. */
export interface LogCheckpointEvent {
  size: number;
  previousSize: number;
  totals: LogTotals;
  deltas: CounterEntry[];
  at: number;
}

/** The latest checkpoint as served: the signed note with witnesses' cosignatures, its size, root and totals. */
export interface LogHead {
  size: number;
  root: Hash;
  /** The checkpoint note with every signature (the log's, then witnesses'). */
  note: string;
  /** The note signed by the log alone: what witnesses are sent. */
  signed: string;
  /** The note's text (origin, size, root): what witnesses cosign. */
  text: string;
  totals: LogTotals;
  signedAt: number;
}

export const ZERO_TOTALS: LogTotals = { statements: 0, people: 0, party: 0, league: 0, pioneers: 0 };

/** Adds one entry to running totals (a withdrawal takes its counts back). */
export function addToTotals(totals: LogTotals, entry: LogEntry): void {
  const sign = entry.kind === 'statement' ? 1 : -1;
  totals.statements += sign;
  totals.people += sign * entry.people;
  totals.party += sign * entry.party;
  totals.league += sign * entry.league;
  totals.pioneers += sign * entry.pioneers;
}

/** The head as stored, or undefined before the first checkpoint. */
export async function readLogHead(deps: Deps): Promise<LogHead | undefined> {
  const row = await deps.store.transparency.head();
  if (!row) return undefined;
  return {
    size: row.size,
    root: row.root,
    note: `${row.checkpoint}${row.cosignatures}`,
    signed: row.checkpoint,
    text: row.checkpoint.slice(0, row.checkpoint.indexOf('\n\n') + 1),
    totals: JSON.parse(row.totals) as LogTotals,
    signedAt: row.signed_at,
  };
}

/** Reads tiles from the store for `withTiles`. */
function tileReader(deps: Deps): (level: number, index: number) => Promise<Buffer> {
  return (level, index) => deps.store.transparency.readTile(level, index);
}

/**
 * The inclusion proof of entry `index` in the tree of `size` entries, and how many tiles it read.
 * `edge` holds the partial tiles of that tree (the right edge every proof of it needs, one per level
 * at most): they are read from it, and the ones this proof read are added to it.
 */
export async function proveInclusion(deps: Deps, index: number, size: number, edge?: Map<string, Buffer>): Promise<{ proof: Hash[]; fetched: number }> {
  const cache = new Map(edge);
  const { result, fetched } = await withTiles(tileReader(deps), (store) => inclusionProof(new TiledHashes(store, size), index, size), cache);
  if (edge) for (const [key, tile] of cache) if (tile.length < 256 * 32) edge.set(key, tile);
  return { proof: result, fetched };
}

/** The consistency proof from the tree of `from` entries to the tree of `to`. */
export async function proveConsistency(deps: Deps, from: number, to: number): Promise<Hash[]> {
  return (await withTiles(tileReader(deps), (store) => consistencyProof(new TiledHashes(store, to), from, to))).result;
}

/** Tiles being written over the tiles already stored: what a step reads while it builds. */
class OverlayStore implements TileStore {
  readonly written = new Map<string, Buffer>();

  constructor(private readonly below: TileStore) {}

  readHashes(level: number, index: number): Buffer {
    return this.written.get(`${level}/${index}`) ?? this.below.readHashes(level, index);
  }

  add(writes: readonly TileWrite[]): void {
    for (const { tile, hashes } of writes) this.written.set(`${String(tile.level)}/${tile.index}`, hashes);
  }
}

/**
 * The one sequencer: takes the entries appended since the last checkpoint (in index order, as the
 * publishing transactions numbered them), hashes them into the tiles, and signs the next checkpoint.
 * Runs on the instance holding the cluster lease; and whatever runs it, the head only moves from the
 * size it was read at (a compare-and-set in the same transaction as the tiles), so two sequencers
 * can never both publish, and since the tiles are a function of the entries, never fork the log.
 */
export class LogSequencer {
  constructor(
    private readonly deps: Deps,
    private readonly options: { origin: string; signer: NoteSigner; batchSize?: number },
  ) {}

  /**
   * Sequences at most one batch: returns the number of entries added to the tree (0 when it is
   * current, or when another sequencer moved the head first).
   */
  async step(): Promise<number> {
    const { deps } = this;
    const head = await deps.store.transparency.head();
    const size = head?.size ?? 0;
    const entries = await deps.store.transparency.entries(size, size + (this.options.batchSize ?? DEFAULT_BATCH));
    // Entries are committed in index order; stop at a gap rather than sequence past it.
    let count = 0;
    while (count < entries.length && entries[count]?.idx === size + count) count += 1;
    if (count === 0 && head !== undefined) return 0;
    const leaves = entries.slice(0, count).map((stored) => leafHash(stored.entry));
    const totals: LogTotals = head ? (JSON.parse(head.totals) as LogTotals) : { ...ZERO_TOTALS };
    // The counters these entries move: a statement's day, province, channel and the total; a
    // withdrawal takes them back from those of the statement entry it withdraws.
    const changes = new CounterTotals();
    const decoded = new Map<number, LogEntry>();
    for (const stored of entries.slice(0, count)) {
      const entry = decodeEntry(stored.entry, { trusted: true });
      decoded.set(stored.idx, entry);
      addToTotals(totals, entry);
      if (entry.kind === 'statement') {
        changes.addStatement(entry, entry.day, entry.province, 1);
      } else {
        let taken = decoded.get(entry.withdraws);
        if (taken === undefined) {
          const [stored] = await deps.store.transparency.entries(entry.withdraws, entry.withdraws + 1);
          taken = stored ? decodeEntry(stored.entry) : undefined;
        }
        if (taken?.kind === 'statement') changes.addStatement(taken, taken.day, taken.province, -1);
      }
    }
    const newSize = size + count;
    const cache = new Map<string, Buffer>();
    const { result: built } = await withTiles(
      tileReader(deps),
      (stored) => {
        const overlay = new OverlayStore(stored);
        const writes = tilesToAppend(overlay, size, leaves);
        overlay.add(writes);
        return { writes, root: newSize === 0 ? EMPTY_ROOT : treeRoot(new TiledHashes(overlay, newSize), newSize) };
      },
      cache,
    );
    const checkpoint: Checkpoint = { origin: this.options.origin, size: newSize, root: built.root, extensions: [] };
    const note = signNote(formatCheckpoint(checkpoint), [this.options.signer]);
    const signedAt = deps.clock();
    const moved = await deps.store.transaction(async (tx) => {
      await tx.transparency.writeTiles(built.writes.map(({ tile, hashes }) => ({ level: tile.level as number, idx: tile.index, width: tile.width, hashes })));
      const isMoved = await tx.transparency.advanceHead(head?.size, {
        size: newSize,
        root: built.root,
        checkpoint: note,
        cosignatures: '',
        totals: JSON.stringify(totals),
        signed_at: signedAt,
      });
      // Another sequencer published first: roll the tiles back too (they would be the same bytes).
      if (!isMoved) throw new HeadMoved();
      return true;
    }).catch((error: unknown) => {
      if (error instanceof HeadMoved) return false;
      throw error;
    });
    if (!moved) return 0;
    deps.hub.publish(LOG_TOPIC, { size: newSize, previousSize: size, totals, deltas: changes.sorted(), at: signedAt } satisfies LogCheckpointEvent);
    return count;
  }

  /** Sequences until the tree holds every entry committed so far; returns how many were added. */
  async catchUp(): Promise<number> {
    let total = 0;
    for (;;) {
      const added = await this.step();
      total += added;
      if (added === 0) return total;
      // SQLite answers synchronously: without this, a long backlog would never let requests, timers
      // or a starting server's plugins run until it was done.
      await yieldToEventLoop();
    }
  }
}

class HeadMoved extends Error {}

/** Lets pending I/O and timers run before going on. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
