import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../src/config/config';
import { addDoNotCall } from '../src/domain/operations/do-not-call';
import { importCallList } from '../src/domain/operations/import-call-list';
import { openRuntime } from '../src/runtime';
import { callListCsv, doNotCallNumber, plannedCounts, plannedProblemCounts } from '../test/support/call-list-csv';

/**
 * Call-list import benchmark: a generated CSV of 100,000 rows (invalid numbers, rows with too few
 * or too many fields, misplaced quotes, repeated numbers, numbers on the do-not-call list) is
 * imported into a fresh SQLite database (or PostgreSQL with HOTLINE_DATABASE_URL). Prints the time
 * (staging and commit), whether the report is exactly right, and the RSS and the heap after a forced
 * gc at 10/50/90 %, to show memory stays flat (the file is streamed and rows are staged in batches).
 * Run it as `npx tsx bench/call-list-import.bench.ts`: it restarts itself with --expose-gc.
 */
const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 100_000);

/** Runs the import benchmark and returns the lines to print. */
export async function runCallListImportBench(): Promise<{ name: string; lines: string[] }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'hotline-import-bench-'));
  const env: Record<string, string> = { HOTLINE_DATA_DIR: path.join(dir, 'data'), HOTLINE_KEY_FILE: path.join(dir, 'keys'), HOTLINE_LOG_LEVEL: 'silent' };
  if (process.env.HOTLINE_DATABASE_URL) env.HOTLINE_DATABASE_URL = process.env.HOTLINE_DATABASE_URL;
  const runtime = await openRuntime(loadConfig(env, dir), { createKeysIfNew: true, migrate: true });
  try {
    for (let k = 0; k < 3; k += 1) await addDoNotCall(runtime, { actor: null, number: doNotCallNumber(k) });
    global.gc?.();
    const samples: { rows: number; rssMb: number; heapMb: number }[] = [];
    const startRss = process.memoryUsage().rss / 1_048_576;
    const started = performance.now();
    let stagedAt = started;
    const report = await importCallList(runtime, {
      actor: null,
      name: 'bench',
      source: callListCsv(ROWS),
      commit: true,
      // Sampled after every staged batch: with SQLite's synchronous driver a timer would rarely run.
      onProgress: (n) => {
        // With --expose-gc, collect first every 20 batches so the figure is what is retained.
        stagedAt = performance.now();
        if (n % 10_000 === 0) global.gc?.();
        samples.push({ rows: n, rssMb: process.memoryUsage().rss / 1_048_576, heapMb: process.memoryUsage().heapUsed / 1_048_576 });
      },
    });
    const seconds = (performance.now() - started) / 1000;
    const planned = plannedCounts(ROWS);
    const sampleAt = (fraction: number) => samples.find((sample) => sample.rows >= ROWS * fraction && sample.rows % 10_000 === 0);
    const at = (fraction: number) => sampleAt(fraction)?.rssMb ?? Number.NaN;
    const heapAt = (fraction: number) => sampleAt(fraction)?.heapMb ?? Number.NaN;
    const peak = Math.max(...samples.map((sample) => sample.rssMb));
    const isCorrect = report.accepted === planned.ok && JSON.stringify(Object.entries(report.byProblem).sort()) === JSON.stringify(Object.entries(plannedProblemCounts(ROWS)).sort());
    return {
      name: 'call-list-import',
      lines: [
        `call-list import: ${ROWS} rows on ${runtime.connection.dialect} in ${seconds.toFixed(1)} s (${Math.round(ROWS / seconds)} rows/s; ` +
          `staging ${((stagedAt - started) / 1000).toFixed(1)} s, commit ${(seconds - (stagedAt - started) / 1000).toFixed(1)} s)`,
        `  report: ${report.accepted} accepted, refused ${JSON.stringify(report.byProblem)}; expected ${planned.ok} accepted: ${isCorrect ? 'ok' : 'WRONG'}`,
        `  RSS MB: start ${startRss.toFixed(0)}, at 10% ${at(0.1).toFixed(0)}, 50% ${at(0.5).toFixed(0)}, 90% ${at(0.9).toFixed(0)}, peak ${peak.toFixed(0)} ` +
          `(growth 10%->90%: ${(at(0.9) - at(0.1)).toFixed(0)} MB); heap used ${heapAt(0.1).toFixed(0)} -> ${heapAt(0.5).toFixed(0)} -> ${heapAt(0.9).toFixed(0)} MB` +
          (global.gc ? ' (after gc)' : ' (run with --expose-gc for retained figures)'),
      ],
    };
  } finally {
    await runtime.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(entry).href) {
  if (global.gc === undefined) {
    // `node --expose-gc node_modules/.bin/tsx ...` does not reach the process tsx starts: run this
    // file again in a node that has gc, with tsx as a loader, so the heap figures are retained ones.
    const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', entry], { stdio: 'inherit' });
    process.exit(child.status ?? 1);
  }
  const { lines } = await runCallListImportBench();
  for (const line of lines) console.log(line);
}
