import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generate } from 'otplib';
import type { Page } from 'playwright-core';
import { freshInstallEnv } from './test-runtime';
import { freePort } from './free-port';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'bin/hotline.js');
const DIST_INDEX = path.join(ROOT, 'web/console/dist/index.html');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** Builds the console once when it is missing or older than its sources (the tests need the real bundle). */
export function ensureConsoleBuilt(): void {
  const sources = Math.max(
    newestMtime(path.join(ROOT, 'web/console/src')),
    newestMtime(path.join(ROOT, 'locales')),
    newestMtime(path.join(ROOT, 'src/shared')),
  );
  if (existsSync(DIST_INDEX) && statSync(DIST_INDEX).mtimeMs >= sources) return;
  execFileSync(
    process.execPath,
    [path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'web/console/vite.config.ts', '--logLevel', 'error'],
    // Vitest sets NODE_ENV=test, which would make Vite bundle React's development build: the tests
    // must run the bundle `npm start` serves.
    { cwd: ROOT, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } },
  );
}


/** A real `hotline serve` child process on its own data folder, restartable on the same data. */
export interface ServerProcess {
  url: string;
  env: Record<string, string>;
  firstAdminLink: string | undefined;
  /** `kill -9`: no shutdown hooks run. */
  kill(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

/** Starts Hotline as a child process (the way `npm start` runs it) on the test database, with `extraEnv` added to its settings. */
export async function startServerProcess(extraEnv: Record<string, string> = {}): Promise<ServerProcess> {
  const dir = mkdtempSync(path.join(tmpdir(), 'hotline-e2e-'));
  const { env: base, pg } = await freshInstallEnv(dir);
  const port = await freePort();
  const env = { ...base, PORT: String(port), HOTLINE_HOST: '127.0.0.1', HOTLINE_LOG_LEVEL: 'warn', ...extraEnv };
  let child: ChildProcess | undefined;
  const handle: ServerProcess = {
    url: `http://localhost:${port}`,
    env,
    firstAdminLink: undefined,
    start: () =>
      new Promise<void>((resolve, reject) => {
        const proc = spawn(process.execPath, [BIN, 'serve'], {
          cwd: dir,
          env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        child = proc;
        let out = '';
        let err = '';
        const timer = setTimeout(() => reject(new Error(`server did not start: ${out}${err}`)), 30_000);
        proc.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
        proc.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const link = /(http:\/\/\S+\/console\/#\/invite\/\S+)/.exec(out);
          if (link) handle.firstAdminLink = link[1];
          if (out.includes('Hotline is serving at') && (link || !out.includes('No staff account'))) {
            clearTimeout(timer);
            // The link is printed just after the serving line; give it a moment to arrive.
            setTimeout(resolve, 100);
          }
        });
        proc.on('exit', (code) => {
          clearTimeout(timer);
          if (code !== null && code !== 0) reject(new Error(`server exited ${code}: ${err}`));
        });
      }),
    kill: async () => {
      const proc = child;
      if (!proc || proc.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        proc.once('exit', () => resolve());
        proc.kill('SIGKILL');
      });
    },
    close: async () => {
      await handle.kill();
      await pg?.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await handle.start();
  return handle;
}

/** Runs the real CLI against the server's data (e.g. `user invite`), returning what it printed. */
export function cliOutput(server: ServerProcess, args: string[]): string {
  return execFileSync(process.execPath, [BIN, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...server.env },
    encoding: 'utf8',
  });
}

/** A new invitation link for `role`, made with `hotline user invite`. */
export function inviteLink(server: ServerProcess, role: string): string {
  const link = /(http:\/\/\S+\/console\/#\/invite\/\S+)/.exec(cliOutput(server, ['user', 'invite', '--role', role]))?.[1];
  if (!link) throw new Error('no invitation link printed');
  return link.replace(/^http:\/\/localhost:\d+/, server.url);
}

/** Counts every key the test sends, so a story's keystroke budget can be checked. */
export class KeyCounter {
  count = 0;
  constructor(private readonly page: Page) {}

  /** One key or chord (Alt+G counts as one). */
  async press(key: string): Promise<void> {
    this.count += 1;
    await this.page.keyboard.press(key);
  }

  /** Types text: one keystroke per character. */
  async type(text: string): Promise<void> {
    this.count += Array.from(text).length;
    await this.page.keyboard.type(text);
  }
}

/**
 * Accepts an invitation, signs in, enrols TOTP with the secret shown on screen and confirms the
 * recovery codes, all by keyboard. Returns the TOTP secret.
 */
export async function signUpInBrowser(page: Page, link: string, username: string, displayName: string): Promise<string> {
  const password = 'correct horse battery staple';
  await page.goto(link);
  await page.getByLabel('Username').waitFor();
  await page.keyboard.type(username);
  await page.keyboard.press('Tab');
  await page.keyboard.type(displayName);
  await page.keyboard.press('Tab');
  await page.keyboard.type(password);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.keyboard.type(username);
  await page.keyboard.press('Tab');
  await page.keyboard.type(password);
  await page.keyboard.press('Enter');
  const secret = (await page.getByTestId('totp-secret').textContent()) ?? '';
  await page.keyboard.type(await generate({ secret }));
  await page.keyboard.press('Enter');
  await page.getByTestId('recovery-codes').waitFor();
  await page.keyboard.press('Enter');
  // The first screen of the role: the workspace, or an auditor's audit log.
  await page.getByRole('heading', { name: /^(Start a call|Audit log)$/ }).waitFor();
  return secret;
}

/** Statements stored so far, read straight from the server's SQLite file (e2e runs on SQLite). */
export async function storedStatementCount(server: ServerProcess): Promise<number> {
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(path.join(server.env.HOTLINE_DATA_DIR ?? '', 'hotline.db'), { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('select count(*) as n from statements').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/**
 * The public counters once everything committed so far is in a signed checkpoint of the
 * transparency log (the counters are its sums): the checkpoint has stayed the same for over two of
 * the sequencer's rounds and the counters name it. A "before" figure read any earlier could miss a
 * statement saved just before, which would then show up in the "after".
 */
export async function settledCounters<T extends { checkpointSize: number }>(server: ServerProcess, url = '/api/public/counters'): Promise<T> {
  let last = -1;
  for (let attempt = 0; attempt < 100; attempt++) {
    const size = Number((await (await fetch(`${server.url}/log/checkpoint`)).text()).split('\n')[1]);
    const counters = (await (await fetch(`${server.url}${url}`)).json()) as T;
    if (size === last && counters.checkpointSize === size) return counters;
    last = size;
    await new Promise((resolve) => setTimeout(resolve, 600));
  }
  throw new Error('the transparency log did not settle');
}
