import { Worker } from 'node:worker_threads';
import { AppError, type ErrorCode } from '../../shared/app-error';
import { Keyring } from '../../crypto/keyring';
import { STATEMENT_COLUMNS } from '../../db/schema/statement-columns';
import type { StatementsTable } from '../../db/schema';
import { type SourcePosition, type SourceRecord, readRecords } from './import-source';
import type { PrepareWorkerData } from './prepare-worker';
import { type ImportStatus, type PreparedImportRow, prepareImportRow } from './store-import-batch';

/** One record, prepared: where it is in the file, and either a row ready to store or why it is bad. */
export type PreparedRecord = { line: number; endLine: number; endOffset: number } & ({ row: PreparedImportRow; bad?: undefined } | { bad: { id: string; reason: string }; row?: undefined });

/**
 * A batch of prepared records as it crosses threads: one array of values per row instead of an
 * object with 32 named fields, which the structured clone copies three times faster.
 */
export interface PackedBatch {
  /** line, endLine, endOffset of each record, flat. */
  positions: number[];
  /** Per record: [sourceId, receiptCode, registeredBy, ...row values in STATEMENT_COLUMNS order], or [id, reason] when bad. */
  records: unknown[][];
  /** Per record: whether it is a row (true) or a bad record (false). */
  isRow: boolean[];
}

/**
 * What the preparing thread sends: that it has started, a batch it prepared, a batch it only read
 * (the writing thread asked for one to prepare itself while idle), or why it stopped.
 */
export type WorkerMessage =
  | { kind: 'ready' }
  | { kind: 'batch'; packed: PackedBatch; isLast?: boolean }
  | { kind: 'raw'; records: SourceRecord[]; isLast?: boolean }
  | { kind: 'error'; code: ErrorCode | 'INTERNAL'; message: string };

/** What the writing thread sends: where to start reading, a credit for one more batch, or a request for a raw batch. */
export type WriterMessage = { kind: 'start'; from: SourcePosition } | { kind: 'next' } | { kind: 'want-raw' };

/** Packs prepared records to send them to another thread. */
export function packBatch(records: PreparedRecord[]): PackedBatch {
  const packed: PackedBatch = { positions: [], records: [], isRow: [] };
  for (const record of records) {
    packed.positions.push(record.line, record.endLine, record.endOffset);
    if (record.row) {
      const { sourceId, prepared } = record.row;
      const values: unknown[] = [sourceId, prepared.receiptCode, prepared.registeredBy];
      for (const column of STATEMENT_COLUMNS) values.push(prepared.row[column]);
      packed.records.push(values);
      packed.isRow.push(true);
    } else {
      packed.records.push([record.bad.id, record.bad.reason]);
      packed.isRow.push(false);
    }
  }
  return packed;
}

/** The records of a packed batch, as they were before `packBatch`. */
export function unpackBatch(packed: PackedBatch): PreparedRecord[] {
  return packed.records.map((values, index): PreparedRecord => {
    const position = { line: packed.positions[index * 3] as number, endLine: packed.positions[index * 3 + 1] as number, endOffset: packed.positions[index * 3 + 2] as number };
    if (!packed.isRow[index]) return { ...position, bad: { id: values[0] as string, reason: values[1] as string } };
    const row: Record<string, unknown> = {};
    STATEMENT_COLUMNS.forEach((column, at) => (row[column] = values[at + 3]));
    // Buffers cross threads as plain Uint8Arrays; the database drivers want Buffers.
    const encrypted = row.real_name_enc;
    if (encrypted instanceof Uint8Array) row.real_name_enc = Buffer.from(encrypted.buffer, encrypted.byteOffset, encrypted.byteLength);
    const prepared = { row: row as unknown as StatementsTable, receiptCode: values[1] as string | null, registeredBy: values[2] as string | null };
    return { ...position, row: { sourceId: values[0] as string, prepared } };
  });
}

// From source (tsx), a small entry registers the TypeScript loader in the thread first; compiled
// (dist/server/), the worker is a module of its own next to this one.
const ENTRY = import.meta.url.endsWith('.ts') ? new URL('./prepare-worker-entry.js', import.meta.url) : new URL('./prepare-worker.js', import.meta.url);

/**
 * Prepared batches of a file, in file order, with a second thread doing most of the reading,
 * checking and encrypting while this one writes. The two share the work: while the second thread
 * starts (loading its modules takes about a second) this one prepares the first batches itself and
 * then tells it where to go on; afterwards, whenever this thread would wait, it asks for the next
 * batch unprepared and prepares it itself. The second thread never runs more than `ahead` batches
 * in front. Should it fail to start, this thread prepares the whole file.
 */
