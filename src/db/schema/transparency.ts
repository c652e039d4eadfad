import type { Bytes, Millis } from './foundation';

/**
 * One entry of the transparency log: its index (gapless, given under the registry lock in the
 * transaction that publishes or withdraws), the statement's public number, and the entry's bytes
 * (see `src/domain/transparency/log-entry.ts`).
 */
export interface LogEntriesTable {
  idx: number;
  sequence: number;
  /** 1 for a withdrawal entry, 0 for a statement entry. */
  withdrawal: number;
  entry: Bytes;
  /** The commitment's salt; null once the statement is erased (its commitment can then never be opened). */
  salt: Bytes | null;
  created_at: Millis;
}

/** A hash tile (C2SP tlog-tiles): `width` hashes of level `level`, tile `idx`; partial widths stay until the full tile exists. */
export interface LogTilesTable {
  level: number;
  idx: number;
  width: number;
  hashes: Bytes;
}

/** The latest signed checkpoint (one row, id 1) and the totals over its entries. */
export interface LogHeadTable {
  id: number;
  size: number;
  root: Bytes;
  /** The signed note, signed by the log. */
  checkpoint: string;
  /** Witnesses' cosignature lines for that same checkpoint. */
  cosignatures: string;
  /** JSON: the totals over entries [0, size) (see `LogTotals`). */
  totals: string;
  signed_at: Millis;
}

/** A witness the sequencer sends each checkpoint to (C2SP tlog-witness). */
export interface LogWitnessesTable {
  url: string;
  verifier_key: string;
  added_at: Millis;
  cosigned_size: number | null;
  last_error: string | null;
  last_attempt_at: Millis | null;
}

/** Tables of the transparency log. */
export interface TransparencyTables {
  log_entries: LogEntriesTable;
  log_tiles: LogTilesTable;
  log_head: LogHeadTable;
  log_witnesses: LogWitnessesTable;
}

