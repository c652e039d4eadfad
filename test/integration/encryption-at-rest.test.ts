import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config';
import { Keyring, withNewActiveKey, writeKeyringFile } from '../../src/crypto/keyring';
import { encryptedColumns } from '../../src/db/encrypted-columns';
import { type RowKey, keyColumnsOf } from '../../src/db/repositories/encrypted-field.repository';
import { OPERATIONS_FIELDS } from '../../src/db/schema/operations';
import { createCallbackRequest } from '../../src/domain/operations/callback-requests';
import { createLogger } from '../../src/logging';
import { startServer } from '../../src/server';
import { runCli } from '../support/cli';
import { rawDatabaseBytes } from '../support/raw-database';
import { type StaffSession, cookieHeader, signUpStaff, totpNow } from '../support/staff';
import { type TestHotline, startTestHotline, testDatabase } from '../support/test-runtime';

let t: TestHotline;
beforeAll(async () => {
  t = await startTestHotline();
});
afterAll(async () => {
  await t.close();
});

const realName = '王小明';
const phone = '+8613812345678';
const column = (c: { table: string; column: string }) => `${c.table}.${c.column}`;

/** Every stored value of one encrypted column, decrypted with the keyring the test runtime holds now. */
async function decryptAll(c: (typeof encryptedColumns)[number]): Promise<{ keyIds: Set<string>; plaintexts: string[] }> {
  const keyIds = new Set<string>();
  const plaintexts: string[] = [];
  let after: RowKey | null = null;
  for (;;) {
    const rows = await t.runtime.store.encryptedFields.page(c, after, 500);
    if (rows.length === 0) break;
    after = rows[rows.length - 1]!.key;
    for (const row of rows) {
      keyIds.add(Keyring.keyIdOf(row.value));
      plaintexts.push(t.runtime.keyring.decrypt(row.value, c.context));
    }
  }
  return { keyIds, plaintexts };
}

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

  it('lists every *_enc column the migrations create among the columns that key rotation walks', async () => {
    const tables = await t.runtime.connection.db.introspection.getTables();
    const inSchema = tables.flatMap((table) => table.columns.filter((c) => c.name.endsWith('_enc')).map((c) => `${table.name}.${c.name}`)).sort();
    expect(inSchema.length).toBeGreaterThanOrEqual(12);
    expect([...new Set(encryptedColumns.map(column))].sort()).toEqual(inSchema);
    // And each listed key column exists, so rotation can page through the table.
    for (const c of encryptedColumns) {
      const names = tables.find((table) => table.name === c.table)?.columns.map((col) => col.name) ?? [];
      expect({ column: column(c), keys: keyColumnsOf(c).filter((key) => names.includes(key)) }).toEqual({ column: column(c), keys: [...keyColumnsOf(c)] });
    }
  });
});

