import { parentPort, workerData } from 'node:worker_threads';
import { Keyring, type KeyringFile } from '../../crypto/keyring';
import { isAppError } from '../../shared/app-error';
import { type ImportFormat, type SourcePosition, readRecords } from './import-source';
import type { ImportStatus } from './store-import-batch';
import { BatchPreparer, type WorkerMessage, type WriterMessage, forTransfer } from './prepare-in-worker';

/** What the import hands its preparing thread. */
export interface PrepareWorkerData {
  file: string;
  format: ImportFormat;
  start: SourcePosition;
  status: ImportStatus;
  /** Encode rows for PostgreSQL's bulk path (COPY text) as they are prepared. */
  encode: boolean;
  keyring: KeyringFile;
  now: number;
  batchSize: number;
  /** Batches the thread may prepare ahead of the writer: memory stays bounded. */
  ahead: number;
}

/**
 * The import's second thread: reads, parses, checks, encrypts and encodes rows (the CPU-heavy
 * half) while the main thread writes, from where the main thread says (it prepares the first
 * batches itself while this thread starts), never more than `ahead` batches in front of it.
 */
async function run(port: NonNullable<typeof parentPort>, data: PrepareWorkerData): Promise<void> {
  const keyring = new Keyring(data.keyring);
  const deps = { keyring, clock: () => data.now };
  let credits = data.ahead;
  let from: SourcePosition | undefined;
  let wake: (() => void) | undefined;
  port.on('message', (message: WriterMessage) => {
    if (message.kind === 'start') from = message.from;
    else credits += 1;
    wake?.();
  });
  while (from === undefined) await new Promise<void>((resolve) => (wake = resolve));
  const preparer = new BatchPreparer(deps, data);
  const send = async (isLast: boolean): Promise<void> => {
    while (credits <= 0) await new Promise<void>((resolve) => (wake = resolve));
    credits -= 1;
    const { batch, transfer } = forTransfer(preparer.finish());
    port.postMessage({ kind: 'batch', batch, isLast } satisfies WorkerMessage, transfer);
  };
  for await (const group of readRecords(data.file, data.format, from, data.now)) {
    for (const record of group) {
      // Each record is prepared as it is read (see BatchPreparer).
      preparer.add(record);
      if (preparer.size >= data.batchSize) await send(false);
    }
  }
  await send(true);
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
