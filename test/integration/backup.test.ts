import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config';
import { generateKeyringFile, writeKeyringFile } from '../../src/crypto/keyring';
import { buildApp } from '../../src/http/app';
import { createLogger } from '../../src/logging';
import { type Runtime, openRuntime } from '../../src/runtime';
import { runCli } from '../support/cli';
import { type StaffSession, cookieHeader, signUpStaff, totpNow, updateJar } from '../support/staff';
import { type TestHotline, createPostgresDatabase, startTestHotline, testDatabase } from '../support/test-runtime';

const realName = '欧阳振华';
const phone = '+8613912345678';
const statementText = '我自愿退出中共及其附属组织，今后不再为其效力';

let t: TestHotline;
let volunteer: StaffSession;
let backupFile: string;
const cleanups: (() => Promise<void> | void)[] = [];

/** A new empty install on `kind` that uses the source's key file (or another one). */
async function emptyTarget(kind: 'sqlite' | 'postgres', options: { keyFile?: string } = {}): Promise<{ env: Record<string, string>; dir: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'hotline-restore-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const keyFile = path.join(dir, 'secrets', 'hotline.keys');
  mkdirSync(path.dirname(keyFile), { recursive: true, mode: 0o700 });
  if (options.keyFile) copyFileSync(options.keyFile, keyFile);
  const env: Record<string, string> = { HOTLINE_DATA_DIR: path.join(dir, 'data'), HOTLINE_KEY_FILE: keyFile, HOTLINE_LOG_LEVEL: 'silent' };
  if (kind === 'postgres') {
    const database = await createPostgresDatabase();
    cleanups.push(() => database.drop());
    env.HOTLINE_DATABASE_URL = database.url;
  }
  return { env, dir };
}

async function open(env: Record<string, string>, dir: string): Promise<Runtime> {
  const runtime = await openRuntime(loadConfig(env, dir), { createKeysIfNew: false, migrate: false });
  cleanups.push(() => runtime.close());
  return runtime;
}

/** Rows of every table, in a comparable order (the audit rows the backup and the restore add aside). */
async function contents(runtime: Runtime): Promise<Record<string, string[]>> {
  const all: Record<string, string[]> = {};
  for (const table of await runtime.store.backup.tables()) {
    const rows = (await runtime.store.backup.rowsOf(table)).filter((row) => !String(row.action ?? '').startsWith('backup.'));
    const text = rows.map((row) => JSON.stringify(Object.entries(row).map(([k, v]) => [k, v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v]).sort()));
    if (table === 'meta') all[table] = text.filter((row) => !row.includes('"audit_head"')).sort();
    else all[table] = text.sort();
  }
  return all;
}

beforeAll(async () => {
  t = await startTestHotline();
  volunteer = await signUpStaff(t, 'volunteer', { realName, phone });
  await signUpStaff(t, 'admin');
  for (const body of [
    { nameKind: 'real', name: realName, cohorts: [{ count: 1, organizations: ['party', 'league'] }], region: '110105', channel: 'outbound', text: statementText, provenance: { kind: 'volunteer', consent: 'personal' } },
    { nameKind: 'pseudonym', name: '万顺', cohorts: [{ count: 8, organizations: ['party'] }, { count: 11, organizations: ['league', 'pioneers'] }], region: '430621', channel: 'outbound', text: '', provenance: { kind: 'volunteer', consent: 'personal' } },
  ]) {
    const response = await volunteer.request('POST', '/api/statements', { statements: [body] });
    expect(response.statusCode, response.body).toBe(201);
  }
  backupFile = path.join(t.dir, 'backups', 'nightly.backup');
}, 120_000);

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await t.close();
});

