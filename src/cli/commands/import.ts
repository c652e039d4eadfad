import { availableParallelism } from 'node:os';
import { type Command, Option } from 'commander';
import { DEFAULT_BATCH_SIZE, type ImportStatus, importStatements } from '../../domain/import/import-statements';
import { CSV_COLUMNS } from '../../domain/import/statement-row';
import { progressBar } from '../progress';
import { withRuntime } from '../run-command';

const out = (line: string) => process.stdout.write(`${line}\n`);

/** Samples this process's resident memory, to show that an import runs in flat memory. */
function memorySampler(): { stop(): { startMB: number; peakMB: number; endMB: number } } {
  const rss = () => process.memoryUsage.rss() / 1_048_576;
  const startMB = rss();
  let peakMB = startMB;
  const timer = setInterval(() => {
    peakMB = Math.max(peakMB, rss());
  }, 250);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      const endMB = rss();
      return { startMB, peakMB: Math.max(peakMB, endMB), endMB };
    },
  };
}

/**
 * Test hook: `HOTLINE_IMPORT_CRASH_AFTER_BATCHES=N` kills the process (SIGKILL, as a power cut
 * would) after the N-th batch, at `HOTLINE_IMPORT_CRASH_AT=commit` (committed, checkpoint not yet
 * written) or `checkpoint` (default). The import tests use it to prove resumption stores each row once.
 */
function crashHook(point: 'commit' | 'checkpoint'): ((batch: number) => void) | undefined {
  const after = Number(process.env.HOTLINE_IMPORT_CRASH_AFTER_BATCHES ?? '0');
  const at = process.env.HOTLINE_IMPORT_CRASH_AT === 'commit' ? 'commit' : 'checkpoint';
  if (!(after > 0) || at !== point) return undefined;
  return (batch) => {
    if (batch >= after) process.kill(process.pid, 'SIGKILL');
  };
}

/** Adds `hotline import statements FILE`. */
export function registerImportCommand(program: Command): void {
  const importCommand = program.command('import').description('bulk imports');
  importCommand
    .command('statements <file>')
    .description(
      `import statements from a CSV (header: ${CSV_COLUMNS.join(',')}) or JSONL file; resumable, bad rows go to FILE.errors.csv`,
    )
    .addOption(new Option('--status <status>', 'status of the imported statements').choices(['published', 'pending']).default('published'))
    .option('--batch-size <n>', 'rows per transaction', String(DEFAULT_BATCH_SIZE))
    .option('--threads', 'read, check and encrypt rows on a second thread while the first one writes (the default on a machine with two or more cores)')
    .option('--no-threads', 'do everything on one thread (leaves a core free for a server running on the same machine)')
    .option('--restart', 'ignore the checkpoint and read the file from the start (stored rows are skipped by id)')
    .action((file: string, options: { status: ImportStatus; batchSize: string; restart?: boolean; threads?: boolean }) =>
      withRuntime({ createKeysIfNew: false, migrate: true }, async (runtime) => {
        const batchSize = Number(options.batchSize);
        if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 50_000) {
          process.stderr.write('hotline: --batch-size must be a whole number from 1 to 50000\n');
          process.exitCode = 1;
          return;
        }
        const memory = memorySampler();
        const cpuAtStart = process.cpuUsage();
        const bar = progressBar('Importing', { unit: 'bytes' });
        const startedAt = Date.now();
        let lastRowsThisRun = 0;
        const afterCommit = crashHook('commit');
        const afterCheckpoint = crashHook('checkpoint');
        const summary = await importStatements(runtime, {
          file,
          status: options.status,
          batchSize,
          actorId: null,
          restart: options.restart === true,
          useSecondThread: options.threads ?? availableParallelism() >= 2,
          ...(afterCommit ? { afterCommit } : {}),
          ...(afterCheckpoint ? { afterCheckpoint } : {}),
          onProgress: ({ bytesDone, bytesTotal, counts, rowsThisRun }) => {
            const rows = counts.imported + counts.skipped + counts.bad;
            lastRowsThisRun = rowsThisRun;
            const seconds = (Date.now() - startedAt) / 1000;
            const rate = seconds > 0 ? Math.round(rowsThisRun / seconds) : 0;
            bar.progress(bytesDone, bytesTotal, `${rows.toLocaleString('en')} rows, ${rate.toLocaleString('en')} rows/s`);
          },
        });
        bar.stop();
        const seconds = (Date.now() - startedAt) / 1000;
        const { startMB, peakMB, endMB } = memory.stop();
        const cpu = process.cpuUsage(cpuAtStart);
        const cpuSeconds = (cpu.user + cpu.system) / 1e6;
        if (summary.wasAlreadyComplete) {
          out(`${file} was already imported completely (per its checkpoint): ${summary.imported} imported, ${summary.skipped} skipped, ${summary.bad} bad.`);
          out('Use --restart to read it again (rows already stored are skipped by id).');
          return;
        }
        out(`${summary.wasResumed ? 'Resumed and finished' : 'Finished'}: ${summary.imported} imported, ${summary.skipped} skipped (already stored), ${summary.bad} bad`);
        out(`  ${summary.batches} batch(es) of up to ${batchSize} rows; ${lastRowsThisRun} rows read in ${seconds.toFixed(1)} s this run, ${seconds > 0 ? Math.round(lastRowsThisRun / seconds) : 0} rows/s, ${cpuSeconds.toFixed(1)} s of CPU`);
        out(`  memory (RSS): start ${startMB.toFixed(0)} MB, peak ${peakMB.toFixed(0)} MB, end ${endMB.toFixed(0)} MB`);
        if (summary.batchesPreparedByThread > 0) out(`  ${summary.batchesPreparedByThread} batch(es) read, checked and encrypted on the second thread`);
        if (summary.bad > 0) out(`  bad rows, by line number and reason: ${summary.errorsFile}`);
      }),
    );
}
