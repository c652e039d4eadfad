import { HASH_SIZE, type Hash, type SubtreeHashes, nodeHash, splitPoint } from './merkle';
import { TILE_HEIGHT, TILE_WIDTH, type Tile } from './tiles';

/**
 * The Merkle tree kept as C2SP hash tiles: level 0 holds the leaf hashes, level L the roots of the
 * complete subtrees of 256^L leaves. Appending touches the one partial tile of each level (O(log
 * n) data), and any subtree hash is read from at most a few tiles, so proofs cost O(log n) too.
 */

/** Where tiles are kept: the widest version of a tile (all 256 hashes, or the partial one). */
export interface TileStore {
  /** The hashes of tile (level, index), concatenated; empty when there is none. */
  readHashes(level: number, index: number): Buffer;
}

/** A tile to write: its name and its hashes (`width` of them). */
export interface TileWrite {
  tile: Tile;
  hashes: Buffer;
}

/**
 * The tiles to write when `leaves` (their hashes) are appended to a tree of `size` leaves kept in
 * `store`: for each level, the partial tile that grows and every tile it fills, in order. The
 * caller writes them, then the new size is `size + leaves.length`. Full tiles never change again;
 * a partial tile is written anew under its new width (the older widths stay valid for the
 * checkpoints that named them).
 */
export function tilesToAppend(store: TileStore, size: number, leaves: readonly Hash[]): TileWrite[] {
  const writes: TileWrite[] = [];
  let level = 0;
  // The hashes being appended at this level, and how many the level held before.
  let appended: Hash[] = [...leaves];
  let before = size;
  while (appended.length > 0) {
    const firstTile = Math.floor(before / TILE_WIDTH);
    const kept = before % TILE_WIDTH;
    let current = kept === 0 ? Buffer.alloc(0) : store.readHashes(level, firstTile).subarray(0, kept * HASH_SIZE);
    if (current.length !== kept * HASH_SIZE) throw new Error(`tile ${level}/${firstTile} holds ${current.length / HASH_SIZE} hashes, not ${kept}`);
    const completed: Hash[] = [];
    let index = firstTile;
    let pieces: Buffer[] = [current];
    let width = kept;
    for (const hash of appended) {
      pieces.push(hash);
      width += 1;
      if (width === TILE_WIDTH) {
        current = Buffer.concat(pieces);
        writes.push({ tile: { level, index, width }, hashes: current });
        completed.push(subtreeOf(current, 0, TILE_WIDTH));
        index += 1;
        pieces = [];
        width = 0;
      }
    }
    if (width > 0 && width > (index === firstTile ? kept : 0)) writes.push({ tile: { level, index, width }, hashes: Buffer.concat(pieces) });
    before = Math.floor(before / TILE_WIDTH);
    appended = completed;
    level += 1;
  }
  return writes;
}

/** The root of `count` consecutive hashes (a power of two) of one tile, from `first`. */
function subtreeOf(hashes: Buffer, first: number, count: number): Hash {
  if (count === 1) return hashes.subarray(first * HASH_SIZE, (first + 1) * HASH_SIZE);
  const half = count / 2;
  return nodeHash(subtreeOf(hashes, first, half), subtreeOf(hashes, first + half, half));
}

/** Subtree hashes of the tree of `size` leaves kept in tiles. */
export class TiledHashes implements SubtreeHashes {
  private readonly tiles = new Map<string, Buffer>();

  constructor(
    private readonly store: TileStore,
    readonly size: number,
  ) {}

  hash(start: number, end: number): Hash {
    if (start < 0 || end > this.size || start >= end) throw new RangeError(`no subtree [${start}, ${end}) in ${this.size} leaves`);
    const count = end - start;
    // An aligned power-of-two subtree is read from its tile; any other range splits as RFC 6962 does.
    if ((count & (count - 1)) === 0 && start % count === 0) return this.aligned(Math.log2(count), start / count);
    const k = splitPoint(count);
    return nodeHash(this.hash(start, start + k), this.hash(start + k, end));
  }

  /** The hash at tree level `height`, index `index` (the subtree of leaves index*2^height ..). */
  private aligned(height: number, index: number): Hash {
    const level = Math.floor(height / TILE_HEIGHT);
    const below = height - level * TILE_HEIGHT;
    // The 2^below hashes of tile level `level` under this node.
    const count = 2 ** below;
    const first = index * count;
    const tileIndex = Math.floor(first / TILE_WIDTH);
    const hashes = this.tile(level, tileIndex);
    const offset = first - tileIndex * TILE_WIDTH;
    if (hashes.length < (offset + count) * HASH_SIZE) throw new Error(`tile ${level}/${tileIndex} is missing hashes`);
    return subtreeOf(hashes, offset, count);
  }

  private tile(level: number, index: number): Buffer {
    const key = `${level}/${index}`;
    let hashes = this.tiles.get(key);
    if (hashes === undefined) {
      hashes = this.store.readHashes(level, index);
      this.tiles.set(key, hashes);
    }
    return hashes;
  }
}

/** A tile store in memory (tests, tools): the widest version of each tile. */
export class MemoryTileStore implements TileStore {
  readonly tiles = new Map<string, Buffer>();

  readHashes(level: number, index: number): Buffer {
    return this.tiles.get(`${level}/${index}`) ?? Buffer.alloc(0);
  }

  write(writes: readonly TileWrite[]): void {
    for (const { tile, hashes } of writes) this.tiles.set(`${String(tile.level)}/${tile.index}`, hashes);
  }
}