export async function* preparedBatches(data: PrepareWorkerData & { firstBatchesHere?: number }): AsyncGenerator<PreparedBatchOut> {
  const deps = { keyring: new Keyring(data.keyring), clock: () => data.now };
  const worker = new Worker(ENTRY, { workerData: data });
  const send = (message: WriterMessage) => {
    worker.postMessage(message);
  };
  // Set by the thread's events, which the compiler cannot follow into this generator.
  const canHandOver = () => isReady && failure === undefined;
  const queue: WorkerMessage[] = [];
  let isReady = false;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  worker.on('message', (message: WorkerMessage) => {
    if (message.kind === 'ready') isReady = true;
    else queue.push(message);
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
    let from = data.start;
    let records: PreparedRecord[] = [];
    let isHandedOver = false;
    let batchesHere = 0;
    for await (const record of readRecords(data.file, data.format, data.start, data.now)) {
      records.push(prepareRecord(deps, record, data.status));
      if (records.length < data.batchSize) continue;
      yield { records, isLast: false, isPreparedByThread: false };
      batchesHere += 1;
      from = { offset: record.endOffset, line: record.endLine };
      records = [];
      // Tests hand over at a fixed batch, waiting for the thread to have started.
      if (batchesHere === data.firstBatchesHere) while (!canHandOver() && failure === undefined) await new Promise<void>((resolve) => (wake = resolve));
      if (batchesHere >= (data.firstBatchesHere ?? 0) && canHandOver()) {
        isHandedOver = true;
        break;
      }
    }
    if (!isHandedOver) {
      yield { records, isLast: true, isPreparedByThread: false };
      return;
    }
    send({ kind: 'start', from });
    let isRawAsked = false;
    for (;;) {
      while (queue.length === 0 && failure === undefined) {
        // Idle: the next batch comes unprepared, and this thread prepares it.
        if (!isRawAsked) send({ kind: 'want-raw' });
        isRawAsked = true;
        await new Promise<void>((resolve) => (wake = resolve));
      }
      const message = queue.shift();
      if (message === undefined) throw failure ?? new Error('the preparing thread stopped');
      if (message.kind === 'error') {
        throw message.code === 'INTERNAL' ? new Error(message.message) : new AppError(message.code, message.message);
      }
      if (message.kind === 'ready') continue;
      let prepared: PreparedRecord[];
      if (message.kind === 'raw') {
        isRawAsked = false;
        prepared = message.records.map((record) => prepareRecord(deps, record, data.status));
      } else {
        prepared = unpackBatch(message.packed);
      }
      yield { records: prepared, isLast: message.isLast === true, isPreparedByThread: message.kind === 'batch' };
      if (message.isLast) return;
      send({ kind: 'next' });
    }
  } finally {
    await worker.terminate();
  }
}

/** A batch ready to store, and which thread prepared it. */
export interface PreparedBatchOut {
  records: PreparedRecord[];
  isLast: boolean;
  isPreparedByThread: boolean;
}

/** The same batches prepared on the calling thread (no second thread), for comparison and small files. */
export async function* preparedBatchesInProcess(data: PrepareWorkerData): AsyncGenerator<PreparedBatchOut> {
  const deps = { keyring: new Keyring(data.keyring), clock: () => data.now };
  let records: PreparedRecord[] = [];
  for await (const record of readRecords(data.file, data.format, data.start, data.now)) {
    records.push(prepareRecord(deps, record, data.status));
    if (records.length >= data.batchSize) {
      yield { records, isLast: false, isPreparedByThread: false };
      records = [];
    }
  }
  yield { records, isLast: true, isPreparedByThread: false };
}

/** Prepares one record read from the file. */
export function prepareRecord(deps: Parameters<typeof prepareImportRow>[0], record: SourceRecord, status: ImportStatus): PreparedRecord {
  const { line, endLine, endOffset } = record;
  if (!record.result.ok) return { line, endLine, endOffset, bad: { id: record.result.id, reason: record.result.reason } };
  const prepared = prepareImportRow(deps, record.result.row, status);
  return 'prepared' in prepared ? { line, endLine, endOffset, row: prepared } : { line, endLine, endOffset, bad: { id: record.result.row.sourceId, reason: prepared.reason } };
}
