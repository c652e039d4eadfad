import { type Checkpoint, parseCheckpoint } from './checkpoint';
import { parseCosignatureVerifierKey } from './cosignature';
import { type Hash, HASH_SIZE, consistencyProof, leafHash, treeRoot, verifyConsistency } from './merkle';
import { openNote, parseVerifierKey } from './note';
import { withTiles } from './tile-reader';
import { MemoryTileStore, TiledHashes, tilesToAppend } from './tiled-tree';
import { TILE_WIDTH, parseEntryBundle, tilePath, tilesAt } from './tiles';

/**
 * A monitor of a C2SP tiled log, on HTTP only: checks the checkpoint's signature, recomputes the
 * root from the tiles, checks the new tree is consistent with the one it saw before (its state),
 * and, asked to, fetches every entry, checks each against the level-0 tiles and against the entry
 * seen at the same index before, recomputes every tile and the root from the entries, and lets the
 * caller add up the entries. The first disagreement throws a `LogDisagreement` naming the index or
 * size.
 */

/** What a monitor keeps between runs: the last checkpoint it verified and, with entries, every leaf hash. */
export interface MonitorState {
  origin: string;
  size: number;
  root: Hash;
  /** The leaf hashes of entries [0, size), when the last run fetched the entries. */
  leaves?: Buffer;
}

/** A check that failed: `index` or `size` names where. */
export class LogDisagreement extends Error {
  constructor(
    message: string,
    readonly where: { index?: number; size?: number; tile?: string },
  ) {
    super(message);
    this.name = 'LogDisagreement';
  }
}

/** A GET below the log's prefix: the body, or undefined for 404. */
export type LogFetch = (path: string) => Promise<Buffer | undefined>;

/** What a verification found. */
export interface Verified {
  checkpoint: Checkpoint;
  /** The note as served. */
  note: string;
  /** Names of the witnesses whose cosignatures verified (with their keys given). */
  witnesses: string[];
  /** Leaf hashes of every entry, when they were fetched. */
  leaves?: Buffer;
  tilesFetched: number;
}

/** Fetches `path`, failing with a message that names it. */
async function required(fetchLog: LogFetch, path: string): Promise<Buffer> {
  const body = await fetchLog(path);
  if (body === undefined) throw new LogDisagreement(`the log does not serve ${path}`, { tile: path });
  return body;
}

