import { cpus, totalmem } from 'node:os';
import { runRoutingBench } from './routing.bench';
import { runImportBench } from './import.bench';
import { runImportPgBench } from './import-pg.bench';
import { runHttpBench, wrkPath } from './http.bench';
import { runPublicReadsBench } from './public-reads.bench';
import { runScaleBench } from './scale.bench';
import { runTlogBench } from './tlog.bench';
import { runDashboardBench } from './dashboard.bench';
import { type BenchResult, argValue } from './support';

/**
 * `npm run bench [-- --rows 200000 --only import,http,routing --duration 10]`: runs each benchmark
 * in turn and prints every figure as a ratio against a baseline measured in the same run, then a
 * summary. Loopback only, bounded durations; not part of `npm test`.
 */

const only = (argValue('only') ?? 'routing,import,import-pg,http,public,scale,tlog,dashboard').split(',');
const rows = Number(argValue('rows') ?? '200000');
const duration = Number(argValue('duration') ?? '10');

console.log(`Hotline benchmarks, ${new Date().toISOString()}, ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, node ${process.version}`);
const results: BenchResult[] = [];

async function step(name: string, run: () => Promise<BenchResult | BenchResult[]>): Promise<void> {
  if (!only.includes(name)) return;
  console.log(`\n== ${name}`);
  try {
    const outcome = await run();
    for (const result of Array.isArray(outcome) ? outcome : [outcome]) {
      for (const line of result.lines) console.log(line);
      results.push(result);
    }
  } catch (error) {
    console.log(`  FAILED: ${error instanceof Error ? error.message : String(error)}`);
    results.push({ name, lines: [], isOk: false });
  }
}

await step('routing', async () => {
  const result = await runRoutingBench();
  const ok = !result.lines.some((line) => line.includes('MISSED'));
  return { ...result, isOk: ok };
});
await step('import', () => runImportBench({ rows }));
await step('import-pg', () => runImportPgBench({ rows }));
await step('http', async () => {
  if (!wrkPath()) {
    const missing = 'wrk is not installed, so the HTTP benchmarks (b) and (c) cannot run: apt-get install -y wrk';
    return [{ name: 'http', lines: [`  SKIPPED: ${missing}`] }];
  }
  return runHttpBench({ seconds: duration });
});

await step('public', async () => {
  if (!wrkPath()) return [{ name: 'public', lines: ['  SKIPPED: wrk is not installed: apt-get install -y wrk nginx'] }];
  return runPublicReadsBench({ seconds: duration });
});

await step('scale', () => runScaleBench());
await step('tlog', () => runTlogBench({ rows: Number(argValue('log-rows') ?? '1000000') }));
await step('dashboard', () => runDashboardBench({ large: Number(argValue('dashboard-rows') ?? '1000000') }));

console.log('\n== summary');
for (const result of results) {
  console.log(`  ${result.name.padEnd(10)} ${result.isOk === undefined ? 'not run' : result.isOk ? 'target met' : 'TARGET MISSED'}`);
}
