import { CompiledQuery, SqliteAdapter } from 'kysely';
import { COPY_IN_MARK } from '../copy-in';
import { eachRowQuery } from '../database';
import type { LogEntriesTable, LogHeadTable, LogWitnessesTable } from '../schema';
import type { Executor } from '../store';

const FULL_WIDTH = 256;

/** An entry's index and bytes. */
export interface StoredLogEntry {
  idx: number;
  entry: Buffer;
}

/** The transparency log's entries, hash tiles, head and witnesses. */
export class TransparencyRepository {
  constructor(private readonly db: Executor) {}

  /** The highest entry index, or -1 when the log has none. Call under the registry lock. */
  async lastIndex(): Promise<number> {
    const row = await this.db.selectFrom('log_entries').select((eb) => eb.fn.max('idx').as('last')).executeTakeFirst();
    return row?.last ?? -1;
  }

  /** Stores entries (their indexes given by the caller, under the registry lock). */
  async insertEntries(rows: readonly LogEntriesTable[]): Promise<void> {
    if (rows.length === 0) return;
    if (this.db.getExecutor().adapter instanceof SqliteAdapter) {
      // One prepared statement run per row in one call: parsing a multi-row INSERT cost more than running it.
      const text = 'insert into log_entries (idx, sequence, withdrawal, entry, salt, created_at) values (?, ?, ?, ?, ?, ?)';
      await this.db.executeQuery(eachRowQuery(text, rows.map((row) => [row.idx, row.sequence, row.withdrawal, row.entry, row.salt, row.created_at])));
      return;
    }
    for (let i = 0; i < rows.length; i += 500) await this.db.insertInto('log_entries').values(rows.slice(i, i + 500)).execute();
  }

  /** Entries as COPY text (PostgreSQL; columns idx, sequence, withdrawal, entry, salt, created_at), in the caller's transaction. */
  async insertEntriesCopy(data: Buffer): Promise<void> {
    if (this.db.getExecutor().adapter instanceof SqliteAdapter) throw new Error('COPY is for PostgreSQL');
    await this.db.executeQuery(CompiledQuery.raw(`${COPY_IN_MARK}COPY log_entries (idx, sequence, withdrawal, entry, salt, created_at) FROM STDIN`, [data]));
  }

