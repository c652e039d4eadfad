import { createReadStream, createWriteStream, rmSync } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { createPostgresDatabase } from '../test/support/test-runtime';
import { DEFAULT_BATCH_SIZE } from '../src/domain/import/import-statements';
import { writeStatements } from './generate-statements';
import { type BenchResult, HOTLINE_BIN, argValue, benchDir, benchEnv, perSecond, runProcess } from './support';

/**
 * (a') Bulk import into PostgreSQL: `hotline import statements` (the real CLI, compiled, with every
 * check, encryption, the counters and the audit log) against COPY of the very rows it stored into a
 * table of the same schema with the same indexes, on the same server, in the same run. Target:
 * import >= 0.5x COPY.
 */
const TARGET_RATIO = 0.5;

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** One round: a fresh database, the import through the CLI, then COPY of what it stored into a table like it. */
async function runRound(dir: string, file: string, rows: number): Promise<{ importRate: number; importSeconds: number; imported: number; refused: number; copyRate: number; copySeconds: number; copyRows: number }> {
  // A database of its own on the tests' server (HOTLINE_TEST_PG_URL), dropped at the end.
  const database = await createPostgresDatabase();
  const url = new URL(database.url);
  try {
    const env = benchEnv(path.join(dir, database.name), { HOTLINE_DATABASE_URL: url.href });
    const migrate = await runProcess(process.execPath, [HOTLINE_BIN, 'migrate'], { env });
    if (migrate.code !== 0) throw new Error(`hotline migrate failed: ${migrate.stderr}`);
    // Both runs start from a checkpoint, so that neither pays for the other's (or an earlier run's) dirty pages.
    await withClient(url.href, (client) => client.query('CHECKPOINT'));
    const run = await runProcess(process.execPath, [HOTLINE_BIN, 'import', 'statements', file, '--restart'], { env, echoStderr: process.stderr.isTTY });
    if (run.code !== 0) throw new Error(`hotline import failed (${run.code}): ${run.stderr}\n${run.stdout}`);
    const timing = /(\d+) rows read in ([\d.]+) s this run, (\d+) rows\/s/.exec(run.stdout);
    const imported = /(\d+) imported, \d+ skipped \(already stored\), (\d+) bad/.exec(run.stdout);
    if (!timing || !imported) throw new Error(`unexpected import output:\n${run.stdout}`);

    // The baseline: the rows the import stored, copied out, then COPY'd into a table like it.
    const dump = path.join(dir, 'statements.copy');
    const copy = await withClient(url.href, async (client) => {
      await pipeline(client.query(copyTo('COPY statements TO STDOUT')), createWriteStream(dump));
      await client.query('CREATE TABLE statements_baseline (LIKE statements INCLUDING ALL)');
      await client.query('CHECKPOINT');
      const started = performance.now();
      await client.query('BEGIN');
      const stream = client.query(copyFrom('COPY statements_baseline FROM STDIN'));
      await pipeline(createReadStream(dump, { highWaterMark: 1024 * 1024 }), stream);
      await client.query('COMMIT');
      const seconds = (performance.now() - started) / 1000;
      return { rows: stream.rowCount, seconds };
    });
    if (Number(imported[1]) + Number(imported[2]) !== rows) throw new Error(`the import stored ${imported[1]} and refused ${imported[2]} of ${rows} rows`);
    return {
      importRate: Number(timing[3]),
      importSeconds: Number(timing[2]),
      imported: Number(imported[1]),
      refused: Number(imported[2]),
      copyRate: copy.rows / copy.seconds,
      copySeconds: copy.seconds,
      copyRows: copy.rows,
    };
  } finally {
    await database.drop().catch(() => undefined);
  }
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

export async function runImportPgBench(options: { rows?: number; rounds?: number } = {}): Promise<BenchResult> {
  const rows = options.rows ?? 200_000;
  const rounds = options.rounds ?? 3;
  const dir = benchDir('import-pg');
  try {
    const file = path.join(dir, 'statements.csv');
    const bytes = await writeStatements(file, rows);
    const results = [];
    for (let round = 0; round < rounds; round += 1) results.push(await runRound(dir, file, rows));
    const importRate = median(results.map((result) => result.importRate));
    const copyRate = median(results.map((result) => result.copyRate));
    const ratio = importRate / copyRate;
    const isOk = ratio >= TARGET_RATIO;
    const first = results[0] as (typeof results)[number];
    return {
      name: 'import-pg',
      isOk,
      lines: [
        `(a') bulk import into PostgreSQL: ${rows.toLocaleString('en')} generated statements (${(bytes / 1e6).toFixed(1)} MB CSV), batches of ${DEFAULT_BATCH_SIZE}, ${rounds} rounds (each a fresh database; medians)`,
        `  hotline import statements: ${perSecond(importRate)} (rounds: ${results.map((result) => Math.round(result.importRate)).join(', ')}; ${first.imported} imported, ${first.refused} refused; checks, real names encrypted, counters + audit per batch)`,
        `  COPY of the same ${first.copyRows.toLocaleString('en')} stored rows into a table of the same schema and indexes: ${perSecond(copyRate)} (rounds: ${results.map((result) => Math.round(result.copyRate)).join(', ')})`,
        `  ratio import/COPY: ${ratio.toFixed(2)}x (target >= ${TARGET_RATIO}x): ${isOk ? 'ok' : 'MISSED'}`,
      ],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(entry).href) {
  const rows = argValue('rows');
  const result = await runImportPgBench({ ...(rows ? { rows: Number(rows) } : {}) });
  for (const line of result.lines) console.log(line);
}
