import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Keyring } from '../../src/crypto/keyring';
import { keyUsage } from '../../src/domain/keys/rotate-keys';
import { runCli } from '../support/cli';
import { rawDatabaseBytes } from '../support/raw-database';
import { signUpStaff } from '../support/staff';
import { type TestHotline, startTestHotline } from '../support/test-runtime';

let t: TestHotline;
beforeAll(async () => {
  t = await startTestHotline();
});
afterAll(async () => {
  await t.close();
});

const realName = '王小明';
const phone = '+8613812345678';

describe('personal fields at rest', () => {
  it('stores a Chinese real name and a +86 number so that neither appears in the raw database', async () => {
    const volunteer = await signUpStaff(t, 'volunteer', { realName, phone });
    const admin = await signUpStaff(t, 'admin');
    const listed = (await admin.request('GET', '/api/users')).json() as { users: { id: string; realName?: string; phone?: string }[] };
    expect(listed.users.find((u) => u.id === volunteer.userId)).toMatchObject({ realName, phone });

    const raw = rawDatabaseBytes(t);
    expect(raw.length).toBeGreaterThan(1000);
    // The username is stored in clear: proves the dump is readable and the search would find text.
    expect(raw.includes(Buffer.from(volunteer.username))).toBe(true);
    for (const secret of [realName, phone, phone.slice(1), '13812345678', volunteer.totpSecret]) {
      expect({ secret, found: raw.includes(Buffer.from(secret, 'utf8')) }).toEqual({ secret, found: false });
    }
  });
});

describe('hotline keys rotate', () => {
  it('re-encrypts every value under a new key while the server serves, then the old key can be removed', async () => {
    const admin = await signUpStaff(t, 'admin', { realName: '赵六', phone: '+8613700000001' });
    const oldKey = t.runtime.keyring.activeKeyId;
    const before = await keyUsage(t.runtime);
    expect(before.get(oldKey)).toBeGreaterThanOrEqual(5);

    const rotation = runCli(['keys', 'rotate', '--grace-seconds', '2'], t.env, { cwd: t.dir });
    // The server keeps serving during the rotation: reads and a new encrypted write.
    const during = await signUpStaff(t, 'volunteer', { realName: '钱七', phone: '+8613700000002' });
    expect((await admin.request('GET', '/api/users')).statusCode).toBe(200);
    const result = await rotation;
    expect(result.stderr).not.toMatch(/hotline: /);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/New active key k\w+; re-encrypted \d+ value\(s\)/);

    t.runtime.keyring.reload();
    const newKey = t.runtime.keyring.activeKeyId;
    expect(newKey).not.toBe(oldKey);
    const after = await keyUsage(t.runtime);
    expect(after.get(oldKey)).toBe(0);
    expect(after.get(newKey)).toBeGreaterThanOrEqual(before.get(oldKey)! + 2);

    const removed = await runCli(['keys', 'remove', oldKey], t.env, { cwd: t.dir });
    expect(removed.code).toBe(0);
    t.runtime.keyring.reload();
    expect(t.runtime.keyring.dataKeyIds).toEqual([newKey]);

    // Every value still decrypts with only the new key.
    const listed = (await admin.request('GET', '/api/users')).json() as { users: { id: string; realName?: string; phone?: string }[] };
    expect(listed.users.find((u) => u.id === admin.userId)).toMatchObject({ realName: '赵六', phone: '+8613700000001' });
    expect(listed.users.find((u) => u.id === during.userId)).toMatchObject({ realName: '钱七', phone: '+8613700000002' });
    t.clock.advance(60_000);
    const relogin = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: during.username, password: 'correct horse battery staple' } });
    expect(relogin.statusCode).toBe(200);
    for (const row of await t.runtime.store.users.list()) {
      if (row.totp_secret_enc) expect(Keyring.keyIdOf(row.totp_secret_enc)).toBe(newKey);
    }
  });

  it('refuses to remove a key that still encrypts data', async () => {
    const active = t.runtime.keyring.activeKeyId;
    const refused = await runCli(['keys', 'remove', active], t.env, { cwd: t.dir });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`Key ${active} is the active key and cannot be removed`);
  });
});
