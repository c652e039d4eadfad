import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyringFile, writeKeyringFile } from '../../src/crypto/keyring';
import { migrations } from '../../src/db/migrations/index';
import { runCli } from '../support/cli';
import { signUpStaff } from '../support/staff';
import { type TestHotline, freshInstallEnv, startTestHotline } from '../support/test-runtime';
import { freePort } from '../support/free-port';


describe('first start on a fresh install', () => {
  it('creates the key file, serves /healthz, and prints a one-time link that creates the first admin', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hotline-fresh-'));
    const { env, pg } = await freshInstallEnv(dir);
    const port = await freePort();
    const child = spawn(process.execPath, [path.resolve('bin/hotline.js'), 'serve'], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', ...env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let output = '';
      const link = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => { reject(new Error(`no link printed: ${output}`)); }, 30_000);
        const onData = (chunk: Buffer) => {
          output += chunk.toString();
          const match = /(http:\/\/\S+\/console\/#\/invite\/(\S+))/.exec(output);
          if (match) {
            clearTimeout(timer);
            resolve(match[1]!);
          }
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', onData);
      });
      expect(output).toContain(`Created a new key file at ${path.join(dir, 'secrets', 'hotline.keys')}`);
      expect(link.startsWith(`http://localhost:${port}/console/#/invite/`)).toBe(true);
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok', lease: true });
      const token = link.split('/invite/')[1]!;
      const accept = await fetch(`http://127.0.0.1:${port}/api/invitations/accept`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token, username: 'firstadmin', displayName: 'First Admin', password: 'first admin passphrase' }),
      });
      expect(accept.status).toBe(201);
      const again = await fetch(`http://127.0.0.1:${port}/api/invitations/accept`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token, username: 'secondadmin', displayName: 'Second', password: 'first admin passphrase' }),
      });
      expect(again.status).toBe(404);
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('close', resolve));
      await pg?.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('hotline migrate', () => {
  it('sets up a fresh database and its key file, then finds nothing left to do', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hotline-migrate-'));
    const { env, pg } = await freshInstallEnv(dir);
    try {
      const keyFile = path.join(dir, 'secrets', 'hotline.keys');
      const first = await runCli(['migrate'], env, { cwd: dir });
      expect(first.stderr).toBe('');
      expect(first.code).toBe(0);
      expect(first.stdout).toBe(
        `Created a new key file at ${keyFile}. Back it up now, apart from the data: without it the data cannot be read.\nApplied ${Object.keys(migrations).length} migration(s): ${Object.keys(migrations).join(', ')}\n`,
      );
      expect(statSync(keyFile).mode & 0o777).toBe(0o600);
      const again = await runCli(['migrate'], env, { cwd: dir });
      expect(again.stdout).toBe('Database is up to date.\n');
      expect(again.code).toBe(0);
      const doctor = await runCli(['doctor'], env, { cwd: dir });
      expect(doctor.stdout).toContain('ok    database schema is up to date');
      expect(doctor.stdout).toContain('ok    key file matches the database');
      expect(doctor.code).toBe(0);
    } finally {
      await pg?.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('start-up refuses bad settings without touching stored data', () => {
  let t: TestHotline;
  let before: string;

  /** Every row of every table, to prove a failed start changed nothing. */
  async function snapshot(): Promise<string> {
    const tables = ['meta', 'users', 'invitations', 'sessions', 'recovery_codes', 'audit_log', 'kysely_migration'];
    const parts: unknown[] = [];
    for (const table of tables) {
      const rows = await sql`select * from ${sql.table(table)} order by 1`.execute(t.runtime.connection.db);
      parts.push(rows.rows);
    }
    return JSON.stringify(parts, (_key, value: unknown) => (value instanceof Uint8Array ? Buffer.from(value).toString('hex') : value));
  }

  beforeAll(async () => {
    t = await startTestHotline();
    await signUpStaff(t, 'admin', { realName: '周九' });
    before = await snapshot();
  });
  afterAll(async () => {
    await t.close();
  });

  it('a wrong setting names the setting and what is expected', async () => {
    for (const [name, value, expected] of [
      ['PORT', 'eighty', 'PORT: expected a port number (got "eighty")'],
      ['PORT', '70000', 'PORT: expected a port between 1 and 65535 (got "70000")'],
      ['HOTLINE_DATABASE_URL', 'mysql://x', 'HOTLINE_DATABASE_URL: expected postgres://user@host:port/database or sqlite:/path/to/file.db'],
      ['HOTLINE_SESSION_IDLE_MINUTES', '-5', 'HOTLINE_SESSION_IDLE_MINUTES: expected a number of minutes'],
      ['HOTLINE_DATA_DIRR', 'elsewhere', 'HOTLINE_DATA_DIRR: unknown setting (environment variable); did you mean HOTLINE_DATA_DIR?'],
    ] as const) {
      const result = await runCli(['serve'], { ...t.env, [name]: value }, { cwd: t.dir });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(expected);
      expect(result.stdout).toBe('');
    }
    expect(await snapshot()).toBe(before);
  }, 120_000);

  it('a missing key file stops start-up and no new key is made', async () => {
    const missing = path.join(t.dir, 'elsewhere', 'hotline.keys');
    const result = await runCli(['serve'], { ...t.env, HOTLINE_KEY_FILE: missing }, { cwd: t.dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`hotline: Key file ${missing} not found. This database was set up with keyring ${t.runtime.keyring.id}`);
    expect(await snapshot()).toBe(before);
    const doctor = await runCli(['doctor'], { ...t.env, HOTLINE_KEY_FILE: missing }, { cwd: t.dir });
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toContain(`FAIL  key file ${missing} not found`);
  });

  it('a key file of another keyring is refused', async () => {
    const other = path.join(t.dir, 'other', 'hotline.keys');
    writeKeyringFile(other, generateKeyringFile());
    const result = await runCli(['serve'], { ...t.env, HOTLINE_KEY_FILE: other }, { cwd: t.dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`but this database was set up with keyring ${t.runtime.keyring.id}`);
    expect(await snapshot()).toBe(before);
  });

  it('a port already in use gives one clear line naming it, and the process ends', async () => {
    const busy = createServer();
    const port = await new Promise<number>((resolve) => busy.listen(0, '127.0.0.1', () => { resolve((busy.address() as { port: number }).port); }));
    try {
      const started = Date.now();
      const result = await runCli(['serve'], { ...t.env, PORT: String(port) }, { cwd: t.dir, timeoutMs: 20_000 });
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(`hotline: EADDRINUSE: port ${port} (PORT) is already in use on 127.0.0.1; stop the program using it or set PORT to a free port\n`);
      // It ended by itself (a leftover key watcher or pool would keep it running until killed).
      expect(Date.now() - started).toBeLessThan(15_000);
    } finally {
      busy.close();
    }
    expect(await snapshot()).toBe(before);
  });

  it('a SQLite file that cannot be opened gives one clear message', async () => {
    // On SQLite whichever database this project's install uses (without HOTLINE_DATABASE_URL).
    const { HOTLINE_DATABASE_URL: _url, ...onSqlite } = t.env;
    const notAFolder = path.join(t.dir, 'a-file');
    writeFileSync(notAFolder, 'not a folder');
    const result = await runCli(['serve'], { ...onSqlite, HOTLINE_DATA_DIR: notAFolder }, { cwd: t.dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `hotline: Cannot open the SQLite file ${path.join(notAFolder, 'hotline.db')}: ${notAFolder} is not a folder. Check HOTLINE_DATA_DIR (or HOTLINE_DATABASE_URL).\n`,
    );
    const notADatabase = path.join(t.dir, 'not-a-database');
    mkdirSync(notADatabase);
    writeFileSync(path.join(notADatabase, 'hotline.db'), 'these are not the tables you are looking for'.repeat(100));
    const garbage = await runCli(['serve'], { ...onSqlite, HOTLINE_DATA_DIR: notADatabase }, { cwd: t.dir });
    expect(garbage.code).toBe(1);
    expect(garbage.stderr).toBe(`hotline: Cannot open the SQLite file ${path.join(notADatabase, 'hotline.db')}: the file is not a SQLite database. Check HOTLINE_DATA_DIR (or HOTLINE_DATABASE_URL).\n`);
    expect(await snapshot()).toBe(before);
  });

  it('an unreachable PostgreSQL gives one clear message', async () => {
    const result = await runCli(['serve'], { ...t.env, HOTLINE_DATABASE_URL: 'postgres://hotline:secret@127.0.0.1:1/hotline' }, { cwd: t.dir });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      'hotline: Cannot reach the PostgreSQL postgres://hotline:***@127.0.0.1:1/hotline: ECONNREFUSED. Check HOTLINE_DATABASE_URL and that PostgreSQL is running.',
    );
    expect(await snapshot()).toBe(before);
  });

  it('doctor reports a healthy install', async () => {
    const result = await runCli(['doctor'], t.env, { cwd: t.dir });
    expect(result.stdout).not.toContain('FAIL');
    expect(result.stdout).toContain('ok    key file matches the database');
    expect(result.code).toBe(0);
  });
});
