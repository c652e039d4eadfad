import { type Tile, TILE_WIDTH, entryBundle } from '../../tlog/tiles';
import type { Deps } from '../deps';
import type { LogHead } from './sequencer';

/**
 * The log's static resources (C2SP tlog-tiles), for the `/log/` routes: a hash tile or an entry
 * bundle exists only when the latest checkpoint needs it: a full tile inside the tree, or the
 * partial tile of exactly the width a checkpoint named (older partial widths are kept until the full
 * tile exists). Undefined when there is no such resource.
 */
export async function readLogTile(deps: Deps, head: LogHead | undefined, tile: Tile): Promise<Buffer | undefined> {
  if (!head || !isWithin(tile, head.size)) return undefined;
  if (tile.level === 'entries') {
    const first = tile.index * TILE_WIDTH;
    const entries = await deps.store.transparency.entries(first, first + tile.width);
    if (entries.length !== tile.width) return undefined;
    return entryBundle(entries.map((stored) => stored.entry));
  }
  return deps.store.transparency.readTileVersion(tile.level, tile.index, tile.width);
}

/** Whether the tree of `size` entries holds this tile's hashes (or entries). */
function isWithin(tile: Tile, size: number): boolean {
  const level = tile.level === 'entries' ? 0 : tile.level;
  return tile.index * TILE_WIDTH + tile.width <= Math.floor(size / TILE_WIDTH ** level);
}