  /** The newest entry of a statement's public number: its statement entry, or the withdrawal that took it back. */
  async currentEntryOf(sequence: number): Promise<{ idx: number; withdrawal: boolean; entry: Buffer } | undefined> {
    const row = await this.db
      .selectFrom('log_entries')
      .select(['idx', 'withdrawal', 'entry'])
      .where('sequence', '=', sequence)
      .orderBy('idx', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row ? { idx: row.idx, withdrawal: row.withdrawal === 1, entry: Buffer.from(row.entry) } : undefined;
  }

  /** Entries with indexes in [from, to), in order. */
  async entries(from: number, to: number): Promise<StoredLogEntry[]> {
    if (to <= from) return [];
    const rows = await this.db.selectFrom('log_entries').select(['idx', 'entry']).where('idx', '>=', from).where('idx', '<', to).orderBy('idx').execute();
    return rows.map((row) => ({ idx: row.idx, entry: Buffer.from(row.entry) }));
  }

  /** Destroys the commitment salts of a statement's entries (its erasure): its commitments can never be opened. */
  async forgetSalts(sequence: number): Promise<void> {
    await this.db.updateTable('log_entries').set({ salt: null }).where('sequence', '=', sequence).execute();
  }

  /** The hashes of tile (level, idx): the full tile, or its widest partial version; empty when there is none. */
  async readTile(level: number, idx: number): Promise<Buffer> {
    const row = await this.db
      .selectFrom('log_tiles')
      .select('hashes')
      .where('level', '=', level)
      .where('idx', '=', idx)
      .orderBy('width', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row ? Buffer.from(row.hashes) : Buffer.alloc(0);
  }

  /** One version of a tile: exactly `width` hashes, or undefined. */
  async readTileVersion(level: number, idx: number, width: number): Promise<Buffer | undefined> {
    const row = await this.db.selectFrom('log_tiles').select('hashes').where('level', '=', level).where('idx', '=', idx).where('width', '=', width).executeTakeFirst();
    return row ? Buffer.from(row.hashes) : undefined;
  }

  /**
   * Stores tiles. A full tile replaces its partial versions (C2SP tlog-tiles lets a log drop them
   * once the full tile exists); a version already stored is left as it is (tiles never change).
   */
  async writeTiles(tiles: readonly { level: number; idx: number; width: number; hashes: Buffer }[]): Promise<void> {
    for (let i = 0; i < tiles.length; i += 200) {
      const chunk = tiles.slice(i, i + 200);
      await this.db
        .insertInto('log_tiles')
        .values(chunk.map((tile) => ({ level: tile.level, idx: tile.idx, width: tile.width, hashes: tile.hashes })))
        .onConflict((oc) => oc.columns(['level', 'idx', 'width']).doNothing())
        .execute();
    }
    for (const tile of tiles) {
      if (tile.width === FULL_WIDTH) {
        await this.db.deleteFrom('log_tiles').where('level', '=', tile.level).where('idx', '=', tile.idx).where('width', '<', FULL_WIDTH).execute();
      }
    }
  }

  /** The latest signed checkpoint, or undefined before the first. */
  async head(): Promise<LogHeadTable | undefined> {
    const row = await this.db.selectFrom('log_head').selectAll().where('id', '=', 1).executeTakeFirst();
    return row ? { ...row, root: Buffer.from(row.root) } : undefined;
  }

  /**
   * Moves the head from `fromSize` (undefined: there is none yet) to `next`, only if it is still
   * there: the fence that keeps two sequencers from both publishing. Returns whether it moved.
   */
  async advanceHead(fromSize: number | undefined, next: Omit<LogHeadTable, 'id'>): Promise<boolean> {
    if (fromSize === undefined) {
      const result = await this.db
        .insertInto('log_head')
        .values({ id: 1, ...next })
        .onConflict((oc) => oc.column('id').doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
    }
    const result = await this.db.updateTable('log_head').set(next).where('id', '=', 1).where('size', '=', fromSize).executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Stores witnesses' cosignatures of the checkpoint of `size`, if it is still the head. */
  async setCosignatures(size: number, checkpoint: string, cosignatures: string): Promise<void> {
    await this.db.updateTable('log_head').set({ cosignatures }).where('id', '=', 1).where('size', '=', size).where('checkpoint', '=', checkpoint).execute();
  }

  /** The configured witnesses, oldest first. */
  async witnesses(): Promise<LogWitnessesTable[]> {
    return this.db.selectFrom('log_witnesses').selectAll().orderBy('added_at').orderBy('url').execute();
  }

  /** Adds a witness, or changes its key. */
  async addWitness(url: string, verifierKey: string, now: number): Promise<void> {
    await this.db
      .insertInto('log_witnesses')
      .values({ url, verifier_key: verifierKey, added_at: now, cosigned_size: null, last_error: null, last_attempt_at: null })
      .onConflict((oc) => oc.column('url').doUpdateSet({ verifier_key: verifierKey, cosigned_size: null, last_error: null }))
      .execute();
  }

  /** Removes a witness; returns whether there was one. */
  async removeWitness(url: string): Promise<boolean> {
    const result = await this.db.deleteFrom('log_witnesses').where('url', '=', url).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /** Records the outcome of asking a witness. */
  async recordWitnessAttempt(url: string, outcome: { cosignedSize: number | null; error: string | null; at: number }): Promise<void> {
    await this.db
      .updateTable('log_witnesses')
      .set({ cosigned_size: outcome.cosignedSize, last_error: outcome.error, last_attempt_at: outcome.at })
      .where('url', '=', url)
      .execute();
  }
}
