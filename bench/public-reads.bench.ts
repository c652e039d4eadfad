import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, openSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { freePort } from '../test/support/free-port';
import { median, wrk, wrkPath, wrkScript } from './http.bench';
import { type BenchResult, stopChild, HOTLINE_BIN, ROOT, argValue, benchDir, perSecond } from './support';

/**
 * (c) The public reads as shipped: `hotline serve` started the way `npm start` starts it (the
 * compiled server, default settings, request logging at its default level into a file, SQLite),
 * against nginx serving the very same bytes (fetched from Hotline first) from its own process with
 * its usual production settings (a worker per core, sendfile, access log off, as on a busy site).
 * wrk from a third process, one thread, keep-alive, alternating rounds, median of each.
 * Target: each read >= 0.5x of nginx.
 */
const RATIO_TARGET = 0.5;
const READS = [
  { name: 'counters', url: '/api/public/counters', file: 'counters.json', type: 'application/json' },
  { name: 'home page', url: '/en/', file: 'home.html', type: 'text/html' },
];

async function startHotline(dir: string): Promise<{ port: number; stop(): Promise<void> }> {
  const port = await freePort();
  const log = openSync(path.join(dir, 'hotline.log'), 'a');
  const child = spawn(process.execPath, [HOTLINE_BIN, 'serve'], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', PORT: String(port) },
    stdio: ['ignore', log, log],
  });
  for (let attempt = 0; attempt < 300; attempt++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) break;
    } catch {
      // starting
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { port, stop: () => stopChild(child) };
}

async function startNginx(dir: string, root: string): Promise<{ port: number; stop(): Promise<void> }> {
  const port = await freePort();
  for (const temp of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(path.join(dir, 'nginx', temp), { recursive: true });
  const conf = path.join(dir, 'nginx.conf');
  writeFileSync(
    conf,
    `${process.getuid?.() === 0 ? 'user root;\n' : ''}daemon off;
worker_processes auto;
pid ${dir}/nginx.pid;
error_log ${dir}/nginx-error.log warn;
events { worker_connections 4096; }
http {
  client_body_temp_path ${dir}/nginx/body; proxy_temp_path ${dir}/nginx/proxy; fastcgi_temp_path ${dir}/nginx/fastcgi; uwsgi_temp_path ${dir}/nginx/uwsgi; scgi_temp_path ${dir}/nginx/scgi;
  sendfile on; tcp_nopush on; keepalive_requests 100000; access_log off;
  types { application/json json; text/html html; }
  server { listen 127.0.0.1:${port}; root ${root}; }
}
`,
  );
  const child = spawn('nginx', ['-p', dir, '-c', conf], { stdio: 'ignore' });
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/counters.json`)).ok) break;
    } catch {
      // starting
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { port, stop: () => stopChild(child) };
}

export async function runPublicReadsBench(options: { seconds: number }): Promise<BenchResult[]> {
  execFileSync(process.execPath, [path.join(ROOT, 'scripts/build-server.mjs')], { stdio: 'ignore' });
  const dir = benchDir('public');
  const hotline = await startHotline(dir);
  const root = path.join(dir, 'static');
  mkdirSync(root, { recursive: true });
  try {
    // The same bytes: what Hotline answers, written where nginx serves them.
    for (const read of READS) {
      const body = Buffer.from(await (await fetch(`http://127.0.0.1:${hotline.port}${read.url}`)).arrayBuffer());
      writeFileSync(path.join(root, read.file), body);
    }
    const nginx = await startNginx(dir, root);
    const script = path.join(dir, 'get.lua');
    wrkScript(script, { expectedStatus: 200 });
    const results: BenchResult[] = [];
    try {
      for (const read of READS) {
        const hotlineUrl = `http://127.0.0.1:${hotline.port}${read.url}`;
        const nginxUrl = `http://127.0.0.1:${nginx.port}/${read.file}`;
        await wrk(hotlineUrl, script, { connections: 64, seconds: 2 });
        await wrk(nginxUrl, script, { connections: 64, seconds: 2 });
        const hotlineRates: number[] = [];
        const nginxRates: number[] = [];
        const p99: number[] = [];
        const round = Math.max(3, Math.round(options.seconds / 2));
        for (let i = 0; i < 3; i++) {
          nginxRates.push((await wrk(nginxUrl, script, { connections: 64, seconds: round })).rate);
          const run = await wrk(hotlineUrl, script, { connections: 64, seconds: round });
          hotlineRates.push(run.rate);
          p99.push(run.p99ms);
        }
        const ratio = median(hotlineRates) / median(nginxRates);
        const bytes = Buffer.byteLength(await (await fetch(nginxUrl)).text());
        results.push({
          name: read.name === 'counters' ? 'counters' : 'home',
          isOk: ratio >= RATIO_TARGET,
          lines: [
            `(c) ${read.name}: GET ${read.url} from hotline serve as shipped vs nginx serving the same ${bytes.toLocaleString('en')} bytes, 64 connections, wrk -t1, 3 alternating rounds of ${round} s (median)`,
            `  hotline: ${perSecond(median(hotlineRates))} (rounds: ${hotlineRates.map((r) => Math.round(r)).join(', ')}; p99 ${median(p99).toFixed(1)} ms)`,
            `  nginx:   ${perSecond(median(nginxRates))} (rounds: ${nginxRates.map((r) => Math.round(r)).join(', ')})`,
            `  ratio hotline/nginx: ${ratio.toFixed(2)}x (target >= ${RATIO_TARGET}x): ${ratio >= RATIO_TARGET ? 'ok' : 'MISSED'}`,
          ],
        });
      }
    } finally {
      await nginx.stop();
    }
    return results;
  } finally {
    await hotline.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(entry).href) {
  if (!wrkPath()) {
    console.log('wrk is not installed; install it with: apt-get install -y wrk');
    process.exit(1);
  }
  for (const result of await runPublicReadsBench({ seconds: Number(argValue('duration') ?? '10') }))
    for (const line of result.lines) console.log(line);
}
