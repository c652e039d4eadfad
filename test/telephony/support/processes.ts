import { type ChildProcess, spawn } from 'node:child_process';

/** A child process started by a telephony test; always killed (with its group) at the end. */
export interface Child {
  name: string;
  process: ChildProcess;
  output: () => string;
  /** Resolves with the exit code (null when killed), or rejects after the timeout (and kills). */
  exited: Promise<number | null>;
  kill(): void;
}

const running = new Set<Child>();

/** Starts `command` in its own process group, keeping its output for failure messages. */
export function start(name: string, command: string, args: string[], options: { timeoutMs: number; cwd?: string; env?: NodeJS.ProcessEnv }): Child {
  const child = spawn(command, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], cwd: options.cwd, env: options.env ?? process.env });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const kill = () => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  const exited = new Promise<number | null>((resolve, reject) => {
    const timer = setTimeout(() => {
      kill();
      reject(new Error(`${name} did not finish within ${options.timeoutMs} ms:\n${output}`));
    }, options.timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      running.delete(handle);
      resolve(code);
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      running.delete(handle);
      reject(error);
    });
  });
  // A test that never awaits `exited` must not crash the run with an unhandled rejection.
  exited.catch(() => undefined);
  const handle: Child = { name, process: child, output: () => output, exited, kill };
  running.add(handle);
  return handle;
}

/** Kills every child still running (afterAll, and on a failed test). */
export function killAll(): void {
  for (const child of running) child.kill();
  running.clear();
}

/** Waits for a child to exit with code 0, or throws with its output. */
export async function expectSuccess(child: Child): Promise<void> {
  const code = await child.exited;
  if (code !== 0) throw new Error(`${child.name} exited with ${code}:\n${child.output()}`);
}