describe('hotline keys rotate', () => {
  let admin: StaffSession;
  /** A plaintext seeded into each encrypted column, to find after rotation. */
  const seeded: Record<string, string> = {};

  beforeAll(async () => {
    // One row in every encrypted column of every table.
    admin = await signUpStaff(t, 'admin', { realName: '赵六', phone: '+8613700000001' });
    seeded['users.real_name_enc'] = '赵六';
    seeded['users.phone_enc'] = '+8613700000001';
    seeded['users.totp_secret_enc'] = admin.totpSecret;
    const statement = await admin.request('POST', '/api/statements', {
      statements: [{ nameKind: 'real', name: '王建国', cohorts: [{ count: 1, organizations: ['party'] }], region: '110000', channel: 'hotline', provenance: { kind: 'volunteer', consent: 'personal' } }],
    });
    expect(statement.statusCode).toBe(201);
    seeded['statements.real_name_enc'] = '王建国';
    const call = await admin.request('POST', '/api/calls', {
      clientId: 'rotation-call-1',
      direction: 'outbound',
      phone: '+8613811112222',
      outcome: 'listened',
      notes: '他说明天再打',
      quotable: '全办公室都在听',
      startedAt: t.clock(),
      followups: [{ clientId: 'rotation-followup-1', howToReach: '微信 wx_rotation_12345' }],
      registrations: [{ clientId: 'rotation-registration-1', nameKind: 'pseudonym', name: '福星', cohorts: [{ count: 1, organizations: ['party'] }], consent: 'personal' }],
    });
    expect(call.statusCode).toBe(200);
    // The receipt code is kept, encrypted, until the volunteer has read it out.
    seeded['call_receipt_codes.code_enc'] = (call.json() as { registrations: { receiptCode: string }[] }).registrations[0]!.receiptCode;
    seeded['calls.phone_enc'] = '+8613811112222';
    seeded['calls.notes_enc'] = '他说明天再打';
    seeded['calls.quotable_enc'] = '全办公室都在听';
    // A story drafted from the call: its text is encrypted until published.
    const story = await admin.request('POST', '/api/stories', { callIds: [(call.json() as { callId: string }).callId] });
    expect(story.statusCode).toBe(201);
    seeded['stories.content_enc'] = '全办公室都在听';
    seeded['call_followups.details_enc'] = 'wx_rotation_12345';
    const list = await t.app.inject({
      method: 'POST',
      url: '/api/operations/lists/import?name=rotation',
      headers: { cookie: cookieHeader(admin.cookies), 'x-csrf-token': admin.csrf, 'content-type': 'text/csv' },
      payload: 'number,organization,category\n0731 88880000,长沙市公安局,police\n',
    });
    expect(list.statusCode).toBe(201);
    seeded['call_list_entries.phone_enc'] = '+8673188880000';
    seeded['call_list_entries.organization_enc'] = '长沙市公安局';
    expect((await admin.request('POST', '/api/operations/do-not-call', { number: '+8613900001111' })).statusCode).toBe(201);
    seeded['do_not_call.phone_enc'] = '+8613900001111';
    await createCallbackRequest(t.runtime, { fromE164: '+8613600002222', callId: 'rotation-callback-1' });
    seeded['call_tasks.phone_enc'] = '+8613600002222';
    // Staged rows of an import that crashed half-way.
    await t.runtime.store.operations.callLists.stageRows([
      {
        import_id: 'crashed-import',
        row_no: 1,
        problem: null,
        problem_ref: null,
        phone_enc: t.runtime.keyring.encrypt('+8673188881111', OPERATIONS_FIELDS.entryPhone),
        phone_bidx: t.runtime.keyring.blindIndex('phone', '+8673188881111'),
        organization_enc: t.runtime.keyring.encrypt('湘潭市政府', OPERATIONS_FIELDS.entryOrganization),
        category: 'government',
        region_code: null,
      },
    ]);
    seeded['call_list_import_rows.phone_enc'] = '+8673188881111';
    seeded['call_list_import_rows.organization_enc'] = '湘潭市政府';
    // Call events no longer keep numbers, but rows from before that still hold one, encrypted.
    await t.runtime.store.telephony.callEvents.insert({
      id: 'rotation-event-1',
      provider: 'twilio',
      call_id: 'rotation-event-1',
      direction: 'inbound',
      kind: 'callback-requested',
      volunteer_id: null,
      reason: '1',
      hangup_by: null,
      campaign_id: null,
      party_number_enc: t.runtime.keyring.encrypt('+8613500003333', 'telephony.party_number'),
      at: t.clock(),
    });
    seeded['telephony_call_events.party_number_enc'] = '+8613500003333';
  });

  it('re-encrypts every value of every table while the server serves; with only the new key everything decrypts and sign-in works', async () => {
    const oldKey = t.runtime.keyring.activeKeyId;
    for (const c of encryptedColumns) {
      expect({ column: column(c), keyIds: [...(await decryptAll(c)).keyIds] }).toEqual({ column: column(c), keyIds: [oldKey] });
    }

    const rotation = runCli(['keys', 'rotate', '--grace-seconds', '2', '--remove-old'], t.env, { cwd: t.dir });
    // The server keeps serving during the rotation: reads and a new encrypted write.
    const during = await signUpStaff(t, 'volunteer', { realName: '钱七', phone: '+8613700000002' });
    expect((await admin.request('GET', '/api/users')).statusCode).toBe(200);
    const result = await rotation;
    expect(result.stderr).not.toMatch(/hotline: /);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/New active key k\w+; re-encrypted \d+ value\(s\)/);
    expect(result.stdout).toContain(`Removed old key ${oldKey}.`);

    t.runtime.keyring.reload();
    const newKey = t.runtime.keyring.activeKeyId;
    expect(newKey).not.toBe(oldKey);
    expect(t.runtime.keyring.dataKeyIds).toEqual([newKey]);
    for (const c of encryptedColumns) {
      const { keyIds, plaintexts } = await decryptAll(c);
      expect({ column: column(c), keyIds: [...keyIds] }).toEqual({ column: column(c), keyIds: [newKey] });
      expect({ column: column(c), found: plaintexts.some((p) => p.includes(seeded[column(c)] ?? '(not seeded)')) }).toEqual({ column: column(c), found: true });
    }
    expect(Object.keys(seeded).sort()).toEqual([...new Set(encryptedColumns.map(column))].sort());

    const listed = (await admin.request('GET', '/api/users')).json() as { users: { id: string; realName?: string; phone?: string }[] };
    expect(listed.users.find((u) => u.id === during.userId)).toMatchObject({ realName: '钱七', phone: '+8613700000002' });
    // A whole sign-in with the re-encrypted TOTP secret.
    t.clock.advance(60_000);
    const login = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: during.username, password: 'correct horse battery staple' } });
    expect(login.json()).toEqual({ next: 'verify', methods: ['totp', 'recovery-code'] });
    const jar = Object.fromEntries((login.cookies as { name: string; value: string }[]).map((c) => [c.name, c.value]));
    const second = await t.app.inject({
      method: 'POST',
      url: '/api/auth/second-factor',
      headers: { cookie: cookieHeader(jar), 'x-csrf-token': jar.hotline_csrf ?? '' },
      payload: { code: await totpNow(t, during.totpSecret) },
    });
    expect(second.statusCode).toBe(200);
  });

  it('refuses to remove the active key', async () => {
    const active = t.runtime.keyring.activeKeyId;
    const refused = await runCli(['keys', 'remove', active], t.env, { cwd: t.dir });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`Key ${active} is the active key and cannot be removed`);
  });

  it('refuses to remove a key that still encrypts data, saying how many values', async () => {
    // A second key, not active, that one stored value still uses.
    const content = t.runtime.keyring.snapshot();
    const { content: withExtra, keyId: extra } = withNewActiveKey(content);
    writeKeyringFile(t.config.keyFile, { ...withExtra, activeDataKey: content.activeDataKey });
    t.runtime.keyring.reload();
    const underExtra = new Keyring(withExtra).encrypt('孙悟空', 'users.real_name');
    await t.runtime.connection.db.updateTable('users').set({ real_name_enc: underExtra }).where('id', '=', admin.userId).execute();
    const refused = await runCli(['keys', 'remove', extra], t.env, { cwd: t.dir });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(`hotline: Key ${extra} still encrypts 1 values; run "hotline keys rotate" first\n`);
    t.runtime.keyring.reload();
    expect(t.runtime.keyring.dataKeyIds).toContain(extra);
    const list = await runCli(['keys', 'list'], t.env, { cwd: t.dir });
    expect(list.stdout).toContain(`${extra}: 1 value(s)`);
  }, 120_000);

  it('fails clearly, keeping the old keys, when values keep reappearing under an old key', async () => {
    const db = t.runtime.connection.db;
    const active = t.runtime.keyring.activeKeyId;
    const row = await db.selectFrom('users').select('real_name_enc').where('id', '=', admin.userId).executeTakeFirstOrThrow();
    const stale = Keyring.keyIdOf(row.real_name_enc!);
    expect(stale).not.toBe(active);
    const usedKeys = [active, stale];
    // Plays a server that missed the new key: it puts the old ciphertext back after every update.
    if (testDatabase === 'sqlite') {
      await sql`create trigger stale_writer after update of real_name_enc on users when new.id = ${sql.lit(admin.userId)}
        begin update users set real_name_enc = old.real_name_enc where id = new.id; end`.execute(db);
    } else {
      await sql`create function stale_writer() returns trigger language plpgsql as $$ begin new.real_name_enc := old.real_name_enc; return new; end $$`.execute(db);
      await sql`create trigger stale_writer before update of real_name_enc on users for each row when (new.id = ${sql.lit(admin.userId)}) execute function stale_writer()`.execute(db);
    }
    try {
      const stuck = await runCli(['keys', 'rotate', '--grace-seconds', '0'], t.env, { cwd: t.dir });
      expect(stuck.code).toBe(1);
      expect(stuck.stderr).toContain(`hotline: re-encryption did not finish after 10 pass(es): old key(s) ${stale} (1 value(s)) are still in use, so they stay in the key file.`);
      t.runtime.keyring.reload();
      // Every old key still in the file; the one no value uses was reported as such.
      for (const id of usedKeys) expect(t.runtime.keyring.dataKeyIds).toContain(id);
      expect(stuck.stdout).toContain(`Old key ${active} is no longer used`);
      expect(stuck.stdout).not.toContain(`Old key ${stale} is no longer used`);
    } finally {
      await sql`drop trigger stale_writer${testDatabase === 'postgres' ? sql` on users` : sql``}`.execute(db);
      if (testDatabase === 'postgres') await sql`drop function stale_writer()`.execute(db);
    }
    const again = await runCli(['keys', 'rotate', '--grace-seconds', '0', '--remove-old'], t.env, { cwd: t.dir });
    expect(again.code).toBe(0);
    t.runtime.keyring.reload();
    expect(t.runtime.keyring.dataKeyIds).toEqual([t.runtime.keyring.activeKeyId]);
  }, 120_000);

  it('explains how to rotate keys that come from HOTLINE_KEYRING', async () => {
    const keyring = readFileSync(t.config.keyFile, 'utf8');
    const result = await runCli(['keys', 'rotate'], { ...t.env, HOTLINE_KEYRING: keyring }, { cwd: t.dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('hotline: Keys come from HOTLINE_KEYRING, which this command cannot change');
    expect(result.stderr).toContain('run "hotline keys rotate --remove-old", then store the new file content in your secret store');
  });

  it('a running server picks up the rotated key from the key file on its own', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const address = probe.address() as { port: number };
        probe.close(() => { resolve(address.port); });
      });
    });
    const server = await startServer(loadConfig({ ...t.env, PORT: String(port) }, t.dir), { logger: createLogger('silent', { pretty: false }), print: () => undefined, clock: t.clock });
    try {
      const before = server.runtime.keyring.activeKeyId;
      const rotation = runCli(['keys', 'rotate', '--grace-seconds', '3', '--remove-old'], t.env, { cwd: t.dir });
      // The watcher reloads the file during the grace period, before anything asks for the new key.
      let seen = before;
      for (let i = 0; i < 100 && seen === before; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        seen = server.runtime.keyring.activeKeyId;
      }
      expect(seen).not.toBe(before);
      const result = await rotation;
      expect(result.code).toBe(0);
      // The removal of the old key reaches the server the same way.
      for (let i = 0; i < 50 && server.runtime.keyring.dataKeyIds.length > 1; i += 1) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(server.runtime.keyring.dataKeyIds).toEqual([seen]);
      // Through the running server: it decrypts what was re-encrypted and encrypts under the new key.
      const users = await fetch(`http://127.0.0.1:${port}/api/users`, { headers: { cookie: cookieHeader(admin.cookies) } });
      expect(users.status).toBe(200);
      const body = (await users.json()) as { users: { id: string; realName?: string }[] };
      expect(body.users.find((u) => u.id === admin.userId)?.realName).toBe('孙悟空');
      const added = await fetch(`http://127.0.0.1:${port}/api/operations/do-not-call`, {
        method: 'POST',
        headers: { cookie: cookieHeader(admin.cookies), 'x-csrf-token': admin.csrf, 'content-type': 'application/json' },
        body: JSON.stringify({ number: '+8613900004444' }),
      });
      expect(added.status).toBe(201);
      const { id } = (await added.json()) as { id: string };
      const row = await t.runtime.connection.db.selectFrom('do_not_call').select('phone_enc').where('id', '=', id).executeTakeFirstOrThrow();
      expect(Keyring.keyIdOf(row.phone_enc)).toBe(seen);
    } finally {
      await server.close();
    }
  });
});
