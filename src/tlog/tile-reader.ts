import type { TileStore } from './tiled-tree';

/** A tile that `compute` needed and the reader had not fetched yet. */
class MissingTile extends Error {
  constructor(
    readonly level: number,
    readonly index: number,
  ) {
    super(`tile ${level}/${index} not fetched`);
  }
}

/**
 * Runs a synchronous tree computation (a root, a proof) over tiles fetched asynchronously, fetching
 * exactly the tiles it asks for: the computation runs, stops at the first tile it lacks, which is
 * fetched, and runs again. `cache` (tiles by "level/index") may be shared between computations on
 * the same tree size; `fetched` counts the tiles read.
 */
export async function withTiles<T>(
  read: (level: number, index: number) => Promise<Buffer>,
  compute: (store: TileStore) => T,
  cache = new Map<string, Buffer>(),
): Promise<{ result: T; fetched: number }> {
  const store: TileStore = {
    readHashes(level, index) {
      const hashes = cache.get(`${level}/${index}`);
      if (hashes === undefined) throw new MissingTile(level, index);
      return hashes;
    },
  };
  let fetched = 0;
  for (;;) {
    try {
      return { result: compute(store), fetched };
    } catch (error) {
      if (!(error instanceof MissingTile)) throw error;
      cache.set(`${error.level}/${error.index}`, await read(error.level, error.index));
      fetched += 1;
    }
  }
}
