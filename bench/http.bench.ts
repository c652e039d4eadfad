import { execFileSync, spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BenchResult, ROOT, argValue, benchDir, benchEnv, perSecond, runProcess } from './support';

/**
 * (b) Durable statements/s through the HTTP API, against the real server in its own process (bench/http-server.ts: SQLite, WAL,
 * synchronous=FULL), loaded by wrk from another process over loopback keep-alive connections.
 *
 * (b) POST /api/statements as a signed-in volunteer, one statement per request, counting only
 *     201 answers (each is acknowledged after its group-commit transaction is durable). Baseline:
 *     the same requests to POST /bench/validate on the same server, which parses and validates
 *     the same body and answers 201 without storing: the ceiling set by HTTP, JSON and validation,
 *     so the ratio is the share of it left once sessions, storage, counters, audit and fsync are
 *     added. Target: >= 2,000 statements/s.
 * The public reads (counters, home page) are measured against nginx in public-reads.bench.ts.
 */

const STATEMENTS_TARGET = 2_000;

/** Path of wrk, or undefined when it is not installed. */
export function wrkPath(): string | undefined {
  try {
    return execFileSync('sh', ['-c', 'command -v wrk'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

interface Server {
  port: number;
  cookie: string;
  csrf: string;
  counterBytes: number;
  stop(): Promise<void>;
}

function startServer(dir: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench', 'http-server.ts')], {
      cwd: ROOT,
      env: benchEnv(dir, { HOTLINE_LOG_LEVEL: 'warn' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let errors = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the bench server did not start: ${errors}`));
    }, 60_000);
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /READY (\{.*\})\n/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      const ready = JSON.parse(match[1] ?? '{}') as Omit<Server, 'stop'>;
      resolve({
        ...ready,
        stop: () =>
          new Promise((done) => {
            child.once('exit', () => {
              done();
            });
            child.kill('SIGTERM');
          }),
      });
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the bench server exited (${code}): ${errors}`));
    });
  });
}

/** A wrk script that counts answers with `expectedStatus` and prints one RESULT line. */
export function wrkScript(file: string, options: { expectedStatus: number; method?: string; body?: string; headers?: Record<string, string> }): void {
  const headers = Object.entries(options.headers ?? {})
    .map(([name, value]) => `wrk.headers[${JSON.stringify(name)}] = ${JSON.stringify(value)}`)
    .join('\n');
  writeFileSync(
    file,
    `wrk.method = ${JSON.stringify(options.method ?? 'GET')}
${options.body === undefined ? '' : `wrk.body = ${JSON.stringify(options.body)}`}
${headers}
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) wanted = 0; other = 0 end
function response(status, headers, body)
  if status == ${options.expectedStatus} then wanted = wanted + 1 else other = other + 1 end
end
function done(summary, latency, requests)
  local w, o = 0, 0
  for _, t in ipairs(threads) do w = w + t:get("wanted"); o = o + t:get("other") end
  io.write(string.format("RESULT wanted=%d other=%d seconds=%f p50ms=%f p99ms=%f errors=%d\\n", w, o, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
`,
  );
}

interface WrkResult {
  wanted: number;
  other: number;
  seconds: number;
  p50ms: number;
  p99ms: number;
  errors: number;
  rate: number;
}

export async function wrk(url: string, script: string, options: { connections: number; seconds: number }): Promise<WrkResult> {
  const run = await runProcess(wrkPath() ?? 'wrk', ['-t1', `-c${options.connections}`, `-d${options.seconds}s`, '--timeout', '10s', '-s', script, url], {
    env: { PATH: process.env.PATH ?? '' },
  });
  const match = /RESULT wanted=(\d+) other=(\d+) seconds=([\d.]+) p50ms=([\d.]+) p99ms=([\d.]+) errors=(\d+)/.exec(run.stdout);
  if (!match) throw new Error(`unexpected wrk output: ${run.stdout} ${run.stderr}`);
  const [wanted, other, seconds, p50ms, p99ms, errors] = match.slice(1).map(Number) as [number, number, number, number, number, number];
  return { wanted, other, seconds, p50ms, p99ms, errors, rate: wanted / seconds };
}

