import { rmSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { readCsvRecords } from '../src/domain/import/csv-records';
import { readCsvHeader } from '../src/domain/import/import-source';
import { MAX_RECORD_BYTES } from '../src/domain/import/statement-row';
import { loadConfig } from '../src/config/config';
import { STATEMENT_COLUMNS } from '../src/db/repositories/registry/statement.repository';
import { newId } from '../src/domain/auth/secrets';
import { DEFAULT_BATCH_SIZE } from '../src/domain/import/import-statements';
import { openRuntime } from '../src/runtime';
import { writeStatements } from './generate-statements';
import { type BenchResult, HOTLINE_BIN, argValue, benchDir, benchEnv, perSecond, runProcess } from './support';

/**
 * (a) Bulk import rows/s against a raw prepared-insert loop, in the same run, on the same file and
 * the same SQLite schema (WAL, synchronous=FULL, the same batch size, one transaction per batch).
 * The raw loop streams the same CSV through the import's own reader and inserts each record with one
 * prepared statement, with the same kind of random record ids: no validation, no encryption, no
 * counters, no audit, no checkpoint. The import
 * is the real `hotline import statements` in its own process, with real names encrypted. Target:
 * import >= 0.5x the raw loop, in flat memory.
 */

const TARGET_RATIO = 0.5;

const INSERT_COLUMNS = STATEMENT_COLUMNS;

/** Creates an empty, migrated Hotline SQLite database in `dir` and returns its file. */
async function migratedDatabase(dir: string): Promise<string> {
  const config = loadConfig(benchEnv(dir), dir);
  const runtime = await openRuntime(config, { createKeysIfNew: true, migrate: true });
  await runtime.close();
  if (config.database.kind !== 'sqlite') throw new Error('the import benchmark runs on SQLite');
  return config.database.file;
}

/** The raw loop: stream the CSV, one prepared INSERT per record, one transaction per batch. */
async function rawLoop(file: string, databaseFile: string, batchSize: number): Promise<{ rows: number; seconds: number; insertSeconds: number; cpuSeconds: number }> {
  const db = new BetterSqlite3(databaseFile);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  const insert = db.prepare(`insert into statements (${INSERT_COLUMNS.join(', ')}) values (${INSERT_COLUMNS.map(() => '?').join(', ')})`);
  const insertBatch = db.transaction((batch: unknown[][]) => {
    for (const values of batch) insert.run(values);
  });
  const started = performance.now();
  const cpuAtStart = process.cpuUsage();
  let insertMs = 0;
  let rows = 0;
  let batch: unknown[][] = [];
  const now = Date.now();
  const flush = () => {
    const t0 = performance.now();
    insertBatch(batch);
    insertMs += performance.now() - t0;
    rows += batch.length;
    batch = [];
  };
  // The import's own CSV reader, so that both sides read the file alike.
  const { columns, start } = readCsvHeader(file);
  const at = (name: string) => columns.indexOf(name as (typeof columns)[number]);
  const [id, registeredAt, nameKind, name, region, occupation, channel, text, cohorts, provenance, relation] = [
    'id', 'registered_at', 'name_kind', 'name', 'region', 'occupation', 'channel', 'text', 'cohorts', 'provenance', 'relation',
  ].map((column) => at(column));
  for await (const group of readCsvRecords(file, start, MAX_RECORD_BYTES)) {
    for (const { values = [] } of group) {
      const field = (index: number | undefined) => values[index ?? -1] ?? '';
      const when = Date.parse(field(registeredAt));
      batch.push([
        newId(), `import:${field(id)}`, 'published', field(nameKind), field(name), null, null, field(region), field(region),
        field(occupation) || null, field(channel), field(text), field(cohorts), 1, 1, 0, 0, field(provenance), null, null, null, field(relation) || null,
        null, null, null, rows + batch.length + 1, when, new Date(when + 8 * 3_600_000).toISOString().slice(0, 10), null, null, when, now, null, null,
      ]);
      if (batch.length >= batchSize) flush();
    }
  }
  if (batch.length > 0) flush();
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuAtStart);
  db.close();
  return { rows, seconds, insertSeconds: insertMs / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

/** Runs benchmark (a) on `rows` generated statements. */
export async function runImportBench(options: { rows?: number; batchSize?: number; keep?: boolean } = {}): Promise<BenchResult> {
  const rows = options.rows ?? 200_000;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const dir = benchDir('import');
  try {
    const file = path.join(dir, 'statements.csv');
    const bytes = await writeStatements(file, rows);

    // The raw loop runs before and after the import and its two rates are averaged, so that load
    // from other processes during one of them weighs on both sides alike.
    const rawBefore = await rawLoop(file, await migratedDatabase(path.join(dir, 'raw1')), batchSize);

    const importDir = path.join(dir, 'import');
    const env = benchEnv(importDir);
    const migrate = await runProcess(process.execPath, [HOTLINE_BIN, 'migrate'], { env });
    if (migrate.code !== 0) throw new Error(`hotline migrate failed: ${migrate.stderr}`);
    const run = await runProcess(process.execPath, [HOTLINE_BIN, 'import', 'statements', file, '--batch-size', String(batchSize)], { env, echoStderr: process.stderr.isTTY });
    if (run.code !== 0) throw new Error(`hotline import failed (${run.code}): ${run.stderr}\n${run.stdout}`);
    const rawAfter = await rawLoop(file, await migratedDatabase(path.join(dir, 'raw2')), batchSize);
    const rawRate = (rawBefore.rows / rawBefore.seconds + rawAfter.rows / rawAfter.seconds) / 2;
    const rawCpuPerRow = (rawBefore.cpuSeconds + rawAfter.cpuSeconds) / (rawBefore.rows + rawAfter.rows);
    const timing = /(\d+) rows read in ([\d.]+) s this run, \d+ rows\/s, ([\d.]+) s of CPU/.exec(run.stdout);
    const memory = /memory \(RSS\): start (\d+) MB, peak (\d+) MB, end (\d+) MB/.exec(run.stdout);
    const imported = /(\d+) imported, \d+ skipped \(already stored\), (\d+) bad/.exec(run.stdout);
    if (!timing || !memory || !imported) throw new Error(`unexpected import output:\n${run.stdout}`);
    const importRate = Number(timing[1]) / Number(timing[2]);
    const importCpuPerRow = Number(timing[3]) / Number(timing[1]);
    const ratio = importRate / rawRate;
    const [startMB, peakMB, endMB] = [Number(memory[1]), Number(memory[2]), Number(memory[3])];
    const externalPeak = Math.max(...run.rssMB);
    const isOk = ratio >= TARGET_RATIO && Number(imported[1]) + Number(imported[2]) === rows;
    return {
      name: 'import',
      isOk,
      lines: [
        `(a) bulk import: ${rows.toLocaleString('en')} generated statements (${(bytes / 1e6).toFixed(1)} MB CSV), batches of ${batchSize}, SQLite WAL synchronous=FULL`,
        `  hotline import statements: ${perSecond(importRate)} (${imported[1]} imported, ${imported[2]} refused, in ${timing[2]} s; real names encrypted, counters + audit per batch)`,
        `  raw prepared-insert loop:  ${perSecond(rawRate)} (mean of a run before and after the import: ${rawBefore.seconds.toFixed(1)} s and ${rawAfter.seconds.toFixed(1)} s, of which ${rawBefore.insertSeconds.toFixed(1)} s and ${rawAfter.insertSeconds.toFixed(1)} s inserting)`,
        `  CPU per row: import ${(importCpuPerRow * 1e6).toFixed(0)} µs, raw loop ${(rawCpuPerRow * 1e6).toFixed(0)} µs (${(rawCpuPerRow / importCpuPerRow).toFixed(2)}x; insensitive to other load on the machine)`,
        `  memory of the import process (RSS): start ${startMB} MB, peak ${peakMB} MB, end ${endMB} MB (sampled from outside: peak ${externalPeak.toFixed(0)} MB)`,
        `  ratio import/raw: ${ratio.toFixed(2)}x (target >= ${TARGET_RATIO}x): ${isOk ? 'ok' : 'MISSED'}`,
      ],
    };
  } finally {
    if (!options.keep) rmSync(dir, { recursive: true, force: true });
  }
}

const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(entry).href) {
  const rows = argValue('rows');
  const result = await runImportBench({ ...(rows ? { rows: Number(rows) } : {}) });
  for (const line of result.lines) console.log(line);
}
