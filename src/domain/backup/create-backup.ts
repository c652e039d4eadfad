import { createWriteStream, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { newNoncePrefix, seal } from '../../crypto/sealed-stream';
import type { Store } from '../../db/store';
import { appendAudit } from '../audit/append-audit';
import type { Deps } from '../deps';
import { BACKUP_MAGIC, type BackupHeader, type BackupLine, encodeRow } from './backup-format';

/** What a backup wrote. */
export interface BackupSummary {
  file: string;
  bytes: number;
  rows: number;
  counts: Record<string, number>;
}

/**
 * Writes an encrypted backup of the whole database to `file` while Hotline keeps serving: every
 * table read in one snapshot (so all of it is from one moment), as JSON lines, compressed, then
 * sealed with the keyring's backup key in authenticated chunks. Personal fields stay encrypted
 * under their data keys inside it; everything else (statement texts, usernames, the audit log) is
 * readable only with the key file. The file is written next to its final name with mode 0600 and
 * renamed only when complete, so a half-written backup never looks like a good one.
 */
export async function createBackup(
  deps: Deps,
  options: { file: string; onProgress?: (rows: number, total: number) => void },
): Promise<BackupSummary> {
  const noncePrefix = newNoncePrefix();
  const header: BackupHeader = {
    format: 'hotline-backup/1',
    keyringId: deps.keyring.id,
    createdAt: new Date(deps.clock()).toISOString(),
    database: deps.store.dialect,
    migrations: await deps.store.appliedMigrations(),
    noncePrefix: noncePrefix.toString('base64'),
  };
  const aad = Buffer.from(`${BACKUP_MAGIC}${JSON.stringify(header)}\n`, 'utf8');
  mkdirSync(path.dirname(path.resolve(options.file)), { recursive: true, mode: 0o700 });
  const partial = `${options.file}.partial`;
  const counts: Record<string, number> = {};
  let rows = 0;
  let bytes = 0;
  try {
    await deps.store.readSnapshot(async (tx) => {
      const tables = await tx.backup.tables();
      let total = 0;
      for (const table of tables) total += await tx.backup.count(table);
      const lines = Readable.from(contentLines(tx, tables, counts, () => options.onProgress?.(++rows, total)));
      const output = createWriteStream(partial, { mode: 0o600 });
      output.write(aad);
      await pipeline(lines, createGzip(), (gzipped: AsyncIterable<Buffer>) => seal(gzipped, deps.keyring.backupKey(), noncePrefix, aad), output);
      bytes = output.bytesWritten;
    });
    renameSync(partial, options.file);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
  await appendAudit(deps, { actorId: null, action: 'backup.created', entityType: 'database', details: { rows, bytes } });
  return { file: options.file, bytes, rows, counts };
}

async function* contentLines(tx: Store, tables: string[], counts: Record<string, number>, onRow: () => void): AsyncGenerator<Buffer> {
  for (const table of tables) {
    counts[table] = 0;
    for await (const page of tx.backup.rows(table)) {
      let text = '';
      for (const row of page) {
        text += `${JSON.stringify({ t: table, r: encodeRow(row) })}\n`;
        counts[table] += 1;
        onRow();
      }
      yield Buffer.from(text, 'utf8');
    }
  }
  yield Buffer.from(`${JSON.stringify({ end: true, counts } satisfies BackupLine)}\n`, 'utf8');
}
