import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { generate } from 'otplib';
import { loadConfig } from '../../../src/config/config';
import { createInvitation } from '../../../src/domain/auth/create-invitation';
import type { Role } from '../../../src/domain/auth/policy';
import { openRuntime } from '../../../src/runtime';
import { freePort } from '../../support/free-port';
import { createPostgresDatabase } from '../../support/test-runtime';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const BIN = path.join(ROOT, 'bin/hotline.js');
export const REDIS_URL = process.env.HOTLINE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** One `hotline serve` process of the cluster, killable with SIGKILL and restartable. */
export interface Instance {
  name: string;
  port: number;
  url: string;
  start(): Promise<void>;
  /** `kill -9`: no shutdown hook runs, the lease is not given back. */
  kill(): Promise<void>;
  health(): Promise<{ status: string; lease: boolean } | undefined>;
}

export interface Cluster {
  /** Where nginx listens, as visitors reach the hotline (HTTPS, self-signed). */
  url: string;
  instances: Instance[];
  env: Record<string, string>;
  signUp(role: Role): Promise<HttpSession>;
  close(): Promise<void>;
}

/**
 * Three (or `count`) instances of `hotline serve` on one fresh PostgreSQL database and one Redis
 * (a prefix of their own), behind nginx started with deploy/nginx/hotline.conf, its ports and
 * certificate paths replaced. The first instance starts alone, so it holds the lease.
 */
