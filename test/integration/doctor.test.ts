import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyringFile, writeKeyringFile } from '../../src/crypto/keyring';
import { runCli } from '../support/cli';
import { signUpStaff } from '../support/staff';
import { type TestHotline, freshInstallEnv, startTestHotline, testDatabase } from '../support/test-runtime';

let t: TestHotline;
beforeAll(async () => {
  t = await startTestHotline();
  await signUpStaff(t, 'admin', { realName: '周九' });
});
afterAll(async () => {
  await t.close();
});

const doctor = (env: Record<string, string>, cwd = t.dir) => runCli(['doctor'], env, { cwd });

describe('hotline doctor', () => {
  it('reports a healthy install, with keys from the key file or from HOTLINE_KEYRING', async () => {
    const fromFile = await doctor(t.env);
    expect(fromFile.stdout).not.toContain('FAIL');
    expect(fromFile.stdout).not.toContain('warn');
    expect(fromFile.stdout).toContain('ok    key file matches the database');
    expect(fromFile.code).toBe(0);
    const keyring = readFileSync(t.config.keyFile, 'utf8');
    const fromEnvironment = await doctor({ ...t.env, HOTLINE_KEYRING: Buffer.from(keyring).toString('base64') });
    expect(fromEnvironment.stdout).toContain('ok    keys come from HOTLINE_KEYRING (1 data key(s)');
    expect(fromEnvironment.stdout).toContain('ok    key file matches the database');
    expect(fromEnvironment.code).toBe(0);
  });

  it('fails on a HOTLINE_KEYRING that is not a keyring', async () => {
    const result = await doctor({ ...t.env, HOTLINE_KEYRING: 'garbage' });
    expect(result.stdout).toContain('FAIL  HOTLINE_KEYRING is not a Hotline key file (not JSON)');
    expect(result.code).toBe(1);
    const wrongShape = await doctor({ ...t.env, HOTLINE_KEYRING: '{"format":"hotline-keyring/1"}' });
    expect(wrongShape.stdout).toMatch(/FAIL {2}HOTLINE_KEYRING is not a valid Hotline key file: id /);
    expect(wrongShape.code).toBe(1);
  });

  it('fails on a key file of another keyring', async () => {
    const other = path.join(t.dir, 'other', 'hotline.keys');
    const content = generateKeyringFile();
    writeKeyringFile(other, content);
    const result = await doctor({ ...t.env, HOTLINE_KEY_FILE: other });
    expect(result.stdout).toContain(`FAIL  the key file holds keyring ${content.id} but the database was set up with ${t.runtime.keyring.id}`);
    expect(result.code).toBe(1);
  });

  it('warns when the key file is not mode 600, and fails when others may read it', async () => {
    try {
      chmodSync(t.config.keyFile, 0o400);
      const readOnly = await doctor(t.env);
      expect(readOnly.stdout).toContain(`warn  the key file's mode is 400, not 600 (owner read and write only); run chmod 600 ${t.config.keyFile}`);
      expect(readOnly.code).toBe(0);
      chmodSync(t.config.keyFile, 0o640);
      const shared = await doctor(t.env);
      expect(shared.stdout).toContain(`FAIL  Key file ${t.config.keyFile} is readable by other users (mode 640); run chmod 600 ${t.config.keyFile}`);
      expect(shared.code).toBe(1);
    } finally {
      chmodSync(t.config.keyFile, 0o600);
    }
  });

  it('fails on an unreachable database', async () => {
    const result = await doctor({ ...t.env, HOTLINE_DATABASE_URL: 'postgres://hotline:pw-n0t-shown@127.0.0.1:1/hotline' });
    expect(result.stdout).toContain('FAIL  Cannot reach the PostgreSQL postgres://hotline:***@127.0.0.1:1/hotline: ECONNREFUSED.');
    expect(result.stdout).not.toContain('pw-n0t-shown');
    expect(result.code).toBe(1);
  });

  it('creates nothing on a fresh install: no data folder, no database, no key file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hotline-doctor-'));
    const { env, pg } = await freshInstallEnv(dir);
    try {
      const result = await doctor(env, dir);
      expect(result.stdout).not.toContain('FAIL');
      expect(result.code).toBe(0);
      if (testDatabase === 'sqlite') {
        expect(result.stdout).toContain(`warn  SQLite file ${path.join(dir, 'data', 'hotline.db')} does not exist yet`);
      } else {
        expect(result.stdout).toContain('warn  the database is empty');
      }
      expect(existsSync(path.join(dir, 'data'))).toBe(false);
      expect(existsSync(path.join(dir, 'secrets'))).toBe(false);
    } finally {
      await pg?.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails, creating nothing, when the SQLite data folder is missing but the keys exist', async () => {
    const { HOTLINE_DATABASE_URL: _url, ...onSqlite } = t.env;
    const missing = path.join(t.dir, 'moved-away');
    const result = await doctor({ ...onSqlite, HOTLINE_DATA_DIR: missing });
    expect(result.stdout).toContain(`FAIL  SQLite file ${path.join(missing, 'hotline.db')} not found, but keys exist, so this install was set up: check HOTLINE_DATA_DIR`);
    expect(result.code).toBe(1);
    expect(existsSync(missing)).toBe(false);
  });
});
