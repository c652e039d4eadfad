import { closeSync, existsSync, openSync, statSync, writeSync } from 'node:fs';
import { AppError } from '../../shared/app-error';
import type { Deps } from '../deps';
import { type Checkpoint, type ImportCounts, errorsPathOf, headHash, readCheckpoint, removeCheckpoint, writeCheckpoint } from './import-checkpoint';
import { fileHead, firstPosition, formatOf } from './import-source';
import { type PreparedBatch, preparedBatches, preparedBatchesInProcess } from './prepare-in-worker';
import { type ImportStatus, storeImportBatch } from './store-import-batch';

export type { ImportStatus } from './store-import-batch';

/** Default rows per transaction: large enough to amortize the commit, small enough to stay flat. */
export const DEFAULT_BATCH_SIZE = 4_000;

/** How to run an import. */
export interface ImportOptions {
  file: string;
  status: ImportStatus;
  /** Records (good or bad) per transaction. */
  batchSize?: number;
  /** The staff member running it, for the audit rows (null for the operator's CLI). */
  actorId: string | null;
  /** Ignore an existing checkpoint and read from the start (rows already stored are skipped by id). */
  restart?: boolean;
  /**
   * Read, check and encrypt rows on a second thread while this one writes: faster on an idle
   * machine with two free cores, slower on a busy one (rows are copied between threads).
   */
  useSecondThread?: boolean;
  /** With a second thread: prepare this many batches here first, whenever it starts (tests). */
  firstBatchesHere?: number;
  /** Called after each committed batch with the bytes read so far. */
  onProgress?: (progress: { bytesDone: number; bytesTotal: number; counts: ImportCounts; rowsThisRun: number }) => void;
  /** Called after a batch committed, before its checkpoint is written (tests simulate crashes here). */
  afterCommit?: (batch: number) => void;
  /** Called after a batch's checkpoint is written. */
  afterCheckpoint?: (batch: number) => void;
}

/** The outcome of an import. */
export interface ImportSummary extends ImportCounts {
  /** True when the checkpoint said this file was already fully imported. */
  wasAlreadyComplete: boolean;
  /** True when this run continued an earlier, interrupted one. */
  wasResumed: boolean;
  batches: number;
  /** Batches of this run the second thread prepared (the rest were prepared by the writing thread). */
  batchesPreparedByThread: number;
  errorsFile: string;
  bytesTotal: number;
}

/** CSV-quotes one field of the errors file. */
function csvField(value: string | number): string {
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Imports statements from a CSV or JSONL file, streaming: records are read with backpressure,
 * batched, and each batch is stored in one transaction with its counters and one audit row. After
 * each committed batch a checkpoint records where it ended, so an interrupted import resumes after
 * the last committed batch; each row's id is unique in the registry, so a crash between a commit
 * and its checkpoint never stores a row twice. Bad rows go to `FILE.errors.csv` with their line
 * number and the reason, and the import goes on.
 */
export async function importStatements(deps: Deps, options: ImportOptions): Promise<ImportSummary> {
  const { file, status } = options;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const format = formatOf(file);
  if (!existsSync(file) || !statSync(file).isFile()) throw new AppError('NOT_FOUND', `No such file: ${file}`);
  const { head, size } = fileHead(file);
  const headSha256 = headHash(head);
  if (options.restart) removeCheckpoint(file);
  const previous = readCheckpoint(file, { headSha256, status });
  const errorsFile = errorsPathOf(file);
  if (previous?.isComplete) {
    return { ...pick(previous), wasAlreadyComplete: true, wasResumed: false, batches: previous.batches, batchesPreparedByThread: 0, errorsFile, bytesTotal: size };
  }
  const start = previous ? { offset: previous.offset, line: previous.line } : firstPosition(file, format);
  const errors = openSync(errorsFile, previous ? 'a' : 'w', 0o600);
  if (!previous) writeSync(errors, 'line,id,reason\n');
  let checkpoint: Checkpoint = previous ?? {
    version: 1,
    headSha256,
    status,
    offset: start.offset,
    line: start.line,
    batches: 0,
    imported: 0,
    skipped: 0,
    bad: 0,
    isComplete: false,
    updatedAt: new Date(deps.clock()).toISOString(),
  };
  let rowsThisRun = 0;
  let batchesPreparedByThread = 0;

  const store = async (prepared: PreparedBatch, isLast: boolean): Promise<void> => {
    const { rows, bad, end } = prepared;
    rowsThisRun += prepared.records;
    const rowCount = rows.kind === 'whole' ? rows.rows.length : rows.encoded.published.length + rows.encoded.repeated;
    const stored = rowCount > 0 ? await storeImportBatch(deps, { actorId: options.actorId, rows }) : { imported: 0, skipped: 0 };
    const batch = checkpoint.batches + 1;
    options.afterCommit?.(batch);
    if (bad.length > 0) writeSync(errors, bad.map((record) => `${record.line},${csvField(record.id)},${csvField(record.reason)}\n`).join(''));
    checkpoint = {
      ...checkpoint,
      offset: end?.offset ?? checkpoint.offset,
      line: end?.line ?? checkpoint.line,
      batches: batch,
      imported: checkpoint.imported + stored.imported,
      skipped: checkpoint.skipped + stored.skipped,
      bad: checkpoint.bad + bad.length,
      isComplete: isLast,
      updatedAt: new Date(deps.clock()).toISOString(),
    };
    writeCheckpoint(file, checkpoint);
    options.afterCheckpoint?.(batch);
    options.onProgress?.({ bytesDone: isLast ? size : checkpoint.offset, bytesTotal: size, counts: pick(checkpoint), rowsThisRun });
  };

  try {
    const data = { file, format, start, status, encode: deps.store.dialect === 'postgres', keyring: deps.keyring.snapshot(), now: deps.clock(), batchSize, ahead: 4 };
    const batches = options.useSecondThread ? preparedBatches({ ...data, ...(options.firstBatchesHere === undefined ? {} : { firstBatchesHere: options.firstBatchesHere }) }) : preparedBatchesInProcess(data);
    for await (const batch of batches) {
      if (batch.isPreparedByThread) batchesPreparedByThread += 1;
      await store(batch, batch.isLast);
    }
  } finally {
    closeSync(errors);
  }
  return {
    ...pick(checkpoint),
    wasAlreadyComplete: false,
    wasResumed: previous !== undefined,
    batches: checkpoint.batches,
    batchesPreparedByThread,
    errorsFile,
    bytesTotal: size,
  };
}

function pick(checkpoint: ImportCounts): ImportCounts {
  return { imported: checkpoint.imported, skipped: checkpoint.skipped, bad: checkpoint.bad };
}
