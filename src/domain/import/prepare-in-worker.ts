import { Worker } from 'node:worker_threads';
import { AppError, type ErrorCode } from '../../shared/app-error';
import { Keyring } from '../../crypto/keyring';
import { STATEMENT_COLUMNS } from '../../db/schema/statement-columns';
import type { StatementsTable } from '../../db/schema';
import { type SourcePosition, type SourceRecord, readRecords } from './import-source';
import type { PrepareWorkerData } from './prepare-worker';
import { type ImportedRowFacts, type PreparedImportRow, encodeImportRow, prepareImportRow } from './store-import-batch';

/** One record, prepared: where it is in the file, and either a row ready to store or why it is bad. */
export type PreparedRecord = { line: number; endLine: number; endOffset: number } & ({ row: PreparedImportRow; bad?: undefined } | { bad: { id: string; reason: string }; row?: undefined });

/**
 * A batch of prepared records as it crosses threads. Whole rows (SQLite) go as one array of values
 * per row instead of an object with named fields, which the structured clone copies three times
 * faster; encoded rows (PostgreSQL) go by column, as a few long strings and numbers, which it
 * copies about as fast as memory.
 */
export interface PackedBatch {
  /** line, endLine, endOffset of each record, flat. */
  positions: number[];
  /** Per record: how it travels. */
  kinds: RecordKind[];
  /** Whole rows `[sourceId, ...values in STATEMENT_COLUMNS order]` and bad records `[id, reason]`, in order. */
  records: unknown[][];
  /** Encoded rows, in order: their COPY text, their text facts (see `packBatch`) and their counts (people, party, league, pioneers). */
  encoded: { lines: string[]; facts: string[]; counts: number[] };
}

/** How a packed record travels. */
const enum RecordKind {
  Bad = 0,
  Whole = 1,
  Encoded = 2,
}

/**
 * What the preparing thread sends: that it has started, a batch it prepared, or why it stopped.
 */
export type WorkerMessage =
  | { kind: 'ready' }
  | { kind: 'batch'; packed: PackedBatchInTransfer; isLast?: boolean }
  | { kind: 'error'; code: ErrorCode | 'INTERNAL'; message: string };

/** What the writing thread sends: where to start reading, or a credit for one more batch. */
export type WriterMessage = { kind: 'start'; from: SourcePosition } | { kind: 'next' };

/** Packs prepared records to send them to another thread. */
export function packBatch(records: PreparedRecord[]): PackedBatch {
  const packed: PackedBatch = { positions: [], kinds: [], records: [], encoded: { lines: [], facts: [], counts: [] } };
  const { lines, facts, counts } = packed.encoded;
  for (const record of records) {
    packed.positions.push(record.line, record.endLine, record.endOffset);
    if (record.row === undefined) {
      packed.records.push([record.bad.id, record.bad.reason]);
      packed.kinds.push(RecordKind.Bad);
    } else if (record.row.encoded === undefined) {
      const values: unknown[] = [record.row.sourceId];
      for (const column of STATEMENT_COLUMNS) values.push(record.row.row[column]);
      packed.records.push(values);
      packed.kinds.push(RecordKind.Whole);
    } else {
      const { row, sourceId } = record.row;
      lines.push(record.row.encoded);
      // Its source id, id, client id, status, day, province and channel. None can hold a tab or a
      // line break (ids are base64url or checked source ids, the rest codes and dates); null is ''.
      facts.push(`${sourceId}\t${row.id}\t${row.client_id ?? ''}\t${row.status}\t${row.published_day ?? ''}\t${row.province_code}\t${row.channel}`);
      counts.push(row.people, row.party, row.league, row.pioneers);
      packed.kinds.push(RecordKind.Encoded);
    }
  }
  return packed;
}

/** The packed batch's many short strings as the few long ones that cross threads (see `PackedBatch`). */
export function joinedForTransfer(packed: PackedBatch): PackedBatchInTransfer {
  return { ...packed, encoded: { lines: packed.encoded.lines.join('\n'), facts: packed.encoded.facts.join('\n'), counts: new Int32Array(packed.encoded.counts) } };
}

/** A packed batch as it crosses threads: the encoded rows' strings joined, their counts typed. */
export interface PackedBatchInTransfer extends Omit<PackedBatch, 'encoded'> {
  encoded: { lines: string; facts: string; counts: Int32Array };
}

