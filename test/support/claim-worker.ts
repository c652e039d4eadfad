import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../../src/config/config';
import type { Actor } from '../../src/domain/auth/policy';
import { type ClaimResult, claimNextAcrossCampaigns, claimNextNumbers } from '../../src/domain/operations/campaigns';
import { openRuntime } from '../../src/runtime';
import { fakeClock } from '../../src/shared/clock';

/**
 * A second (third ...) Hotline process claiming numbers on the same database, for concurrency tests.
 * SQLite allows one writer per file at a time, and better-sqlite3 waits for the lock synchronously:
 * two connections in one process would block each other's event loop, so real concurrency on SQLite
 * needs separate processes, as two server processes on one machine would be. The parent sends one
 * JSON line per round; the worker fires every claim of the round at once at the wall-clock instant
 * `at` (so two workers start together) and answers with the tasks each claim got.
 */

/** One claim of a round. */
export interface WorkerClaim {
  volunteerId: string;
  /** A campaign id, 'callbacks', or 'next' (across campaigns). */
  target: string;
  size: number;
}

/** What one claim got: task ids and their numbers' blind index (hex), or the reason for none. */
export interface WorkerClaimResult {
  volunteerId: string;
  tasks: { id: string; bidx: string }[];
  reason?: string;
}

interface RoundCommand {
  at: number;
  now: number;
  claims: WorkerClaim[];
}

/** A running claim worker. */
export interface ClaimWorker {
  /** Fires `claims` at once at wall-clock `at`, with the worker's clock set to `now`. */
  round(at: number, now: number, claims: WorkerClaim[]): Promise<WorkerClaimResult[]>;
  close(): Promise<void>;
}

/** Starts a worker process on the database and key file of `env` (a TestHotline's env). */
export async function startClaimWorker(env: Record<string, string>, cwd: string): Promise<ClaimWorker> {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, ['--import', 'tsx', import.meta.filename], {
    cwd: path.resolve(import.meta.dirname, '../..'),
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env, CLAIM_WORKER_CWD: cwd },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines = createInterface({ input: child.stdout });
  const waiting: ((line: string) => void)[] = [];
  lines.on('line', (line) => waiting.shift()?.(line));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const next = () =>
    new Promise<string>((resolve, reject) => {
      waiting.push(resolve);
      void exited.then(() => reject(new Error(`claim worker exited: ${stderr}`)));
    });
  const ready = await next();
  if (ready !== 'ready') throw new Error(`claim worker did not start: ${ready} ${stderr}`);
  return {
    async round(at, now, claims) {
      const answer = next();
      child.stdin.write(`${JSON.stringify({ at, now, claims } satisfies RoundCommand)}\n`);
      const parsed = JSON.parse(await answer) as { results?: WorkerClaimResult[]; error?: string };
      if (!parsed.results) throw new Error(`claim worker failed: ${parsed.error ?? ''}`);
      return parsed.results;
    },
    async close() {
      child.stdin.end();
      await exited;
    },
  };
}

async function runWorker(): Promise<void> {
  const clock = fakeClock();
  const config = loadConfig(process.env, process.env.CLAIM_WORKER_CWD ?? process.cwd());
  const runtime = await openRuntime(config, { createKeysIfNew: false, migrate: false, clock, poolSize: 10 });
  const actor = (id: string): Actor => ({ id, role: 'volunteer', username: id });
  const claimOne = async (claim: WorkerClaim): Promise<WorkerClaimResult> => {
    let result: ClaimResult;
    if (claim.target === 'next') result = await claimNextAcrossCampaigns(runtime, { actor: actor(claim.volunteerId), size: claim.size });
    else result = await claimNextNumbers(runtime, { actor: actor(claim.volunteerId), campaignId: claim.target === 'callbacks' ? null : claim.target, size: claim.size });
    return {
      volunteerId: claim.volunteerId,
      tasks: result.tasks.map((task) => ({ id: task.id, bidx: Buffer.from(task.phone_bidx).toString('hex') })),
      ...(result.reason ? { reason: result.reason } : {}),
    };
  };
  process.stdout.write('ready\n');
  for await (const line of createInterface({ input: process.stdin })) {
    const command = JSON.parse(line) as RoundCommand;
    clock.set(command.now);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, command.at - Date.now())));
    try {
      const results = await Promise.all(command.claims.map(claimOne));
      process.stdout.write(`${JSON.stringify({ results })}\n`);
    } catch (error) {
      process.stdout.write(`${JSON.stringify({ error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) })}\n`);
    }
  }
  await runtime.close();
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await runWorker();
