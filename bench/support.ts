import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The repository root (benchmarks run the real `hotline` CLI and server from it). */
export const ROOT = path.resolve(import.meta.dirname, '..');

/** The `hotline` entry point. */
export const HOTLINE_BIN = path.join(ROOT, 'bin', 'hotline.js');

/** One benchmark's printed result. */
export interface BenchResult {
  name: string;
  lines: string[];
  /** Whether every target of this benchmark was met; undefined when it could not run. */
  isOk?: boolean;
}

/** A fresh folder for one benchmark's database, key file and input. */
export function benchDir(name: string): string {
  return mkdtempSync(path.join(tmpdir(), `hotline-bench-${name}-`));
}

/** Environment for a fresh Hotline on SQLite in `dir`. */
export function benchEnv(dir: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    HOTLINE_DATA_DIR: path.join(dir, 'data'),
    HOTLINE_KEY_FILE: path.join(dir, 'secrets', 'hotline.keys'),
    HOTLINE_LOG_LEVEL: 'warn',
    ...extra,
  };
}

/** Resident memory of another process, in MB, from /proc (undefined once it has exited). */
export function rssOf(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /VmRSS:\s+(\d+) kB/.exec(status);
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Runs a command to completion, collecting its output; samples its RSS every 200 ms. */
export function runProcess(
  command: string,
  args: string[],
  options: { env: Record<string, string>; cwd?: string; echoStderr?: boolean },
): Promise<{ code: number | null; stdout: string; stderr: string; rssMB: number[]; seconds: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child: ChildProcess = spawn(command, args, { cwd: options.cwd ?? ROOT, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const rssMB: number[] = [];
    const timer = setInterval(() => {
      if (child.pid === undefined) return;
      const rss = rssOf(child.pid);
      if (rss !== undefined) rssMB.push(rss);
    }, 200);
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (options.echoStderr) process.stderr.write(chunk);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(timer);
      resolve({ code, stdout, stderr, rssMB, seconds: (performance.now() - started) / 1000 });
    });
  });
}

/** Formats a rate. */
export function perSecond(value: number): string {
  return `${Math.round(value).toLocaleString('en')}/s`;
}

/** Parses `--name value` options of `npm run bench -- ...`. */
export function argValue(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

/** Stops a child process (SIGTERM) and waits for it to exit. */
export function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) {
      resolve();
      return;
    }
    child.once('exit', () => {
      resolve();
    });
    child.kill('SIGTERM');
  });
}
