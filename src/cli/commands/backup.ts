import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { createBackup } from '../../domain/backup/create-backup';
import { checkBackup, restoreBackup } from '../../domain/backup/restore-backup';
import { progressBar } from '../progress';
import { configOrFail, withRuntime } from '../run-command';

const out = (line: string) => process.stdout.write(`${line}\n`);

/** backups/hotline-20261201-153000.backup under the data folder's parent. */
function defaultBackupFile(dataDir: string, now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return path.join(path.dirname(path.resolve(dataDir)), 'backups', `hotline-${stamp}.backup`);
}

const tables = (counts: Record<string, number>) =>
  Object.entries(counts)
    .filter(([, rows]) => rows > 0)
    .map(([table, rows]) => `${table} ${rows}`)
    .join(', ');

/** Adds `hotline backup create | check | restore`. */
export function registerBackupCommands(program: Command): void {
  const backup = program.command('backup').description('encrypted backups of the whole database, and restoring them');

  backup
    .command('create')
    .description('write an encrypted backup of everything while the server keeps serving (readable only with the key file)')
    .option('--out <file>', 'where to write it (default: backups/hotline-DATE-TIME.backup beside the data folder)')
    .action((options: { out?: string }) =>
      withRuntime({ createKeysIfNew: false, migrate: false }, async (runtime) => {
        const file = options.out ?? defaultBackupFile(runtime.config.dataDir, new Date(runtime.clock()));
        const bar = progressBar('Backing up');
        const summary = await createBackup(runtime, {
          file,
          onProgress: (rows, total) => {
            if (rows === 1 || rows % 1000 === 0 || rows === total) bar.progress(rows, total);
          },
        });
        bar.stop();
        out(`Backup written: ${summary.file} (${(summary.bytes / 1e6).toFixed(1)} MB, ${summary.rows} rows: ${tables(summary.counts)})`);
        out('It is sealed with the key file: keep a copy of the key file, apart from the backups, or they cannot be read.');
      }),
    );

  backup
    .command('check <file>')
    .description('read a whole backup and check every part of it, writing nothing (test your backups)')
    .action((file: string) =>
      withRuntime({ createKeysIfNew: false, migrate: false }, async (runtime) => {
        const bar = progressBar('Checking', { unit: 'bytes' });
        const summary = await checkBackup(runtime, { file, onBytes: (done, total) => { bar.progress(done, total); } });
        bar.stop();
        out(`Backup ${file} is intact: made ${summary.header.createdAt} on ${summary.header.database}, ${summary.rows} rows (${tables(summary.counts)}).`);
      }),
    );

  backup
    .command('restore <file>')
    .description('restore a backup into an empty database (a new HOTLINE_DATA_DIR, or a new PostgreSQL database)')
    .action(async (file: string) => {
      const config = configOrFail();
      if (!config) return;
      if (!config.HOTLINE_KEYRING && !existsSync(config.keyFile)) {
        process.stderr.write(`hotline: the key file ${config.keyFile} is not there: a backup can only be restored with the key file it was made with. Copy it there, or set HOTLINE_KEY_FILE.\n`);
        process.exitCode = 1;
        return;
      }
      await withRuntime({ createKeysIfNew: false, migrate: false }, async (runtime) => {
        const bar = progressBar('Restoring', { unit: 'bytes' });
        const summary = await restoreBackup(runtime, { file, onBytes: (done, total) => { bar.progress(done, total); } });
        bar.stop();
        out(`Restored ${summary.rows} rows from ${file} (made ${summary.header.createdAt} on ${summary.header.database}) into the ${runtime.connection.description}.`);
        if (summary.audit.ok) {
          out(`Audit chain intact: ${summary.audit.rows} row(s); the audit head file ${runtime.config.auditHeadFile} now holds the restored head.`);
        } else {
          process.stderr.write(`hotline: the data is restored, but its audit chain does not verify: ${summary.audit.message}\n`);
          process.exitCode = 1;
        }
      });
    });
}
