import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../../src/config/config';
import { type ImportReport, importCallList } from '../../src/domain/operations/import-call-list';
import { openRuntime } from '../../src/runtime';
import { callListCsv } from './call-list-csv';

/**
 * A generated call list imported by a separate process, for the 100,000-row test: with --expose-gc
 * it samples the heap after a forced collection every HEAP_SAMPLE_ROWS rows (what the import
 * retains, not garbage waiting to be collected), and it can be killed with SIGKILL part-way to
 * show that a crash leaves nothing half-imported.
 */

/** Rows between two heap samples. */
export const HEAP_SAMPLE_ROWS = 10_000;

/** What the child reports at the end. */
export interface ImportChildResult {
  report: ImportReport;
  /** Heap used (bytes) after gc, at 0, HEAP_SAMPLE_ROWS, 2 * HEAP_SAMPLE_ROWS ... rows staged. */
  heapAfterGc: { rows: number; bytes: number }[];
  /** Heap used after gc once the list is committed. */
  heapAfterCommit: number;
  seconds: number;
}

/** A running import child. */
export interface ImportChild {
  /** Resolves with the result, or rejects when the child fails or is killed. */
  done: Promise<ImportChildResult>;
  /** Resolves once at least `rows` rows are staged. */
  staged(rows: number): Promise<void>;
  kill(): void;
}

/** Imports `rows` generated rows as list `name` in a child process on the database of `env`. */
export function startImportChild(env: Record<string, string>, cwd: string, options: { rows: number; name: string }): ImportChild {
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', import.meta.filename], {
    cwd: path.resolve(import.meta.dirname, '../..'),
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env, IMPORT_CHILD_CWD: cwd, IMPORT_CHILD_ROWS: String(options.rows), IMPORT_CHILD_NAME: options.name },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let stagedRows = 0;
  const watchers: { rows: number; resolve(): void }[] = [];
  let result: ImportChildResult | undefined;
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (line.startsWith('staged ')) {
      stagedRows = Number(line.slice(7));
      for (const watcher of watchers.filter((w) => w.rows <= stagedRows)) watcher.resolve();
    } else if (line.startsWith('result ')) {
      result = JSON.parse(line.slice(7)) as ImportChildResult;
    }
  });
  const done = new Promise<ImportChildResult>((resolve, reject) => {
    child.on('close', (code, signal) => {
      if (code === 0 && result) resolve(result);
      else reject(new Error(`import child ended (${signal ?? String(code)}): ${stderr}`));
    });
  });
  return {
    done,
    staged: (rows) => (stagedRows >= rows ? Promise.resolve() : new Promise((resolve) => watchers.push({ rows, resolve }))),
    kill: () => child.kill('SIGKILL'),
  };
}

async function runChild(): Promise<void> {
  const gc = globalThis.gc;
  if (!gc) throw new Error('run with --expose-gc');
  const rows = Number(process.env.IMPORT_CHILD_ROWS);
  const runtime = await openRuntime(loadConfig(process.env, process.env.IMPORT_CHILD_CWD ?? process.cwd()), { createKeysIfNew: false, migrate: false });
  const heapAfterGc: ImportChildResult['heapAfterGc'] = [];
  const sample = (done: number) => {
    gc();
    heapAfterGc.push({ rows: done, bytes: process.memoryUsage().heapUsed });
  };
  sample(0);
  let nextSample = HEAP_SAMPLE_ROWS;
  const started = performance.now();
  const report = await importCallList(runtime, {
    actor: null,
    name: process.env.IMPORT_CHILD_NAME ?? 'import',
    source: callListCsv(rows),
    commit: true,
    onProgress: (done) => {
      process.stdout.write(`staged ${done}\n`);
      if (done >= nextSample) {
        sample(done);
        nextSample += HEAP_SAMPLE_ROWS;
      }
    },
  });
  const seconds = (performance.now() - started) / 1000;
  gc();
  const heapAfterCommit = process.memoryUsage().heapUsed;
  await runtime.close();
  process.stdout.write(`result ${JSON.stringify({ report, heapAfterGc, heapAfterCommit, seconds } satisfies ImportChildResult)}\n`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await runChild();
