import { Worker } from 'node:worker_threads';
import { AppError, type ErrorCode } from '../../shared/app-error';
import { Keyring } from '../../crypto/keyring';
import { type SourceRecord, readRecords } from './import-source';
import type { PrepareWorkerData } from './prepare-worker';
import { type ImportStatus, type PreparedImportRow, prepareImportRow } from './store-import-batch';

/** One record, prepared: where it is in the file, and either a row ready to store or why it is bad. */
export type PreparedRecord = { line: number; endLine: number; endOffset: number } & ({ row: PreparedImportRow; bad?: undefined } | { bad: { id: string; reason: string }; row?: undefined });

/** What the preparing thread sends. */
export type WorkerMessage = { kind: 'batch'; records: PreparedRecord[]; isLast?: boolean } | { kind: 'error'; code: ErrorCode | 'INTERNAL'; message: string };

const ENTRY = new URL('./prepare-worker-entry.js', import.meta.url);

/**
 * Prepared batches of a file, in file order, from a second thread (reading, parsing, checking and
 * encrypting take most of an import's CPU; the database writes overlap with them). The thread
 * waits for each batch to be taken before it sends more than `ahead` of them.
 */
export async function* preparedBatches(data: PrepareWorkerData): AsyncGenerator<{ records: PreparedRecord[]; isLast: boolean }> {
  const worker = new Worker(ENTRY, { workerData: data });
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
    for (;;) {
      while (queue.length === 0 && failure === undefined) await new Promise<void>((resolve) => (wake = resolve));
      const message = queue.shift();
      if (message === undefined) throw failure ?? new Error('the preparing thread stopped');
      if (message.kind === 'error') {
        throw message.code === 'INTERNAL' ? new Error(message.message) : new AppError(message.code, message.message);
      }
      for (const record of message.records) {
        const encrypted = record.row?.prepared.row.real_name_enc;
        // Buffers cross threads as plain Uint8Arrays; the database drivers want Buffers.
        if (record.row && encrypted) record.row.prepared.row.real_name_enc = Buffer.from(encrypted.buffer, encrypted.byteOffset, encrypted.byteLength);
      }
      yield { records: message.records, isLast: message.isLast === true };
      if (message.isLast) return;
      worker.postMessage('next');
    }
  } finally {
    await worker.terminate();
  }
}

/** The same batches prepared on the calling thread (no second thread), for comparison and small files. */
export async function* preparedBatchesInProcess(data: PrepareWorkerData): AsyncGenerator<{ records: PreparedRecord[]; isLast: boolean }> {
  const deps = { keyring: new Keyring(data.keyring), clock: () => data.now };
  let records: PreparedRecord[] = [];
  for await (const record of readRecords(data.file, data.format, data.start, data.now)) {
    records.push(prepareRecord(deps, record, data.status));
    if (records.length >= data.batchSize) {
      yield { records, isLast: false };
      records = [];
    }
  }
  yield { records, isLast: true };
}

/** Prepares one record read from the file. */
export function prepareRecord(deps: Parameters<typeof prepareImportRow>[0], record: SourceRecord, status: ImportStatus): PreparedRecord {
  const { line, endLine, endOffset } = record;
  if (!record.result.ok) return { line, endLine, endOffset, bad: { id: record.result.id, reason: record.result.reason } };
  const prepared = prepareImportRow(deps, record.result.row, status);
  return 'prepared' in prepared ? { line, endLine, endOffset, row: prepared } : { line, endLine, endOffset, bad: { id: record.result.row.sourceId, reason: prepared.reason } };
}
