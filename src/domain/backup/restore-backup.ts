import { closeSync, createReadStream, openSync, readSync, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { SealError, open } from '../../crypto/sealed-stream';
import { knownMigrations } from '../../db/database';
import type { BackupRow } from '../../db/repositories/backup.repository';
import type { Store } from '../../db/store';
import { AppError } from '../../shared/app-error';
import { GENESIS_MAC, appendAudit } from '../audit/append-audit';
import { type AuditVerification, verifyAuditLog } from '../audit/verify-audit-log';
import type { Deps } from '../deps';
import { type BackupHeader, MAX_HEADER_BYTES, decodeRow, parseHeader } from './backup-format';

/** What a check of a backup found. */
export interface RestoreSummary {
  header: BackupHeader;
  rows: number;
  counts: Record<string, number>;
}

/** What a restore did, and whether the restored audit chain verifies. */
export interface RestoredBackup extends RestoreSummary {
  audit: AuditVerification;
}

/** Rows inserted per statement batch. */
const INSERT_BATCH = 500;

function readHead(file: string): { head: Buffer; size: number } {
  const size = statSync(file).size;
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(Math.min(size, MAX_HEADER_BYTES));
    readSync(fd, head, 0, head.length, 0);
    return { head, size };
  } finally {
    closeSync(fd);
  }
}

const isPrefix = (prefix: string[], of: string[]) => prefix.length <= of.length && prefix.every((name, at) => of[at] === name);

/**
 * Reads a backup's lines in order, after checking its header against this keyring and this
 * version of Hotline. Every chunk is authenticated before its lines are used; a damaged, cut-off
 * or foreign file throws before the line it would have corrupted.
 */
async function* backupLines(
  deps: Pick<Deps, 'keyring'>,
  file: string,
  onBytes?: (done: number, total: number) => void,
): AsyncGenerator<{ line: number; value: unknown } | { header: BackupHeader }> {
  const { head, size } = readHead(file);
  const { header, aad, bodyOffset } = parseHeader(head);
  if (header.keyringId !== deps.keyring.id) {
    throw new AppError(
      'VALIDATION_FAILED',
      `This backup was sealed with keyring ${header.keyringId}, but the key file holds keyring ${deps.keyring.id}: point HOTLINE_KEY_FILE at the key file the backup was made with`,
    );
  }
  const known = knownMigrations();
  if (!isPrefix(header.migrations, known)) {
    throw new AppError('VALIDATION_FAILED', `This backup was made by a newer Hotline (its schema has migrations this version does not know: ${header.migrations.filter((name) => !known.includes(name)).join(', ')}); upgrade Hotline first`);
  }
  yield { header };
  let done = bodyOffset;
  const source = createReadStream(file, { start: bodyOffset, highWaterMark: 256 * 1024 });
  source.on('data', (chunk) => {
    done += chunk.length;
    onBytes?.(done, size);
  });
  const gunzip = createGunzip();
  // A seal error destroys gunzip with it, so it surfaces where the lines are read.
  const piping = pipeline(Readable.from(open(source as AsyncIterable<Buffer>, deps.keyring.backupKey(), Buffer.from(header.noncePrefix, 'base64'), aad)), gunzip).catch(
    () => undefined,
  );
  let pending = '';
  let line = 0;
  try {
    for await (const piece of gunzip as AsyncIterable<Buffer>) {
      pending += piece.toString('utf8');
      let newline = pending.indexOf('\n');
      while (newline >= 0) {
        line += 1;
        const text = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch {
          throw new AppError('VALIDATION_FAILED', `The backup is damaged: its line ${line} is not JSON`);
        }
        yield { line, value };
        newline = pending.indexOf('\n');
      }
    }
  } catch (error) {
    if (error instanceof SealError) throw new AppError('VALIDATION_FAILED', `The backup cannot be used: ${error.message}`);
    if ((error as NodeJS.ErrnoException).code?.startsWith('Z_')) throw new AppError('VALIDATION_FAILED', 'The backup is damaged: its content does not decompress');
    throw error;
  } finally {
    source.destroy();
    gunzip.destroy();
    await piping;
  }
  if (pending.trim() !== '') throw new AppError('VALIDATION_FAILED', 'The backup is damaged: it ends in the middle of a line');
}

/**
 * Checks an entire backup without writing anything: the seal of every chunk, every line, and that
 * each table holds as many rows as the backup says it wrote. Use it to test backups regularly.
 */
export async function checkBackup(deps: Pick<Deps, 'keyring'>, options: { file: string; onBytes?: (done: number, total: number) => void }): Promise<RestoreSummary> {
  return consume(deps, options.file, options.onBytes, async () => undefined);
}