export async function verifyLog(options: {
  fetch: LogFetch;
  verifierKey: string;
  witnessKeys?: readonly string[];
  state?: MonitorState;
  /** Called with each entry (index, bytes) in order when set: entries are fetched and checked. */
  onEntry?: (index: number, entry: Buffer) => void;
  onProgress?: (done: number, total: number) => void;
}): Promise<Verified> {
  const { fetch: fetchLog, state } = options;
  const verifier = parseVerifierKey(options.verifierKey);
  const note = (await required(fetchLog, 'checkpoint')).toString('utf8');
  let opened;
  try {
    opened = openNote(note, verifier);
  } catch (error) {
    throw new LogDisagreement(`the checkpoint's signature does not verify: ${(error as Error).message}`, {});
  }
  const checkpoint = parseCheckpoint(opened.text);
  if (checkpoint.origin !== verifier.name) throw new LogDisagreement(`the checkpoint's origin ${checkpoint.origin} is not the key's name ${verifier.name}`, {});
  if (state && state.origin !== checkpoint.origin) throw new LogDisagreement(`the state is of the log ${state.origin}, not ${checkpoint.origin}`, {});
  const size = checkpoint.size;
  const witnesses: string[] = [];
  for (const key of options.witnessKeys ?? []) {
    const witness = parseCosignatureVerifierKey(key);
    if (opened.signatures.some((signature) => witness.verify(opened.text, signature.line) !== undefined)) witnesses.push(witness.name);
    else throw new LogDisagreement(`the checkpoint carries no valid cosignature of the witness ${witness.name}`, { size });
  }
  if (state && size < state.size) throw new LogDisagreement(`the log shrank: it had ${state.size} entries and now shows ${size}`, { size });

  // The root, from the tiles the log serves (a fetch per tile the computation asks for).
  let tilesFetched = 0;
  const readTile = async (level: number, index: number): Promise<Buffer> => {
    const width = Math.min(TILE_WIDTH, Math.floor(size / TILE_WIDTH ** level) - index * TILE_WIDTH);
    const path = tilePath({ level, index, width });
    const hashes = await required(fetchLog, path);
    tilesFetched += 1;
    if (hashes.length !== width * HASH_SIZE) throw new LogDisagreement(`${path} holds ${hashes.length} bytes, not ${width} hashes`, { tile: path });
    return hashes;
  };
  const cache = new Map<string, Buffer>();
  const { result: root } = await withTiles(readTile, (store) => treeRoot(new TiledHashes(store, size), size), cache);
  if (!root.equals(checkpoint.root)) throw new LogDisagreement(`the tiles give a root other than the checkpoint's at size ${size}`, { size });

  // A tree inconsistent with the one seen before: with the entries, the first entry that changed is named instead.
  let inconsistency: LogDisagreement | undefined;
  if (state && state.size > 0) {
    if (state.size === size) {
      if (!state.root.equals(checkpoint.root)) inconsistency = new LogDisagreement(`the log shows another tree of the same size ${size} (a fork)`, { size });
    } else {
      const { result: proof } = await withTiles(readTile, (store) => consistencyProof(new TiledHashes(store, size), state.size, size), cache);
      if (!verifyConsistency(state.size, size, proof, state.root, checkpoint.root)) {
        inconsistency = new LogDisagreement(`the tree of ${size} entries does not contain the tree of ${state.size} entries seen before: history was rewritten`, { size: state.size });
      }
    }
  }
  if (inconsistency && (!options.onEntry || !state?.leaves)) throw inconsistency;

  if (!options.onEntry) return { checkpoint, note, witnesses, tilesFetched };

  // Every entry: hashed, checked against the level-0 tile and the state's leaves, then every tile recomputed.
  const leaves = Buffer.alloc(size * HASH_SIZE);
  const bundles = Math.ceil(size / TILE_WIDTH);
  for (let bundle = 0; bundle < bundles; bundle++) {
    const width = Math.min(TILE_WIDTH, size - bundle * TILE_WIDTH);
    const entryPath = tilePath({ level: 'entries', index: bundle, width });
    const entries = parseEntryBundle(await required(fetchLog, entryPath));
    if (entries?.length !== width) throw new LogDisagreement(`${entryPath} does not hold ${width} entries`, { index: bundle * TILE_WIDTH, tile: entryPath });
    const tile0 = await required(fetchLog, tilePath({ level: 0, index: bundle, width }));
    for (const [offset, entry] of entries.entries()) {
      const index = bundle * TILE_WIDTH + offset;
      const leaf = leafHash(entry);
      leaf.copy(leaves, index * HASH_SIZE);
      if (!leaf.equals(tile0.subarray(offset * HASH_SIZE, (offset + 1) * HASH_SIZE))) {
        throw new LogDisagreement(`entry ${index} does not match its hash in ${tilePath({ level: 0, index: bundle, width })}`, { index });
      }
      if (state?.leaves && index < state.size && !leaf.equals(state.leaves.subarray(index * HASH_SIZE, (index + 1) * HASH_SIZE))) {
        throw new LogDisagreement(`entry ${index} is not the entry seen at that index before (at size ${state.size})`, { index });
      }
      options.onEntry(index, entry);
    }
    options.onProgress?.(bundle * TILE_WIDTH + width, size);
  }
  const recomputed = new MemoryTileStore();
  const leafList: Hash[] = [];
  for (let index = 0; index < size; index++) leafList.push(leaves.subarray(index * HASH_SIZE, (index + 1) * HASH_SIZE));
  recomputed.write(tilesToAppend(recomputed, 0, leafList));
  for (let level = 1; TILE_WIDTH ** level <= size; level++) {
    for (const tile of tilesAt(level, size)) {
      const served = await required(fetchLog, tilePath(tile));
      const mine = recomputed.readHashes(level, tile.index).subarray(0, tile.width * HASH_SIZE);
      if (!served.equals(mine)) {
        const first = firstDifference(served, mine);
        const index = (tile.index * TILE_WIDTH + first) * TILE_WIDTH ** level;
        throw new LogDisagreement(`${tilePath(tile)} does not match the entries from index ${index}`, { index, tile: tilePath(tile) });
      }
    }
  }
  if (size > 0 && !treeRoot(new TiledHashes(recomputed, size), size).equals(checkpoint.root)) {
    throw new LogDisagreement(`the entries give a root other than the checkpoint's at size ${size}`, { size });
  }
  if (inconsistency) throw inconsistency;
  return { checkpoint, note, witnesses, leaves, tilesFetched };
}

function firstDifference(a: Buffer, b: Buffer): number {
  for (let at = 0; at * HASH_SIZE < Math.max(a.length, b.length); at++) {
    if (!a.subarray(at * HASH_SIZE, (at + 1) * HASH_SIZE).equals(b.subarray(at * HASH_SIZE, (at + 1) * HASH_SIZE))) return at;
  }
  return 0;
}
