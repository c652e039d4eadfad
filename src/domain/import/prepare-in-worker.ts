import { Worker } from 'node:worker_threads';
import { AppError, type ErrorCode } from '../../shared/app-error';
import { Keyring } from '../../crypto/keyring';
import { STATEMENT_COLUMNS } from '../../db/schema/statement-columns';
import type { StatementsTable } from '../../db/schema';
import { type SourcePosition, type SourceRecord, readRecords } from './import-source';
import type { PrepareWorkerData } from './prepare-worker';
import { type ImportBatchRows, ImportRowsEncoder, type PreparedImportRow, prepareImportRow } from './store-import-batch';

/** A record refused while preparing: its line, the id it gave, and why (never the row's values). */
export interface BadRecord {
  line: number;
  id: string;
  reason: string;
}

/** A batch of records, prepared: its rows, its bad records, how many records it read and where it ends. */
export interface PreparedBatch {
  rows: ImportBatchRows;
  bad: BadRecord[];
  records: number;
  /** Just after its last record; undefined when it read none. */
  end: SourcePosition | undefined;
}

/**
 * Checks, encrypts and (with `data.encode`, for PostgreSQL) encodes records read from the file,
 * one at a time as they come, into batches. The same on either thread.
 */
export class BatchPreparer {
  private bad: BadRecord[] = [];
  private rows: PreparedImportRow[] = [];
  private readonly encoder: ImportRowsEncoder | undefined;
  private records = 0;
  private end: SourcePosition | undefined;

  constructor(
    private readonly deps: Parameters<typeof prepareImportRow>[0],
    private readonly data: Pick<PrepareWorkerData, 'status' | 'encode'>,
  ) {
    this.encoder = data.encode ? new ImportRowsEncoder() : undefined;
  }

  /** Records added since the last batch. */
  get size(): number {
    return this.records;
  }

  /** Adds a record to the batch being prepared. */
  add(record: SourceRecord): void {
    this.records += 1;
    this.end = { offset: record.endOffset, line: record.endLine };
    if (!record.result.ok) {
      this.bad.push({ line: record.line, id: record.result.id, reason: record.result.reason });
      return;
    }
    const prepared = prepareImportRow(this.deps, record.result.row, this.data.status);
    if ('reason' in prepared) this.bad.push({ line: record.line, id: record.result.row.sourceId, reason: prepared.reason });
    else if (this.encoder) this.encoder.add(prepared);
    else this.rows.push(prepared);
  }

  /** The batch prepared since the last one; the preparer starts a new one. */
  finish(): PreparedBatch {
    const batch: PreparedBatch = {
      rows: this.encoder ? { kind: 'encoded', encoded: this.encoder.finish() } : { kind: 'whole', rows: this.rows },
      bad: this.bad,
      records: this.records,
      end: this.end,
    };
    this.bad = [];
    this.rows = [];
    this.records = 0;
    this.end = undefined;
    return batch;
  }
}

/** A batch of records, prepared at once (see `BatchPreparer`). */
export function prepareBatch(deps: Parameters<typeof prepareImportRow>[0], records: readonly SourceRecord[], data: Pick<PrepareWorkerData, 'status' | 'encode'>): PreparedBatch {
  const preparer = new BatchPreparer(deps, data);
  for (const record of records) preparer.add(record);
  return preparer.finish();
}

/**
 * A prepared batch as it crosses threads. Encoded rows (PostgreSQL) travel as they are: buffers
 * handed over without a copy, and a string of client ids. Whole rows (SQLite) travel as one array of values
 * per row instead of an object with named fields, which the structured clone copies three times
 * faster.
 */
export type BatchInTransfer = Omit<PreparedBatch, 'rows'> & { rows: Exclude<ImportBatchRows, { kind: 'whole' }> | { kind: 'packed'; values: unknown[][] } };

/** A prepared batch ready to cross threads, and the buffers it hands over. */
export function forTransfer(batch: PreparedBatch): { batch: BatchInTransfer; transfer: ArrayBuffer[] } {
  const { rows } = batch;
  if (rows.kind === 'encoded') {
    const { copy, ends, published } = rows.encoded;
    return { batch: { ...batch, rows }, transfer: [copy.buffer, ends.buffer, published.buffer] as ArrayBuffer[] };
  }
  const values = rows.rows.map(({ sourceId, row }) => {
    const packed: unknown[] = [sourceId];
    for (const column of STATEMENT_COLUMNS) packed.push(row[column]);
    return packed;
  });
  return { batch: { ...batch, rows: { kind: 'packed', values } }, transfer: [] };
}

/** A batch as it was before `forTransfer`. */
export function fromTransfer(batch: BatchInTransfer): PreparedBatch {
  if (batch.rows.kind === 'encoded') return { ...batch, rows: batch.rows };
  const rows = batch.rows.values.map((values): PreparedImportRow => {
    const row: Record<string, unknown> = {};
    STATEMENT_COLUMNS.forEach((column, at) => (row[column] = values[at + 1]));
    // Buffers cross threads as plain Uint8Arrays; the database drivers want Buffers.
    const encrypted = row.real_name_enc;
    if (encrypted instanceof Uint8Array) row.real_name_enc = Buffer.from(encrypted.buffer, encrypted.byteOffset, encrypted.byteLength);
    return { sourceId: values[0] as string, row: row as unknown as StatementsTable };
  });
  return { ...batch, rows: { kind: 'whole', rows } };
}

