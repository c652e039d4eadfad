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
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
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

/**
 * Runs the benchmark's own SIP caller (bench/support/sip-caller.ts, a process of its own) and
 * returns each call's INVITE -> 200 OK time in milliseconds, measured with performance.now().
 * sipp's own timings come in steps of its 4 ms scheduler tick, too coarse for the figures here.
 */
async function runCaller(target: string, from: string): Promise<{ times: number[]; failed: number; output: string }> {
  const { sip } = ports();
  const caller: Child = start(
    'bench caller',
    process.execPath,
    [...process.execArgv, path.join(import.meta.dirname, 'support', 'sip-caller.ts'), '--calls', String(calls), '--rate', String(rate), '--from', from, '--port', String(sip), '--to', target],
    { timeoutMs: (calls / rate + 60) * 1000 },
  );
  const code = await caller.exited;
  const line = caller.output().trim().split('\n').findLast((text) => text.startsWith('{'));
  const result = line === undefined ? { times: [], failed: calls } : (JSON.parse(line) as { times: number[]; failed: number });
  const times = [...result.times].sort((a, b) => a - b);
  return { times, failed: code === 0 ? result.failed : Math.max(1, result.failed), output: caller.output() };
}

async function baseline(): Promise<{ times: number[]; failed: number }> {
  try {
    const { sip, media } = ports();
    start('baseline callee', 'sipp', ['-sf', path.join(scenarios, 'answer.xml'), '-i', net.phones, '-p', String(sip), '-mp', String(media), '-m', String(calls), '-nostdin'], {
      timeoutMs: (calls / rate + 60) * 1000,
    });
    // A direct call: the caller's INVITE goes straight to the answering sipp.
    const result = await runCaller(`${net.phones}:${sip}`, net.trunk);
    if (result.failed > 0) process.stderr.write(result.output.slice(-3000));
    return result;
  } finally {
    killAll();
  }
}

let loopDelay = { p99: Number.NaN, max: Number.NaN };

async function throughStack(): Promise<{ times: number[]; failed: number }> {
  const harness = await startSipHarness();
  try {
    // Real staff accounts going on duty through the console's API; the calls go through the
    // operations inbound queue (no wrap-up between calls, so 10 phones take 300 calls).
    const sessions = [];
    for (let i = 0; i < volunteers; i += 1) sessions.push(await harness.staff('volunteer'));
    await Promise.all(sessions.map((session) => registerPhone(session.userId, 'answer', { calls, timeoutMs: (calls / rate + 60) * 1000 })));
    for (const session of sessions) await harness.setPresence(session, 'available');
    // Hotline runs in this process: how late its event loop ran (SQLite writes block it) says how
    // much of the tail is Hotline's and how much the machine's.
    const loop = monitorEventLoopDelay({ resolution: 1 });
    loop.enable();
    const result = await runCaller(`${net.edge}:${net.edgePort}`, net.trunk);
    loop.disable();
    loopDelay = { p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 };
    if (result.failed > 0) process.stderr.write(result.output.slice(-3000));
    return result;
  } finally {
    killAll();
    await harness.close();
  }
}

const format = (label: string, r: { times: number[]; failed: number }) =>
  `${label.padEnd(44)} ${String(r.times.length).padStart(5)} ok ${String(r.failed).padStart(4)} failed   p50 ${percentile(r.times, 50).toFixed(2).padStart(6)} ms   p99 ${percentile(r.times, 99).toFixed(2).padStart(6)} ms   max ${(r.times.at(-1) ?? Number.NaN).toFixed(2).padStart(6)} ms`;

const direct = await baseline();
const stack = await throughStack();
process.stdout.write(`\nTelephony: ${calls} calls at ${rate} calls/s, INVITE -> 200 OK at the caller\n`);
process.stdout.write(`${format('caller -> sipp directly (baseline)', direct)}\n`);
process.stdout.write(`${format(`Kamailio + Hotline + rtpengine, ${volunteers} volunteers`, stack)}\n`);
// "Added" is the difference of the two distributions' percentiles (stack p99 minus baseline p99),
// not a percentile of per-call differences: the two runs are different calls.
const added50 = percentile(stack.times, 50) - percentile(direct.times, 50);
const added99 = percentile(stack.times, 99) - percentile(direct.times, 99);
process.stdout.write(`Hotline's event loop was late by p99 ${loopDelay.p99.toFixed(2)} ms, at most ${loopDelay.max.toFixed(2)} ms\n`);
process.stdout.write(`added by the stack: p50 ${added50.toFixed(2)} ms, p99 ${added99.toFixed(2)} ms (target: p99 < 10 ms) -> ${added99 < 10 ? 'OK' : 'OVER TARGET'}\n`);
process.exit(direct.failed + stack.failed > 0 ? 1 : 0);
