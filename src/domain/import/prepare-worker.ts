import { parentPort, workerData } from 'node:worker_threads';
import { Keyring, type KeyringFile } from '../../crypto/keyring';
import { isAppError } from '../../shared/app-error';
import { type ImportFormat, type SourcePosition, readRecords } from './import-source';
import type { ImportStatus } from './store-import-batch';
import { type PreparedRecord, type WorkerMessage, packBatch, prepareRecord } from './prepare-in-worker';

/** What the import hands its preparing thread. */
export interface PrepareWorkerData {
  file: string;
  format: ImportFormat;
  start: SourcePosition;
  status: ImportStatus;
  keyring: KeyringFile;
  now: number;
  batchSize: number;
  /** Batches the thread may prepare ahead of the writer: memory stays bounded. */
  ahead: number;
}

/**
 * The import's second thread: reads, parses, checks and encrypts rows (the CPU-heavy half) while
 * the main thread writes the previous batch to the database, and never runs more than `ahead`
 * batches in front of it.
 */
async function run(port: NonNullable<typeof parentPort>, data: PrepareWorkerData): Promise<void> {
  const keyring = new Keyring(data.keyring);
  const deps = { keyring, clock: () => data.now };
  let credits = data.ahead;
  let wake: (() => void) | undefined;
  port.on('message', () => {
    credits += 1;
    wake?.();
  });
  const send = async (message: WorkerMessage): Promise<void> => {
    while (credits <= 0) await new Promise<void>((resolve) => (wake = resolve));
    credits -= 1;
    port.postMessage(message);
  };
  let records: PreparedRecord[] = [];
  for await (const record of readRecords(data.file, data.format, data.start, data.now)) {
    records.push(prepareRecord(deps, record, data.status));
    if (records.length >= data.batchSize) {
      await send({ kind: 'batch', packed: packBatch(records) });
      records = [];
    }
  }
  await send({ kind: 'batch', packed: packBatch(records), isLast: true });
}

if (parentPort) {
  const port = parentPort;
  run(port, workerData as PrepareWorkerData).catch((error: unknown) => {
    port.postMessage({
      kind: 'error',
      code: isAppError(error) ? error.code : 'INTERNAL',
      message: error instanceof Error ? error.message : String(error),
    } satisfies WorkerMessage);
  });
}
