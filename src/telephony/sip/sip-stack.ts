import { type ChildProcess, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import type { Config } from '../../config/config';
import { kamailioConfig, sipEdgeSettings, type SipEdgeSettings } from './kamailio-config';
import { rtpengineConfig } from './rtpengine-config';

/** Where `hotline telephony config` put the SIP stack's files. */
export interface SipStackFiles {
  dir: string;
  kamailioCfg: string;
  rtpengineConf: string;
  runDir: string;
  recordingDir: string;
}

/** Lays out the files of a SIP stack folder. */
export function sipStackFiles(dir: string): SipStackFiles {
  const abs = path.resolve(dir);
  return {
    dir: abs,
    kamailioCfg: path.join(abs, 'kamailio.cfg'),
    rtpengineConf: path.join(abs, 'rtpengine.conf'),
    runDir: path.join(abs, 'run'),
    recordingDir: path.join(abs, 'recordings'),
  };
}

/**
 * Writes Kamailio's and rtpengine's configuration from Hotline's settings into `dir`. The
 * Kamailio file holds the shared secret, so it is readable by its owner only.
 */
export function writeSipStackConfig(config: Config, dir: string, overrides: Partial<SipEdgeSettings> = {}): SipStackFiles {
  const files = sipStackFiles(dir);
  for (const folder of [files.dir, files.runDir, files.recordingDir]) mkdirSync(folder, { recursive: true, mode: 0o700 });
  writeFileSync(files.kamailioCfg, kamailioConfig({ ...sipEdgeSettings(config), ...overrides }), { mode: 0o600 });
  chmodSync(files.kamailioCfg, 0o600);
  writeFileSync(files.rtpengineConf, rtpengineConfig(config, files.recordingDir), { mode: 0o600 });
  return files;
}

/** A running Kamailio + rtpengine pair. */
export interface RunningSipStack {
  /** Process ids, for signals (tests pause rtpengine to check that calls then fail). */
  pids: { rtpengine: number | undefined; kamailio: number | undefined };
  /** Resolves when either process exits (by itself or after `stop`). */
  exited: Promise<{ name: string; code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM both, then SIGKILL whatever is left after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL both at once (synchronous: usable from an exit handler). */
  kill(): void;
}

/** Options for starting the stack; `log` receives each output line of both processes. */
export interface StartSipStackOptions {
  rtpengineNg: string;
  sipAddress: { host: string; port: number };
  log?: (name: string, line: string) => void;
  readyTimeoutMs?: number;
}

function pipeLines(child: ChildProcess, name: string, log: ((name: string, line: string) => void) | undefined): void {
  if (log === undefined) {
    child.stdout?.resume();
    child.stderr?.resume();
    return;
  }
  for (const stream of [child.stdout, child.stderr]) {
    let buffer = '';
    stream?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) log(name, line);
    });
  }
}

function exitOf(child: ChildProcess, name: string): Promise<{ name: string; code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve({ name, code: child.exitCode, signal: child.signalCode });
    else child.once('exit', (code, signal) => { resolve({ name, code, signal }); });
  });
}

/**
 * Waits until `check` resolves true, polling every 50 ms, or throws after `timeoutMs`, or at once
 * with the message `abort` returns when it returns one (a process died).
 */
export async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs: number, abort: () => string | undefined = () => undefined): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const reason = abort();
    if (reason !== undefined) throw new Error(`${reason} while waiting for ${what}`);
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Whether rtpengine answers a `ping` on its control (ng) socket. */
export function pingRtpengine(ngAddress: string, timeoutMs = 500): Promise<boolean> {
  const [host = '127.0.0.1', port = '2223'] = ngAddress.split(':');
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    const timer = setTimeout(() => {
      socket.close();
      resolve(false);
    }, timeoutMs);
    socket.once('message', (message) => {
      clearTimeout(timer);
      socket.close();
      resolve(message.toString('latin1').includes('pong'));
    });
    socket.once('error', () => {
      clearTimeout(timer);
      socket.close();
      resolve(false);
    });
    socket.send(Buffer.from('hotlineping d7:command4:pinge'), Number(port), host);
  });
}

/** Whether a TCP port accepts connections. */
export function isTcpOpen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => { resolve(false); });
  });
}

/**
 * Runs rtpengine and Kamailio as plain foreground processes (each in its own process group, so
 * stopping reaches their children) and resolves once both answer.
 */
export async function startSipStack(files: SipStackFiles, options: StartSipStackOptions): Promise<RunningSipStack> {
  const common = { detached: true, stdio: ['ignore', 'pipe', 'pipe'] as ['ignore', 'pipe', 'pipe'] };
  // rtpengine may dump core when it stops; no core files in the stack folder.
  const rtpengine = spawn('/bin/sh', ['-c', 'ulimit -c 0; exec rtpengine --foreground --config-file="$0" --config-section=rtpengine', files.rtpengineConf], common);
  pipeLines(rtpengine, 'rtpengine', options.log);
  const processes: [string, ChildProcess][] = [['rtpengine', rtpengine]];
  const exits = [exitOf(rtpengine, 'rtpengine')];
  let exited = Promise.race(exits);

  const stop = async (graceMs = 3000) => {
    for (const [, child] of processes) signalGroup(child, 'SIGTERM');
    const timer = setTimeout(() => {
      for (const [, child] of processes) signalGroup(child, 'SIGKILL');
    }, graceMs);
    await Promise.all(exits);
    clearTimeout(timer);
    // Kamailio's children share its group; make sure none outlives the main process.
    for (const [, child] of processes) signalGroup(child, 'SIGKILL');
  };

  const timeout = options.readyTimeoutMs ?? 10_000;
  try {
    let early: string | undefined;
    const noteEarlyExit = (exit: { name: string; code: number | null; signal: NodeJS.Signals | null }) => (early = `${exit.name} exited (code ${exit.code}, signal ${exit.signal})`);
    void exited.then(noteEarlyExit);
    // Kamailio pings rtpengine when it starts and disables it for a while if nobody answers.
    await waitUntil('rtpengine', () => pingRtpengine(options.rtpengineNg), timeout, () => early);
    const kamailio = spawn('kamailio', ['-f', files.kamailioCfg, '-DD', '-E', '-Y', files.runDir, '-P', path.join(files.runDir, 'kamailio.pid')], common);
    pipeLines(kamailio, 'kamailio', options.log);
    processes.push(['kamailio', kamailio]);
    exits.push(exitOf(kamailio, 'kamailio'));
    exited = Promise.race(exits);
    void exited.then(noteEarlyExit);
    await waitUntil('kamailio', () => isTcpOpen(options.sipAddress.host, options.sipAddress.port), timeout, () => early);
    if (early !== undefined) throw new Error(early);
  } catch (error) {
    await stop(500);
    throw error;
  }
  const kill = () => {
    for (const [, child] of processes) signalGroup(child, 'SIGKILL');
  };
  const pidOf = (name: string) => processes.find(([n]) => n === name)?.[1].pid;
  return { pids: { rtpengine: pidOf('rtpengine'), kamailio: pidOf('kamailio') }, exited: Promise.race(exits), stop, kill };
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}