async function consume(
  deps: Pick<Deps, 'keyring'>,
  file: string,
  onBytes: ((done: number, total: number) => void) | undefined,
  onRows: (table: string, rows: BackupRow[]) => Promise<void>,
): Promise<RestoreSummary> {
  let header: BackupHeader | undefined;
  const counts: Record<string, number> = {};
  let expected: Record<string, number> | undefined;
  let batch: { table: string; rows: BackupRow[] } | undefined;
  let rows = 0;
  const flush = async () => {
    if (batch && batch.rows.length > 0) await onRows(batch.table, batch.rows);
    batch = undefined;
  };
  for await (const item of backupLines(deps, file, onBytes)) {
    if ('header' in item) {
      header = item.header;
      continue;
    }
    if (expected) throw new AppError('VALIDATION_FAILED', `The backup is damaged: line ${item.line} follows its closing line`);
    const value = item.value as { t?: unknown; r?: unknown; end?: unknown; counts?: unknown };
    if (value.end === true && typeof value.counts === 'object' && value.counts !== null) {
      await flush();
      expected = value.counts as Record<string, number>;
      continue;
    }
    if (typeof value.t !== 'string' || typeof value.r !== 'object' || value.r === null) {
      throw new AppError('VALIDATION_FAILED', `The backup is damaged: line ${item.line} is neither a row nor its closing line`);
    }
    if (batch?.table !== value.t) await flush();
    batch ??= { table: value.t, rows: [] };
    batch.rows.push(decodeRow(value.r as Record<string, unknown>, item.line));
    counts[value.t] = (counts[value.t] ?? 0) + 1;
    rows += 1;
    if (batch.rows.length >= INSERT_BATCH) await flush();
  }
  if (!header) throw new AppError('VALIDATION_FAILED', 'The backup is empty');
  if (!expected) throw new AppError('VALIDATION_FAILED', 'The backup is incomplete: its closing line is missing');
  for (const table of new Set([...Object.keys(expected), ...Object.keys(counts)])) {
    if ((expected[table] ?? 0) !== (counts[table] ?? 0)) {
      throw new AppError('VALIDATION_FAILED', `The backup is damaged: table ${table} should have ${expected[table] ?? 0} row(s), it has ${counts[table] ?? 0}`);
    }
  }
  return { header, rows, counts };
}

/** Throws unless the database holds nothing yet (a fresh file or database, at most migrated). */
async function assertEmpty(store: Store, keyringId: string): Promise<void> {
  for (const table of await store.backup.tables()) {
    if (table === 'meta') {
      const rows = await store.backup.rowsOf('meta');
      if (rows.every((row) => row.key === 'keyring_id' && row.value === keyringId)) continue;
    } else if ((await store.backup.count(table)) === 0) {
      continue;
    }
    throw new AppError('CONFLICT', `The database already holds data (table ${table}); a backup is restored only into an empty database: set HOTLINE_DATA_DIR or HOTLINE_DATABASE_URL to a new one`);
  }
}

/**
 * Restores a backup into an empty database: checks the whole backup first, rebuilds the backup's
 * schema, inserts every row in one transaction (nothing is kept if any chunk, line or count turns
 * out wrong), then applies the migrations this version adds. The backup may come from the other
 * kind of database: SQLite to PostgreSQL is how an install moves when one machine is not enough.
 */
export async function restoreBackup(deps: Deps, options: { file: string; onBytes?: (done: number, total: number) => void }): Promise<RestoredBackup> {
  const checked = await checkBackup(deps, { file: options.file });
  const applied = await deps.store.appliedMigrations();
  if (!isPrefix(applied, checked.header.migrations)) {
    throw new AppError('CONFLICT', 'The database has a newer schema than the backup; restore into a new, empty database');
  }
  await assertEmpty(deps.store, deps.keyring.id);
  await deps.store.migrateUpTo(checked.header.migrations.at(-1) as string);
  const summary = await deps.store.transaction(async (tx) => {
    await tx.backup.deleteAll('meta');
    return consume(deps, options.file, options.onBytes, (table, rows) => tx.backup.insert(table, rows));
  });
  await deps.store.migrateToLatest();
  // The restored chain is checked on its own: a head file left by another install would not match it.
  const audit = await verifyAuditLog({ ...deps, auditHead: undefined });
  if (audit.ok) {
    const last = await deps.store.audit.last();
    deps.auditHead?.replace({ seq: last?.seq ?? 0, mac: last?.mac ?? GENESIS_MAC });
    await appendAudit(deps, { actorId: null, action: 'backup.restored', entityType: 'database', details: { rows: summary.rows, backupCreatedAt: summary.header.createdAt, from: summary.header.database } });
  }
  return { ...summary, audit };
}