/** What the preparing thread sends: a batch it prepared, or why it stopped. */
export type WorkerMessage =
  | { kind: 'batch'; batch: BatchInTransfer; isLast: boolean }
  | { kind: 'error'; code: ErrorCode | 'INTERNAL'; message: string };

/** What the writing thread sends: where to start reading, or a credit for one more batch. */
export type WriterMessage = { kind: 'start'; from: SourcePosition } | { kind: 'next' };

// From source (tsx), a small entry registers the TypeScript loader in the thread first; compiled
// (dist/server/), the worker is a module of its own next to this one.
const ENTRY = import.meta.url.endsWith('.ts') ? new URL('./prepare-worker-entry.js', import.meta.url) : new URL('./prepare-worker.js', import.meta.url);

/** Batches the writing thread prepares itself while the second thread starts, unless told otherwise. */
const FIRST_BATCHES_HERE = 2;

/**
 * Prepared batches of a file, in file order, with a second thread reading, checking and encrypting
 * (and, for PostgreSQL, encoding) while this one writes. This thread reads the first batches, tells
 * the second thread at once to go on from there (it starts working as soon as its modules are
 * loaded, about a quarter of a second), and prepares those batches itself meanwhile. It prepares
 * nothing afterwards: writing is the slower half, and a batch prepared here held the database up.
 * The second thread never runs more than `ahead` batches in front. Should it fail before its first
 * batch, this thread prepares the rest itself.
 */
export async function* preparedBatches(data: PrepareWorkerData & { firstBatchesHere?: number }): AsyncGenerator<PreparedBatchOut> {
  const deps = { keyring: new Keyring(data.keyring), clock: () => data.now };
  // A larger young generation: a batch's objects live until it is sent, and copying them from
  // one small nursery to the next took a fifth of the thread's time.
  const worker = new Worker(ENTRY, { workerData: data, resourceLimits: { maxYoungGenerationSizeMb: 64 } });
  const queue: WorkerMessage[] = [];
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  worker.on('message', (message: WorkerMessage) => {
    queue.push(message);
    wake?.();
  });
  worker.on('error', (error) => {
    failure = error;
    wake?.();
  });
  worker.on('exit', (code) => {
    if (code !== 0) failure ??= new Error(`the import's preparing thread stopped (exit code ${code})`);
    wake?.();
  });
  try {
    // The records of the batches prepared here, read before the second thread is told where to start.
    const here: SourceRecord[] = [];
    const wanted = (data.firstBatchesHere ?? FIRST_BATCHES_HERE) * data.batchSize;
    let from = data.start;
    let isEnd = true;
    const reader = readRecords(data.file, data.format, data.start, data.now);
    for await (const group of reader) {
      for (const record of group) {
        if (here.length === wanted) break;
        here.push(record);
        from = { offset: record.endOffset, line: record.endLine };
      }
      if (here.length === wanted) {
        isEnd = false;
        break;
      }
    }
    if (isEnd) {
      // The whole file fits in the first batches: no second thread.
      for (let at = 0; at < here.length || at === 0; at += data.batchSize) {
        const isLast = at + data.batchSize >= here.length;
        yield { ...prepareBatch(deps, here.slice(at, at + data.batchSize), data), isLast, isPreparedByThread: false };
      }
      return;
    }
    worker.postMessage({ kind: 'start', from } satisfies WriterMessage);
    for (let at = 0; at < here.length; at += data.batchSize) yield { ...prepareBatch(deps, here.slice(at, at + data.batchSize), data), isLast: false, isPreparedByThread: false };
    let hasBatchFromThread = false;
    for (;;) {
      while (queue.length === 0 && failure === undefined) await new Promise<void>((resolve) => (wake = resolve));
      const message = queue.shift();
      if (message === undefined) {
        if (hasBatchFromThread) throw failure ?? new Error('the preparing thread stopped');
        // The second thread never got going: this one prepares the rest.
        yield* preparedBatchesInProcess({ ...data, start: from });
        return;
      }
      if (message.kind === 'error') {
        throw message.code === 'INTERNAL' ? new Error(message.message) : new AppError(message.code, message.message);
      }
      hasBatchFromThread = true;
      yield { ...fromTransfer(message.batch), isLast: message.isLast, isPreparedByThread: true };
      if (message.isLast) return;
      worker.postMessage({ kind: 'next' } satisfies WriterMessage);
    }
  } finally {
    await worker.terminate();
  }
}

/** A batch ready to store, whether it is the file's last, and which thread prepared it. */
export interface PreparedBatchOut extends PreparedBatch {
  isLast: boolean;
  isPreparedByThread: boolean;
}

/** The same batches prepared on the calling thread (no second thread), for comparison and small files. */
export async function* preparedBatchesInProcess(data: PrepareWorkerData): AsyncGenerator<PreparedBatchOut> {
  const preparer = new BatchPreparer({ keyring: new Keyring(data.keyring), clock: () => data.now }, data);
  for await (const group of readRecords(data.file, data.format, data.start, data.now)) {
    for (const record of group) {
      preparer.add(record);
      if (preparer.size >= data.batchSize) yield { ...preparer.finish(), isLast: false, isPreparedByThread: false };
    }
  }
  yield { ...preparer.finish(), isLast: true, isPreparedByThread: false };
}