describe('hotline backup', () => {
  it('writes a backup that reveals nothing without the key file, and checks it whole', async () => {
    const created = await runCli(['backup', 'create', '--out', backupFile], t.env, { cwd: t.dir });
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/Backup written: .*nightly\.backup \([\d.]+ MB, \d+ rows: .*statements 2/);

    const bytes = readFileSync(backupFile);
    expect(bytes.subarray(0, 17).toString()).toBe('HOTLINE-BACKUP 1\n');
    for (const secret of [realName, phone, '13912345678', volunteer.username, volunteer.totpSecret, statementText, '万顺', 'statements']) {
      expect({ secret, found: bytes.includes(Buffer.from(secret, 'utf8')) }).toEqual({ secret, found: false });
    }
    const checked = await runCli(['backup', 'check', backupFile], t.env, { cwd: t.dir });
    expect(checked.code).toBe(0);
    expect(checked.stdout).toMatch(new RegExp(`is intact: made .* on ${testDatabase}, \\d+ rows`));
    // The backup itself is in the audit log (counts only).
    expect((await t.runtime.store.audit.last())?.action).toBe('backup.created');
  }, 60_000);

  it('restores into an empty database of either kind: the same rows, readable names, a verified chain, staff can sign in', async () => {
    const source = await contents(t.runtime);
    for (const kind of [testDatabase, testDatabase === 'sqlite' ? 'postgres' : 'sqlite'] as const) {
      const target = await emptyTarget(kind, { keyFile: t.config.keyFile });
      const restored = await runCli(['backup', 'restore', backupFile], target.env, { cwd: target.dir });
      expect({ kind, stderr: restored.stderr, code: restored.code }).toEqual({ kind, stderr: '', code: 0 });
      expect(restored.stdout).toMatch(/Restored \d+ rows from .* into the /);
      expect(restored.stdout).toMatch(/Audit chain intact: \d+ row\(s\)/);

      const runtime = await open(target.env, target.dir);
      expect(await contents(runtime)).toEqual(source);
      const statement = (await runtime.store.registry.statements.latestPublished(5)).find((row) => row.public_name === '欧**华');
      expect(statement).toBeDefined();
      const stored = (await runtime.store.backup.rowsOf('statements')).find((row) => row.public_name === '欧**华');
      expect(runtime.keyring.decrypt(stored?.real_name_enc as Uint8Array, 'statements.real_name')).toBe(realName);
      const verified = await runCli(['audit', 'verify'], target.env, { cwd: target.dir });
      expect(verified.stdout).toMatch(/Audit log intact/);

      // The volunteer signs in to the restored install with the same password and authenticator.
      const app = await buildApp({ deps: runtime, config: runtime.config, logger: createLogger('silent', { pretty: false }) });
      cleanups.push(() => app.close());
      const jar: Record<string, string> = {};
      const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: volunteer.username, password: 'correct horse battery staple' } });
      expect(login.statusCode, login.body).toBe(200);
      updateJar(jar, login);
      const second = await app.inject({
        method: 'POST',
        url: '/api/auth/second-factor',
        headers: { cookie: cookieHeader(jar), 'x-csrf-token': jar.hotline_csrf ?? '' },
        // The restored install runs on the real clock, the source on the tests' fixed one.
        payload: { code: await totpNow({ clock: runtime.clock } as TestHotline, volunteer.totpSecret) },
      });
      expect(second.statusCode, second.body).toBe(200);
      const counters = (await app.inject({ method: 'GET', url: '/api/public/counters' })).json() as { total: { people: number; party: number } };
      expect(counters.total).toMatchObject({ people: 20, party: 9 });
    }
  }, 120_000);

  it('refuses a damaged, cut-off or foreign backup and a database that holds data, and writes nothing', async () => {
    const bytes = readFileSync(backupFile);
    const flipped = Buffer.from(bytes);
    flipped[bytes.length - 40] = (flipped[bytes.length - 40] ?? 0) ^ 0x20;
    const damaged = path.join(t.dir, 'damaged.backup');
    writeFileSync(damaged, flipped);
    const cut = path.join(t.dir, 'cut.backup');
    writeFileSync(cut, bytes.subarray(0, bytes.length - 100));

    for (const [file, message] of [
      [damaged, /does not authenticate: the file is damaged or was made with another key/],
      [cut, /cut short/],
    ] as const) {
      const target = await emptyTarget(testDatabase, { keyFile: t.config.keyFile });
      const result = await runCli(['backup', 'restore', file], target.env, { cwd: target.dir });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(/unexpected/);
      const runtime = await open(target.env, target.dir);
      for (const table of await runtime.store.backup.tables()) expect({ table, rows: await runtime.store.backup.count(table) }).toEqual({ table, rows: 0 });
    }

    const foreign = await emptyTarget(testDatabase);
    writeKeyringFile(foreign.env.HOTLINE_KEY_FILE!, generateKeyringFile());
    const wrongKeys = await runCli(['backup', 'restore', backupFile], foreign.env, { cwd: foreign.dir });
    expect(wrongKeys.code).toBe(1);
    expect(wrongKeys.stderr).toMatch(/sealed with keyring \w+, but the key file holds keyring \w+/);

    const noKeys = await emptyTarget(testDatabase);
    const missing = await runCli(['backup', 'restore', backupFile], noKeys.env, { cwd: noKeys.dir });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/only be restored with the key file it was made with/);

    const before = await contents(t.runtime);
    const intoLive = await runCli(['backup', 'restore', backupFile], t.env, { cwd: t.dir });
    expect(intoLive.code).toBe(1);
    expect(intoLive.stderr).toMatch(/already holds data .*restored only into an empty database/);
    expect(await contents(t.runtime)).toEqual(before);
  }, 120_000);
});
