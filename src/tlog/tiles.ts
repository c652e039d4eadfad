/**
 * C2SP tlog-tiles: a log served as static tiles. A hash tile at level L, index N holds up to 256
 * consecutive hashes of tree level 8L (from hash 256N on); an entry bundle at index N holds entries
 * 256N.. . A tile not yet full is served partial, with its width. Paths:
 * `tile/<L>/<N>[.p/<W>]` and `tile/entries/<N>[.p/<W>]`, N in groups of three digits, all but the
 * last prefixed with `x` (1234067 -> `x001/x234/067`).
 */

/** Hashes (or entries) per full tile: 2^8. */
export const TILE_WIDTH = 256;
/** Tree levels per tile level. */
export const TILE_HEIGHT = 8;

/** A hash tile (level >= 0) or an entry bundle (level 'entries'), full (width 256) or partial. */
export interface Tile {
  level: number | 'entries';
  index: number;
  width: number;
}

/** The `<N>` path elements of a tile index. */
export function indexPath(index: number): string {
  if (!Number.isSafeInteger(index) || index < 0) throw new RangeError(`not a tile index: ${index}`);
  const groups: string[] = [];
  let rest = index;
  do {
    groups.unshift(String(rest % 1000).padStart(3, '0'));
    rest = Math.floor(rest / 1000);
  } while (rest > 0);
  return groups.map((group, at) => (at < groups.length - 1 ? `x${group}` : group)).join('/');
}

/** A tile's path below the log's prefix. */
export function tilePath(tile: Tile): string {
  if (!Number.isInteger(tile.width) || tile.width < 1 || tile.width > TILE_WIDTH) throw new RangeError(`not a tile width: ${tile.width}`);
  const partial = tile.width === TILE_WIDTH ? '' : `.p/${tile.width}`;
  return `tile/${tile.level}/${indexPath(tile.index)}${partial}`;
}

const TILE_PATH = /^tile\/(entries|[0-9]|[1-9][0-9])\/((?:x[0-9]{3}\/)*)([0-9]{3})(?:\.p\/([1-9][0-9]{0,2}))?$/;

/** The tile a path names, or undefined when it is not a well-formed tile path (no leading zeros in L or W, W < 256). */
export function parseTilePath(path: string): Tile | undefined {
  const match = TILE_PATH.exec(path);
  if (!match) return undefined;
  const [, level = '', prefixes = '', last = '', width] = match;
  const groups = [...prefixes.split('/').filter((group) => group !== '').map((group) => group.slice(1)), last];
  // Only the first group may be 000 when it is the only one; leading x000 groups would give two names to one tile.
  if (groups.length > 1 && groups[0] === '000') return undefined;
  const index = groups.reduce((sum, group) => sum * 1000 + Number(group), 0);
  if (!Number.isSafeInteger(index)) return undefined;
  const tileWidth = width === undefined ? TILE_WIDTH : Number(width);
  // A partial tile is narrower than a full one.
  if (width !== undefined && tileWidth >= TILE_WIDTH) return undefined;
  return { level: level === 'entries' ? 'entries' : Number(level), index, width: tileWidth };
}

/**
 * The tiles a log of `size` entries serves at `level`: the full ones, and the partial one after them
 * (when the level's hash count is not a multiple of 256).
 */
export function tilesAt(level: number, size: number): Tile[] {
  const hashes = Math.floor(size / TILE_WIDTH ** level);
  const tiles: Tile[] = [];
  for (let index = 0; index * TILE_WIDTH < hashes; index += 1) tiles.push({ level, index, width: Math.min(TILE_WIDTH, hashes - index * TILE_WIDTH) });
  return tiles;
}

/** An entry bundle: each entry as a big-endian 16-bit length and its bytes. */
export function entryBundle(entries: readonly Uint8Array[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    if (entry.length > 0xffff) throw new RangeError('an entry is longer than 65,535 bytes');
    const length = Buffer.alloc(2);
    length.writeUInt16BE(entry.length);
    parts.push(length, Buffer.from(entry));
  }
  return Buffer.concat(parts);
}

/** The entries of a bundle, or undefined when it is malformed. */
export function parseEntryBundle(bundle: Uint8Array): Buffer[] | undefined {
  const data = Buffer.from(bundle);
  const entries: Buffer[] = [];
  let at = 0;
  while (at < data.length) {
    if (at + 2 > data.length) return undefined;
    const length = data.readUInt16BE(at);
    if (at + 2 + length > data.length) return undefined;
    entries.push(data.subarray(at + 2, at + 2 + length));
    at += 2 + length;
  }
  return entries;
}