async function getJson<T>(port: number, url: string): Promise<T> {
  const response = await fetch(`http://127.0.0.1:${port}${url}`);
  return (await response.json()) as T;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

const STATEMENT = {
  nameKind: 'pseudonym',
  name: '金福',
  cohorts: [{ count: 1, organizations: ['party', 'league', 'pioneers'] }],
  region: '110105',
  channel: 'outbound',
  text: '声明退出中共及其一切组织',
  provenance: { kind: 'volunteer', consent: 'personal' },
};

/** Runs (b) for `seconds` per measurement. */
export async function runHttpBench(options: { seconds: number; connections?: number }): Promise<BenchResult[]> {
  const dir = benchDir('http');
  const server = await startServer(dir);
  try {
    const base = `http://127.0.0.1:${server.port}`;
    const connections = options.connections ?? 64;
    const postScript = path.join(dir, 'post.lua');
    wrkScript(postScript, {
      expectedStatus: 201,
      method: 'POST',
      body: JSON.stringify({ statements: [STATEMENT] }),
      headers: { 'Content-Type': 'application/json', Cookie: server.cookie, 'x-csrf-token': server.csrf },
    });
    const getScript = path.join(dir, 'get.lua');
    wrkScript(getScript, { expectedStatus: 200 });

    // (b): warm up both, then the baseline and the API.
    await wrk(`${base}/bench/validate`, postScript, { connections, seconds: 2 });
    await wrk(`${base}/api/statements`, postScript, { connections, seconds: 2 });
    const storedBefore = (await getJson<{ count: number }>(server.port, '/bench/statements')).count;
    const validate = await wrk(`${base}/bench/validate`, postScript, { connections, seconds: options.seconds });
    const api = await wrk(`${base}/api/statements`, postScript, { connections, seconds: options.seconds });
    const storedAfter = (await getJson<{ count: number }>(server.port, '/bench/statements')).count;
    const isDurable = storedAfter - storedBefore >= api.wanted;
    const isStatementsOk = api.rate >= STATEMENTS_TARGET && isDurable && api.wanted > 0;
    const statements: BenchResult = {
      name: 'api-write',
      isOk: isStatementsOk,
      lines: [
        `(b) durable statements/s: POST /api/statements (one statement per request, volunteer session), ${connections} keep-alive connections, wrk -t1, ${options.seconds} s, SQLite WAL synchronous=FULL`,
        `  API: ${perSecond(api.rate)} acknowledged with 201 (${api.wanted} in ${api.seconds.toFixed(1)} s; ${api.other} other answers, ${api.errors} socket errors; p50 ${api.p50ms.toFixed(1)} ms, p99 ${api.p99ms.toFixed(1)} ms)`,
        `  baseline, same body to POST /bench/validate (parse + validate, no storage): ${perSecond(validate.rate)} (p50 ${validate.p50ms.toFixed(1)} ms)`,
        `  stored during the API run: ${storedAfter - storedBefore} statements for ${api.wanted} acknowledgements (${isDurable ? 'every acknowledged statement is stored' : 'MISSING STATEMENTS'})`,
        `  ratio API/baseline: ${(api.rate / validate.rate).toFixed(2)}x; target >= ${STATEMENTS_TARGET.toLocaleString('en')}/s: ${isStatementsOk ? 'ok' : 'MISSED'}`,
      ],
    };

    return [statements];
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(entry).href) {
  if (!wrkPath()) {
    console.log('wrk is not installed; install it with: apt-get install -y wrk');
    process.exit(1);
  }
  for (const result of await runHttpBench({ seconds: Number(argValue('duration') ?? '10') })) for (const line of result.lines) console.log(line);
}