/** The records of a packed batch, as they were before `packBatch`. */
export function unpackBatch(transferred: PackedBatchInTransfer): PreparedRecord[] {
  const { positions, kinds, records } = transferred;
  const hasEncoded = kinds.includes(RecordKind.Encoded);
  const lines = hasEncoded ? transferred.encoded.lines.split('\n') : [];
  const facts = hasEncoded ? transferred.encoded.facts.split('\n') : [];
  const counts = transferred.encoded.counts;
  const out: PreparedRecord[] = [];
  let nextRecord = 0;
  let nextEncoded = 0;
  for (let index = 0; index < kinds.length; index += 1) {
    const line = positions[index * 3] as number;
    const endLine = positions[index * 3 + 1] as number;
    const endOffset = positions[index * 3 + 2] as number;
    const kind = kinds[index];
    if (kind === RecordKind.Encoded) {
      const at = nextEncoded;
      nextEncoded += 1;
      const [sourceId = '', id = '', clientId = '', status = '', day = '', province = '', channel = ''] = (facts[at] as string).split('\t');
      const row: ImportedRowFacts = {
        id,
        client_id: clientId === '' ? null : clientId,
        status,
        published_day: day === '' ? null : day,
        province_code: province,
        channel,
        people: counts[at * 4] as number,
        party: counts[at * 4 + 1] as number,
        league: counts[at * 4 + 2] as number,
        pioneers: counts[at * 4 + 3] as number,
      };
      out.push({ line, endLine, endOffset, row: { sourceId, row, encoded: lines[at] as string } });
      continue;
    }
    const values = records[nextRecord] as unknown[];
    nextRecord += 1;
    if (kind === RecordKind.Bad) {
      out.push({ line, endLine, endOffset, bad: { id: values[0] as string, reason: values[1] as string } });
      continue;
    }
    const row: Record<string, unknown> = {};
    STATEMENT_COLUMNS.forEach((column, at) => (row[column] = values[at + 1]));
    // Buffers cross threads as plain Uint8Arrays; the database drivers want Buffers.
    const encrypted = row.real_name_enc;
    if (encrypted instanceof Uint8Array) row.real_name_enc = Buffer.from(encrypted.buffer, encrypted.byteOffset, encrypted.byteLength);
    out.push({ line, endLine, endOffset, row: { sourceId: values[0] as string, row: row as unknown as StatementsTable } });
  }
  return out;
}

// From source (tsx), a small entry registers the TypeScript loader in the thread first; compiled
// (dist/server/), the worker is a module of its own next to this one.
const ENTRY = import.meta.url.endsWith('.ts') ? new URL('./prepare-worker-entry.js', import.meta.url) : new URL('./prepare-worker.js', import.meta.url);

/**
 * Prepared batches of a file, in file order, with a second thread reading, checking and encrypting
 * (and, for PostgreSQL, encoding) while this one writes. While the second thread starts (loading
 * its modules takes a quarter of a second) this one prepares the first batches itself, then tells
 * it where to go on. This thread no longer prepares batches when it would wait: writing is the
 * slower half, and a batch prepared here held the database up while it was prepared. The second
 * thread never runs more than `ahead` batches in front. Should it fail to start, this thread
 * prepares the whole file.
 */
export async function* preparedBatches(data: PrepareWorkerData & { firstBatchesHere?: number }): AsyncGenerator<PreparedBatchOut> {
  const deps = { keyring: new Keyring(data.keyring), clock: () => data.now };
  const worker = new Worker(ENTRY, { workerData: data, resourceLimits: { maxYoungGenerationSizeMb: 64 } });
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
    reading: for await (const group of readRecords(data.file, data.format, data.start, data.now)) {
      for (const record of group) {
        records.push(prepareRecord(deps, record, data));
        if (records.length < data.batchSize) continue;
        yield { records, isLast: false, isPreparedByThread: false };
        batchesHere += 1;
        from = { offset: record.endOffset, line: record.endLine };
        records = [];
        // Tests hand over at a fixed batch, waiting for the thread to have started.
        if (batchesHere === data.firstBatchesHere) while (!canHandOver() && failure === undefined) await new Promise<void>((resolve) => (wake = resolve));
        if (batchesHere >= (data.firstBatchesHere ?? 0) && canHandOver()) {
          isHandedOver = true;
          break reading;
        }
      }
    }
    if (!isHandedOver) {
      yield { records, isLast: true, isPreparedByThread: false };
      return;
    }
    send({ kind: 'start', from });
    for (;;) {
      while (queue.length === 0 && failure === undefined) await new Promise<void>((resolve) => (wake = resolve));
      const message = queue.shift();
      if (message === undefined) throw failure ?? new Error('the preparing thread stopped');
      if (message.kind === 'error') {
        throw message.code === 'INTERNAL' ? new Error(message.message) : new AppError(message.code, message.message);
      }
      if (message.kind === 'ready') continue;
      yield { records: unpackBatch(message.packed), isLast: message.isLast === true, isPreparedByThread: true };
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
  for await (const group of readRecords(data.file, data.format, data.start, data.now)) {
    for (const record of group) {
      records.push(prepareRecord(deps, record, data));
      if (records.length >= data.batchSize) {
        yield { records, isLast: false, isPreparedByThread: false };
        records = [];
      }
    }
  }
  yield { records, isLast: true, isPreparedByThread: false };
}

/**
 * Prepares one record read from the file; with `data.encode` (PostgreSQL), the row comes encoded
 * for its bulk path.
 */
export function prepareRecord(deps: Parameters<typeof prepareImportRow>[0], record: SourceRecord, data: Pick<PrepareWorkerData, 'status' | 'encode'>): PreparedRecord {
  const { line, endLine, endOffset } = record;
  if (!record.result.ok) return { line, endLine, endOffset, bad: { id: record.result.id, reason: record.result.reason } };
  const prepared = prepareImportRow(deps, record.result.row, data.status);
  if ('reason' in prepared) return { line, endLine, endOffset, bad: { id: record.result.row.sourceId, reason: prepared.reason } };
  return { line, endLine, endOffset, row: data.encode ? encodeImportRow(prepared) : prepared };
}
