import { type ChildProcess, spawn } from 'node:child_process';
import { hash } from 'node:crypto';
import { openSync, rmSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { loadConfig } from '../src/config/config';
import { registerStatement } from '../src/domain/statements/register-statement';
import { openRuntime } from '../src/runtime';
import { inclusionProof } from '../src/tlog/merkle';
import { withTiles } from '../src/tlog/tile-reader';
import { TiledHashes } from '../src/tlog/tiled-tree';
import { TILE_WIDTH } from '../src/tlog/tiles';
import { prng } from '../src/shared/prng';
import { writeStatements } from './generate-statements';
import { freePort } from '../test/support/free-port';
import { type BenchResult, HOTLINE_BIN, benchDir, perSecond, runProcess, stopChild } from './support';

/**
 * (h) The transparency log, Hotline as it ships (`hotline serve` and the `hotline` CLI, default
 * settings, SQLite WAL synchronous=FULL, logging on):
 *   1. building the log for 1,000,000 existing statements (`hotline log build`: their entries
 *      appended, then hashed into durable tiles and signed), against a bare SHA-256 loop over the
 *      same entries' bytes in the same run (Node's one-shot `crypto.hash`, the fastest there is);
 *      target >= 0.5x;
 *   2. the server's sequencer catching up with a backlog of those 1,000,000 entries: entries/s
 *      sustained, tiles durable; target >= 5,000/s;
 *   3. publication to signed checkpoint: statements published at a steady 50/s by another
 *      process, each timed from its commit to the first checkpoint that holds it; target p99 <= 2 s;
 *   4. an inclusion proof in a 100,000,000-entry log, counting the tiles read (first proof, then
 *      with the tiles the previous proofs read kept); target <= 5 tile reads.
 */

const BUILD_TARGET = 0.5;
const SEQUENCE_TARGET = 5_000;
const LATENCY_TARGET_MS = 2_000;
const READS_TARGET = 5;

/** The size of the signed checkpoint a server serves (0 before the first). */
async function checkpointSize(port: number): Promise<number> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/log/checkpoint`);
    if (!response.ok) return 0;
    return Number((await response.text()).split('\n')[1]);
  } catch {
    return 0;
  }
}

/** Forgets the log of a Hotline SQLite database, as if its statements were published before it existed. */
function forgetLog(databaseFile: string, options: { keepEntries: boolean }): void {
  const db = new BetterSqlite3(databaseFile);
  db.pragma('busy_timeout = 10000');
  if (!options.keepEntries) db.prepare('delete from log_entries').run();
  db.prepare('delete from log_tiles').run();
  db.prepare('delete from log_head').run();
  if (!options.keepEntries) db.prepare("insert or replace into meta (key, value) values ('log.backfill', 'pending')").run();
  db.close();
}

/** The bare loop: SHA-256 of every entry's bytes, one shot each; entries per second (best of three). */
function bareShaRate(databaseFile: string): { rate: number; count: number } {
  const db = new BetterSqlite3(databaseFile, { readonly: true });
  const entries = (db.prepare('select entry from log_entries order by idx').raw().all() as [Buffer][]).map(([entry]) => entry);
  db.close();
  let best = 0;
  for (let round = 0; round < 3; round++) {
    const started = performance.now();
    for (const entry of entries) hash('sha256', entry, 'buffer');
    best = Math.max(best, entries.length / ((performance.now() - started) / 1000));
  }
  return { rate: best, count: entries.length };
}

/** Starts `hotline serve` in `dir` as it ships; resolves once it answers. */
async function serve(dir: string): Promise<{ port: number; child: ChildProcess }> {
  const port = await freePort();
  const log = openSync(path.join(dir, 'hotline.log'), 'a');
  const child = spawn(process.execPath, [HOTLINE_BIN, 'serve'], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', PORT: String(port) },
    stdio: ['ignore', log, log],
  });
  for (let attempt = 0; attempt < 6_000; attempt++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return { port, child };
    } catch {
      // starting
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('hotline serve did not start');
}

/**
 * Tiles of a tree of `size` leaves, made up on demand (pseudo-random hashes of the right width):
 * which tiles a proof reads depends only on the index and the size, never on the hashes, so this
 * counts the reads of a 100,000,000-entry log without hashing one.
 */
function syntheticTiles(size: number): (level: number, index: number) => Promise<Buffer> {
  return async (level, index) => {
    const hashes = Math.floor(size / TILE_WIDTH ** level);
    const width = Math.min(TILE_WIDTH, hashes - index * TILE_WIDTH);
    if (width <= 0) return Buffer.alloc(0);
    const random = prng(level * 1_000_003 + index);
    const bytes = Buffer.alloc(width * 32);
    for (let at = 0; at < bytes.length; at += 4) bytes.writeUInt32LE(Math.floor(random() * 2 ** 32), at);
    return bytes;
  };
}

export async function runTlogBench(options: { rows?: number } = {}): Promise<BenchResult> {
  const rows = options.rows ?? 1_000_000;
  const dir = benchDir('tlog');
  const lines: string[] = [];
  let isOk = true;
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', HOTLINE_LOG_LEVEL: 'warn' };
  try {
    // The existing statements: imported (which logs them), then the log forgotten.
    const file = path.join(dir, 'statements.csv');
    await writeStatements(file, rows);
    const migrated = await runProcess(process.execPath, [HOTLINE_BIN, 'migrate'], { env, cwd: dir });
    if (migrated.code !== 0) throw new Error(`hotline migrate failed: ${migrated.stderr}`);
    const imported = await runProcess(process.execPath, [HOTLINE_BIN, 'import', 'statements', file], { env, cwd: dir });
    if (imported.code !== 0) throw new Error(`hotline import failed: ${imported.stderr}`);
    const config = loadConfig({ ...env }, dir);
    if (config.database.kind !== 'sqlite') throw new Error('the log benchmark runs on SQLite');
    const databaseFile = config.database.file;
    forgetLog(databaseFile, { keepEntries: false });

    // 1. Building the log from the statements.
    const build = await runProcess(process.execPath, [HOTLINE_BIN, 'log', 'build'], { env, cwd: dir });
    if (build.code !== 0) throw new Error(`hotline log build failed: ${build.stderr}`);
    const bare = bareShaRate(databaseFile);
    const buildRate = bare.count / build.seconds;
    const buildRatio = buildRate / bare.rate;
    const buildOk = buildRatio >= BUILD_TARGET;
    isOk &&= buildOk;
    lines.push(`(h) transparency log, SQLite WAL synchronous=FULL, ${bare.count.toLocaleString('en')} statements`);
    lines.push(
      `  building the log for existing statements (hotline log build, process start to signed checkpoint): ${build.seconds.toFixed(1)} s, ${perSecond(buildRate)}; ` +
        `bare SHA-256 loop over the same entries: ${perSecond(bare.rate)}; ratio ${buildRatio.toFixed(3)}x (target >= ${BUILD_TARGET}x) ${buildOk ? 'ok' : 'MISSED'}`,
    );

    // 2. The server's sequencer catching up with the backlog (entries kept, tiles and head forgotten).
    forgetLog(databaseFile, { keepEntries: true });
    // Timed from the process's start: it signs while it starts (and loads the counters, minus every unsigned entry).
    const started = performance.now();
    const server = await serve(dir);
    let size = 0;
    while (size < bare.count && performance.now() - started < 600_000) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      size = await checkpointSize(server.port);
    }
    const sequenceSeconds = (performance.now() - started) / 1000;
    const sequenceRate = size / sequenceSeconds;
    const sequenceOk = size === bare.count && sequenceRate >= SEQUENCE_TARGET;
    isOk &&= sequenceOk;
    lines.push(
      `  sequencing a backlog in hotline serve (from process start): ${size.toLocaleString('en')} entries hashed into durable tiles and signed in ${sequenceSeconds.toFixed(1)} s, ` +
        `${perSecond(sequenceRate)} sustained (${(sequenceRate / bare.rate).toFixed(3)}x the bare loop; target >= ${perSecond(SEQUENCE_TARGET)}) ${sequenceOk ? 'ok' : 'MISSED'}`,
    );

    // 3. Publication to signed checkpoint, statements committed by another process at 50/s.
    const runtime = await openRuntime(loadConfig({ ...env }, dir), { createKeysIfNew: false, migrate: false });
    const latencies: number[] = [];
    try {
      const committed = new Map<number, number>();
      // Watched until every statement is in a checkpoint, or 10 s after the last was published.
      const watch = { publishing: true, deadline: Number.POSITIVE_INFINITY };
      const watcher = (async () => {
        let seen = await checkpointSize(server.port);
        while (watch.publishing || (committed.size > 0 && performance.now() < watch.deadline)) {
          const now = await checkpointSize(server.port);
          const at = performance.now();
          if (now > seen) {
            for (const [index, time] of committed) {
              if (index < now) {
                latencies.push(at - time);
                committed.delete(index);
              }
            }
            seen = now;
          }
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      })();
      for (let n = 0; n < 1_000; n++) {
        const next = performance.now() + 20;
        // Every entry is a statement's, in number order: entry index = public number - 1.
        const { sequence } = await registerStatement(runtime, {
          actor: null,
          input: {
            nameKind: 'pseudonym',
            name: '万顺',
            cohorts: [{ count: 19, organizations: ['party'] }],
            region: '430121',
            channel: 'outbound',
            text: '',
            provenance: { kind: 'volunteer', consent: 'personal' },
          } as never,
        });
        committed.set((sequence as number) - 1, performance.now());
        const wait = next - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      }
      watch.publishing = false;
      watch.deadline = performance.now() + 10_000;
      await watcher;
    } finally {
      await runtime.close();
      await stopChild(server.child);
    }
    latencies.sort((a, b) => a - b);
    const p = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN;
    const latencyOk = latencies.length === 1_000 && p(0.99) <= LATENCY_TARGET_MS;
    isOk &&= latencyOk;
    lines.push(
      `  publication to signed checkpoint (1,000 statements at 50/s from another process; checkpoint polled every 10 ms): p50 ${p(0.5).toFixed(0)} ms, p99 ${p(0.99).toFixed(0)} ms, max ${(latencies.at(-1) ?? Number.NaN).toFixed(0)} ms (target p99 <= ${LATENCY_TARGET_MS} ms) ${latencyOk ? 'ok' : 'MISSED'}`,
    );

    // 4. Tile reads of an inclusion proof at 100,000,000 entries (the code path receipts use).
    const huge = 100_000_000;
    const read = syntheticTiles(huge);
    const random = prng(11);
    const indexes = [
      0,
      1,
      huge / 2,
      83_886_079,
      83_886_080,
      huge - 257,
      huge - 1,
      ...Array.from({ length: 25 }, () => Math.floor(random() * huge)),
    ];
    let coldMax = 0;
    let warmMax = 0;
    // What the server keeps between proofs of one checkpoint: its tree's partial tiles (the right edge), one per level.
    const edge = new Map<string, Buffer>();
    let proofMs = 0;
    for (const [at, index] of indexes.entries()) {
      const t0 = performance.now();
      const cold = await withTiles(read, (store) => inclusionProof(new TiledHashes(store, huge), index, huge));
      proofMs += performance.now() - t0;
      coldMax = Math.max(coldMax, cold.fetched);
      const cache = new Map(edge);
      const warm = await withTiles(read, (store) => inclusionProof(new TiledHashes(store, huge), index, huge), cache);
      for (const [key, tile] of cache) if (tile.length < TILE_WIDTH * 32) edge.set(key, tile);
      if (at > 0) warmMax = Math.max(warmMax, warm.fetched);
    }
    const readsOk = warmMax <= READS_TARGET;
    isOk &&= readsOk;
    lines.push(
      `  inclusion proof at ${huge.toLocaleString('en')} entries, ${indexes.length} entries (first, last, level-3 tile edges, random): at most ${warmMax} tile reads each ` +
        `with the checkpoint's ${edge.size} right-edge (partial) tiles kept in memory as the server does, ${coldMax} for the first proof after a new checkpoint; ` +
        `${(proofMs / indexes.length).toFixed(2)} ms each with made-up tile contents (target <= ${READS_TARGET} reads) ${readsOk ? 'ok' : 'MISSED'}`,
    );
    return { name: 'tlog', lines, isOk };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