export async function startCluster(options: { count?: number; env?: Record<string, string> } = {}): Promise<Cluster> {
  const count = options.count ?? 3;
  const dir = mkdtempSync(path.join(tmpdir(), 'hotline-cluster-'));
  const database = await createPostgresDatabase();
  const [httpPort, httpsPort, ...ports] = await Promise.all(Array.from({ length: count + 2 }, () => freePort()));
  if (httpPort === undefined || httpsPort === undefined) throw new Error('no port');
  const url = `https://localhost:${httpsPort}`;
  const env: Record<string, string> = {
    HOTLINE_DATABASE_URL: database.url,
    HOTLINE_KEY_FILE: path.join(dir, 'secrets/hotline.keys'),
    HOTLINE_DATA_DIR: path.join(dir, 'data'),
    HOTLINE_REDIS_URL: REDIS_URL,
    HOTLINE_REDIS_PREFIX: `hotline-test-${randomBytes(4).toString('hex')}:`,
    HOTLINE_TRUST_PROXY: '1',
    HOTLINE_PUBLIC_URL: url,
    HOTLINE_HOST: '127.0.0.1',
    HOTLINE_LOG_LEVEL: 'warn',
    ...options.env,
  };
  const instances = ports.map((port, index) => instance(String.fromCharCode(65 + index), port, { ...env, PORT: String(port), HOTLINE_AUDIT_HEAD_FILE: path.join(dir, `audit-head-${index}`) }, dir));
  const [first, ...others] = instances;
  if (!first) throw new Error('no instance');
  await first.start();
  await Promise.all(others.map((other) => other.start()));
  const nginx = await startNginx(dir, httpPort, httpsPort, ports);
  const runtime = await openRuntime(loadConfig(env, dir), { createKeysIfNew: false, migrate: false });
  return {
    url,
    instances,
    env,
    signUp: async (role) => {
      const invitation = await createInvitation(runtime, { actor: null, role });
      return signUpOverHttp(url, invitation.token, role);
    },
    close: async () => {
      await Promise.all(instances.map((one) => one.kill()));
      // SIGTERM: the master stops its workers too (after SIGKILL they would live on, holding the port).
      await new Promise<void>((resolve) => {
        if (nginx.exitCode !== null || nginx.signalCode !== null) {
          resolve();
          return;
        }
        nginx.once('exit', () => resolve());
        nginx.kill('SIGTERM');
      });
      await runtime.close();
      await database.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function instance(name: string, port: number, env: Record<string, string>, cwd: string): Instance {
  let child: ChildProcess | undefined;
  const url = `http://127.0.0.1:${port}`;
  return {
    name,
    port,
    url,
    start: () =>
      new Promise<void>((resolve, reject) => {
        const proc = spawn(process.execPath, [BIN, 'serve'], { cwd, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
        child = proc;
        let out = '';
        const timer = setTimeout(() => reject(new Error(`instance ${name} did not start: ${out}`)), 60_000);
        const take = (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes('Hotline is serving at')) {
            clearTimeout(timer);
            resolve();
          }
        };
        proc.stdout.on('data', take);
        proc.stderr.on('data', take);
        proc.on('exit', (code) => {
          clearTimeout(timer);
          if (!out.includes('Hotline is serving at')) reject(new Error(`instance ${name} exited with ${code}: ${out}`));
        });
      }),
    kill: () =>
      new Promise<void>((resolve) => {
        if (!child || child.exitCode !== null || child.signalCode !== null) {
          resolve();
          return;
        }
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
    health: async () => {
      try {
        const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) });
        return (await response.json()) as { status: string; lease: boolean };
      } catch {
        return undefined;
      }
    },
  };
}

/** nginx with the deployment's own server block: TLS on `httpsPort`, the instances as its upstream. */
async function startNginx(dir: string, httpPort: number, httpsPort: number, ports: number[]): Promise<ChildProcess> {
  const certificate = path.join(dir, 'tls.crt');
  const key = path.join(dir, 'tls.key');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-keyout', key, '-out', certificate], { stdio: 'ignore' });
  let site = readFileSync(path.join(ROOT, 'deploy/nginx/hotline.conf'), 'utf8')
    .replace('listen 80;', `listen 127.0.0.1:${httpPort};`)
    .replace('listen 443 ssl http2;', `listen 127.0.0.1:${httpsPort} ssl http2;`)
    .replace('/etc/letsencrypt/live/hotline.example.org/fullchain.pem', certificate)
    .replace('/etc/letsencrypt/live/hotline.example.org/privkey.pem', key);
  // The example instances 127.0.0.1:8081 to :8083 become this test's instances.
  if (!site.includes('127.0.0.1:8083')) throw new Error('deploy/nginx/hotline.conf no longer lists the example instances 127.0.0.1:8081 to :8083 that this test replaces');
  site = site.replace(/127\.0\.0\.1:808([1-3])/g, (_all, digit: string) => `127.0.0.1:${ports[Number(digit) - 1] ?? ports[0]}`);
  writeFileSync(path.join(dir, 'hotline-site.conf'), site);
  for (const temp of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(path.join(dir, 'nginx-temp', temp), { recursive: true });
  const temps = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind, index) => `${kind}_temp_path ${path.join(dir, 'nginx-temp', ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'][index] ?? kind)};`).join('\n  ');
  writeFileSync(
    path.join(dir, 'nginx.conf'),
    `${process.getuid?.() === 0 ? 'user root;\n' : ''}daemon off;
worker_processes 1;
pid ${path.join(dir, 'nginx.pid')};
error_log ${path.join(dir, 'nginx-error.log')} warn;
events { worker_connections 1024; }
http {
  ${temps}
  include ${path.join(dir, 'hotline-site.conf')};
}
`,
  );
  const nginx = spawn('nginx', ['-p', dir, '-c', path.join(dir, 'nginx.conf')], { stdio: 'ignore' });
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      const response = await fetch(`https://localhost:${httpsPort}/healthz`);
      if (response.ok) return nginx;
    } catch {
      // not yet listening
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`nginx did not start: ${readFileSync(path.join(dir, 'nginx-error.log'), 'utf8')}`);
}

/** A staff member signed in through HTTP (the cluster's nginx, or one instance directly). */
export interface HttpSession {
  userId: string;
  cookie(): string;
  request(base: string, method: string, url: string, body?: unknown): Promise<{ status: number; json: () => unknown; text: string }>;
}

async function signUpOverHttp(base: string, token: string, role: Role): Promise<HttpSession> {
  const jar = new Map<string, string>();
  const cookie = () => [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
  const csrf = () => jar.get('__Host-hotline_csrf') ?? jar.get('hotline_csrf') ?? '';
  const request = async (at: string, method: string, url: string, body?: unknown) => {
    const response = await fetch(`${at}${url}`, {
      method,
      headers: { cookie: cookie(), 'x-csrf-token': csrf(), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at2 = pair?.indexOf('=') ?? -1;
      if (!pair || at2 < 0) continue;
      const name = pair.slice(0, at2);
      const value = pair.slice(at2 + 1);
      if (value === '') jar.delete(name);
      else jar.set(name, value);
    }
    const text = await response.text();
    return { status: response.status, text, json: () => JSON.parse(text) as unknown };
  };
  const username = `${role}${randomBytes(3).toString('hex')}`;
  const password = 'correct horse battery staple';
  const accepted = await request(base, 'POST', '/api/invitations/accept', { token, username, displayName: username, password });
  if (accepted.status !== 201) throw new Error(`accept failed: ${accepted.text}`);
  const userId = (accepted.json() as { userId: string }).userId;
  const login = await request(base, 'POST', '/api/auth/login', { username, password });
  if (login.status !== 200) throw new Error(`login failed: ${login.text}`);
  const enrolment = await request(base, 'POST', '/api/auth/enrollment');
  const { secret } = enrolment.json() as { secret: string };
  const confirmed = await request(base, 'POST', '/api/auth/enrollment/confirm', { code: await generate({ secret }) });
  if (confirmed.status !== 200) throw new Error(`enrolment failed: ${confirmed.text}`);
  return { userId, cookie, request };
}
