import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { TileStore, TileWrite } from './tiled-tree';
import { TILE_WIDTH, tilePath } from './tiles';

/**
 * Hash tiles kept as files under `root`, at their C2SP paths (`tile/<L>/<N>` and, while a tile
 * grows, `tile/<L>/<N>.p/<W>` for every width a checkpoint named), so that the directory can be
 * served as it is. Each file is written to a temporary name, flushed and renamed: a crash leaves
 * the old tile or the new one, never half of one. A full tile never changes again.
 */
export class FileTileStore implements TileStore {
  constructor(readonly root: string) {}

  readHashes(level: number, index: number): Buffer {
    const full = this.fileOf(tilePath({ level, index, width: TILE_WIDTH }));
    const read = (file: string): Buffer | undefined => {
      try {
        return readFileSync(file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    };
    const complete = read(full);
    if (complete !== undefined) return complete;
    // The widest partial version.
    let widths: number[] = [];
    try {
      widths = readdirSync(`${full}.p`)
        .filter((name) => /^[1-9][0-9]{0,2}$/.test(name))
        .map(Number)
        .filter((width) => width < TILE_WIDTH);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (widths.length === 0) return Buffer.alloc(0);
    return read(path.join(`${full}.p`, String(Math.max(...widths)))) ?? Buffer.alloc(0);
  }

  /** Writes tiles (in the order given: each level's partial tile after the tiles it filled). */
  write(writes: readonly TileWrite[]): void {
    for (const { tile, hashes } of writes) {
      const file = this.fileOf(tilePath(tile));
      mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      const temporary = `${file}.tmp-${process.pid}`;
      const fd = openSync(temporary, 'w', 0o600);
      try {
        writeSync(fd, hashes);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(temporary, file);
    }
  }

  private fileOf(tileName: string): string {
    return path.join(this.root, ...tileName.split('/'));
  }
}
