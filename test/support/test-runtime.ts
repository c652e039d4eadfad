import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { loadConfig, type Config } from '../../src/config/config';
import { buildApp, type RouteModule } from '../../src/http/app';
import type { RoutingConfig } from '../../src/domain/routing/routing.types';
import { fakeScheduler } from './fake-scheduler';
import { createLogger } from '../../src/logging';
import { type Runtime, openRuntime } from '../../src/runtime';
import { fakeClock } from '../../src/shared/clock';

/** Which database the integration tests run on (set per Vitest project). */
export const testDatabase: 'sqlite' | 'postgres' = process.env.HOTLINE_TEST_DATABASE === 'postgres' ? 'postgres' : 'sqlite';

/** Where the tests find PostgreSQL; each test file gets a database of its own on it. */
export const testPostgresUrl = process.env.HOTLINE_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A fresh Hotline for one test file: its own folder, key file and database, a fake clock, an HTTP app. */
export interface TestHotline {
  dir: string;
  config: Config;
  env: Record<string, string>;
  runtime: Runtime;
  app: FastifyInstance;
  /** The queue's timers, when started with `queue` (otherwise nothing is scheduled on it). */
  scheduler: ReturnType<typeof fakeScheduler>;
  clock: ReturnType<typeof fakeClock>;
  /** The PostgreSQL database name, when on PostgreSQL. */
  pgDatabase?: string;
  close(): Promise<void>;
}

/** Creates an empty PostgreSQL database and returns its URL. */
export async function createPostgresDatabase(): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const name = `hotline_t_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: testPostgresUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(testPostgresUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: testPostgresUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

/** Environment for a fresh install in `dir`, on the test database. */
export async function freshInstallEnv(dir: string): Promise<{ env: Record<string, string>; pg?: Awaited<ReturnType<typeof createPostgresDatabase>> }> {
  const env: Record<string, string> = {
    HOTLINE_DATA_DIR: path.join(dir, 'data'),
    HOTLINE_KEY_FILE: path.join(dir, 'secrets', 'hotline.keys'),
    HOTLINE_LOG_LEVEL: 'silent',
  };
  if (testDatabase === 'sqlite') return { env };
  const database = await createPostgresDatabase();
  env.HOTLINE_DATABASE_URL = database.url;
  return { env, pg: database };
}

/** Starts a fresh Hotline (in-process, no socket) on the database of the current Vitest project. */
export async function startTestHotline(options: { routes?: RouteModule[]; env?: Record<string, string>; queue?: { config?: Partial<RoutingConfig> } } = {}): Promise<TestHotline> {
  const dir = mkdtempSync(path.join(tmpdir(), 'hotline-test-'));
  const { env: baseEnv, pg: database } = await freshInstallEnv(dir);
  const env = { ...baseEnv, ...options.env };
  const config = loadConfig(env, dir);
  const clock = fakeClock();
  const runtime = await openRuntime(config, { createKeysIfNew: true, migrate: true, clock });
  // With `queue`, the inbound queue's timers move with the fake clock (`scheduler.advance`).
  const scheduler = fakeScheduler(clock);
  const app = await buildApp({
    deps: runtime,
    config,
    logger: createLogger('silent', { pretty: false }),
    ...(options.routes ? { routes: options.routes } : {}),
    ...(options.queue ? { services: { queue: { scheduler, ...(options.queue.config ? { config: options.queue.config } : {}) } } } : {}),
  });
  await app.ready();
  return {
    dir,
    config,
    env,
    runtime,
    app,
    clock,
    scheduler,
    ...(database ? { pgDatabase: database.name } : {}),
    close: async () => {
      await app.close();
      await runtime.close();
      await database?.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
