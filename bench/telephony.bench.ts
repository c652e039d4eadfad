/**
 * Telephony benchmark: 300 calls at 30 calls/s, INVITE -> 200 OK as the caller sees it, through
 * the whole stack (Kamailio asking Hotline which volunteer rings, i.e. the operations inbound
 * queue, rtpengine anchoring media, 10 answering sipp volunteers on duty) against a direct
 * sipp-to-sipp baseline in the same run.
 *
 * Needs Kamailio, rtpengine and sipp, and root: it re-runs itself in a fresh network namespace
 * with only loopback. Run: `npx tsx bench/telephony.bench.ts` (add `--calls 300 --rate 30`).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { net, ports, registerPhone, scenarios, startSipHarness } from '../test/telephony/support/harness';
import { type Child, killAll, start } from '../test/telephony/support/processes';

const { values } = parseArgs({ options: { calls: { type: 'string', default: '300' }, rate: { type: 'string', default: '30' }, volunteers: { type: 'string', default: '10' } } });
const calls = Number(values.calls);
const rate = Number(values.rate);
const volunteers = Number(values.volunteers);

if (process.env.HOTLINE_BENCH_IN_NETNS !== '1') {
  const result = spawnSync('unshare', ['-n', '--', 'bash', '-c', 'ip link set lo up && exec "$@"', 'bench', process.execPath, ...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, HOTLINE_BENCH_IN_NETNS: '1' },
  });
  process.exit(result.status ?? 1);
}

/** Percentile of sorted values (nearest rank). */
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Runs the sipp caller and returns each call's INVITE -> 200 OK time (ms) from sipp's RTT trace. */
async function runCaller(target: string, from: string, dir: string): Promise<{ times: number[]; failed: number; output: string }> {
  const { sip, media } = ports();
  const caller: Child = start(
    'bench caller',
    'sipp',
    [target, '-sf', path.join(scenarios, 'caller.xml'), '-s', 'hotline', '-d', '0', '-i', from, '-p', String(sip), '-mp', String(media), '-r', String(rate), '-m', String(calls), '-l', String(calls), '-trace_rtt', '-rtt_freq', '1', '-nostdin'],
    { timeoutMs: (calls / rate + 60) * 1000, cwd: dir },
  );
  const code = await caller.exited;
  const file = readdirSync(dir).find((name) => name.endsWith('_rtt.csv'));
  const times = file === undefined ? [] : readFileSync(path.join(dir, file), 'utf8')
    .split('\n')
    .slice(1)
    .map((line) => Number(line.split(';')[1]))
    .filter((value) => Number.isFinite(value) && value >= 0)
    .sort((a, b) => a - b);
  return { times, failed: code === 0 ? calls - times.length : Math.max(1, calls - times.length), output: caller.output() };
}

async function baseline(): Promise<{ times: number[]; failed: number }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'hotline-bench-base-'));
  try {
    const { sip, media } = ports();
    start('baseline callee', 'sipp', ['-sf', path.join(scenarios, 'answer.xml'), '-i', net.phones, '-p', String(sip), '-mp', String(media), '-m', String(calls), '-nostdin'], {
      timeoutMs: (calls / rate + 60) * 1000,
    });
    // A direct call: the caller's INVITE goes straight to the answering sipp.
    const result = await runCaller(`${net.phones}:${sip}`, net.trunk, dir);
    return result;
  } finally {
    killAll();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function throughStack(): Promise<{ times: number[]; failed: number }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'hotline-bench-stack-'));
  const harness = await startSipHarness();
  try {
    // Real staff accounts going on duty through the console's API; the calls go through the
    // operations inbound queue (no wrap-up between calls, so 10 phones take 300 calls).
    const sessions = [];
    for (let i = 0; i < volunteers; i += 1) sessions.push(await harness.staff('volunteer'));
    await Promise.all(sessions.map((session) => registerPhone(session.userId, 'answer', { calls, timeoutMs: (calls / rate + 60) * 1000 })));
    for (const session of sessions) await harness.setPresence(session, 'available');
    const result = await runCaller(`${net.edge}:${net.edgePort}`, net.trunk, dir);
    if (result.failed > 0) process.stderr.write(result.output.slice(-3000));
    return result;
  } finally {
    killAll();
    await harness.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const format = (label: string, r: { times: number[]; failed: number }) =>
  `${label.padEnd(44)} ${String(r.times.length).padStart(5)} ok ${String(r.failed).padStart(4)} failed   p50 ${percentile(r.times, 50).toFixed(1).padStart(6)} ms   p99 ${percentile(r.times, 99).toFixed(1).padStart(6)} ms`;

const direct = await baseline();
const stack = await throughStack();
process.stdout.write(`\nTelephony: ${calls} calls at ${rate} calls/s, INVITE -> 200 OK at the caller\n`);
process.stdout.write(`${format('sipp -> sipp directly (baseline)', direct)}\n`);
process.stdout.write(`${format(`Kamailio + Hotline + rtpengine, ${volunteers} volunteers`, stack)}\n`);
const added50 = percentile(stack.times, 50) - percentile(direct.times, 50);
const added99 = percentile(stack.times, 99) - percentile(direct.times, 99);
process.stdout.write(`added by the stack: p50 ${added50.toFixed(1)} ms, p99 ${added99.toFixed(1)} ms (target: p99 < 10 ms) -> ${added99 < 10 ? 'OK' : 'OVER TARGET'}\n`);
process.exit(direct.failed + stack.failed > 0 ? 1 : 0);
