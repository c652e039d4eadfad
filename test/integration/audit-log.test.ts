import { readFileSync, rmSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditLog } from '../../src/domain/audit/verify-audit-log';
import { runCli } from '../support/cli';
import { signUpStaff } from '../support/staff';
import { type TestHotline, startTestHotline } from '../support/test-runtime';

let t: TestHotline;
beforeAll(async () => {
  t = await startTestHotline();
  // Enough activity to make a chain of a few dozen rows.
  for (const role of ['admin', 'volunteer', 'coordinator', 'auditor'] as const) await signUpStaff(t, role, { realName: '孙八' });
});
afterAll(async () => {
  await t.close();
});

const db = () => t.runtime.connection.db;

describe('hotline audit verify', () => {
  it('passes on an untouched log, which holds ids and never decrypted values', async () => {
    const result = await runCli(['audit', 'verify'], t.env, { cwd: t.dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Audit log intact: \d+ row\(s\) verified/);
    const rows = await t.runtime.store.audit.page(0, 1000);
    expect(rows.length).toBeGreaterThanOrEqual(12);
    expect(JSON.stringify(rows)).not.toContain('孙八');
  });

  it('names the row that was edited by hand', async () => {
    const original = await db().selectFrom('audit_log').selectAll().where('seq', '=', 5).executeTakeFirstOrThrow();
    await sql`update audit_log set action = 'user.nothing-happened' where seq = 5`.execute(db());
    const result = await runCli(['audit', 'verify'], t.env, { cwd: t.dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('FAILED at row 5: audit row 5 was altered');
    await sql`update audit_log set action = ${original.action} where seq = 5`.execute(db());
    expect((await verifyAuditLog(t.runtime)).ok).toBe(true);
  });

  it('names the row that was deleted, in the middle or at the end', async () => {
    await sql`delete from audit_log where seq = 7`.execute(db());
    const middle = await runCli(['audit', 'verify'], t.env, { cwd: t.dir });
    expect(middle.code).toBe(1);
    expect(middle.stderr).toContain('FAILED at row 7: audit row 7 is missing');

    const last = await db().selectFrom('audit_log').select('seq').orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    await sql`delete from audit_log where seq >= 7`.execute(db());
    const end = await verifyAuditLog(t.runtime);
    expect(end).toMatchObject({ ok: false, seq: 7, problem: 'missing' });
    expect(end.ok ? '' : end.message).toContain(`audit rows 7 to ${last.seq} are missing`);
  });

  it('detects a row rewritten with a recomputed plain hash (the MAC needs the audit key)', async () => {
    await sql`update audit_log set details = '{}' where seq = 2`.execute(db());
    expect(await verifyAuditLog(t.runtime)).toMatchObject({ ok: false, seq: 2, problem: 'altered' });
  });
});

describe('cutting the newest rows off and rewriting the head kept in the database', () => {
  let u: TestHotline;
  beforeAll(async () => {
    u = await startTestHotline();
    for (const role of ['admin', 'volunteer'] as const) await signUpStaff(u, role);
  });
  afterAll(async () => {
    await u.close();
  });

  it('is caught by the head kept outside the database, which names the missing rows', async () => {
    const db = u.runtime.connection.db;
    const last = await db.selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    // Every commit moved the head file forward; "audit head" prints the same head for safekeeping.
    expect(JSON.parse(readFileSync(u.config.auditHeadFile, 'utf8'))).toMatchObject({ seq: last.seq, mac: last.mac });
    const printed = await runCli(['audit', 'head'], u.env, { cwd: u.dir });
    expect(printed.code).toBe(0);
    expect(printed.stdout).toBe(`${last.seq}:${last.mac}\n`);
    const intact = await runCli(['audit', 'verify'], u.env, { cwd: u.dir });
    expect(intact.stdout).toContain(`It still holds row ${last.seq}, the head recorded in ${u.config.auditHeadFile}.`);

    // Someone with the database (not the key file's folder) deletes the last three rows and makes
    // the head in `meta` agree, so the chain and its in-database head are consistent again.
    await sql`delete from audit_log where seq > ${last.seq - 3}`.execute(db);
    const cut = await db.selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    await sql`update meta set value = ${`${cut.seq}:${cut.mac}`} where key = 'audit_head'`.execute(db);

    const caught = await runCli(['audit', 'verify'], u.env, { cwd: u.dir });
    expect(caught.code).toBe(1);
    expect(caught.stderr).toBe(
      `hotline: audit log verification FAILED at row ${last.seq - 2}: audit rows ${last.seq - 2} to ${last.seq} are missing (deleted from the end): the chain ends at row ${cut.seq}, but the head file ${u.config.auditHeadFile} recorded row ${last.seq}\n`,
    );
    expect(await verifyAuditLog(u.runtime)).toMatchObject({ ok: false, seq: last.seq - 2, problem: 'missing' });

    // Without the head file, the head printed earlier does the same job.
    rmSync(u.config.auditHeadFile);
    const unanchored = await runCli(['audit', 'verify'], u.env, { cwd: u.dir });
    expect(unanchored.code).toBe(0);
    expect(unanchored.stdout).toContain('No head recorded outside the database');
    const expected = await runCli(['audit', 'verify', '--expect', printed.stdout.trim()], u.env, { cwd: u.dir });
    expect(expected.code).toBe(1);
    expect(expected.stderr).toContain(`audit rows ${last.seq - 2} to ${last.seq} are missing (deleted from the end): the chain ends at row ${cut.seq}, but the head given with --expect recorded row ${last.seq}`);
    const garbled = await runCli(['audit', 'verify', '--expect', 'yesterday'], u.env, { cwd: u.dir });
    expect(garbled.code).toBe(1);
    expect(garbled.stderr).toContain('hotline: expected an audit head such as 1234:');

    // After a deliberate restore from a backup, the head file is reset to the restored chain.
    const reset = await runCli(['audit', 'head', '--write'], u.env, { cwd: u.dir });
    expect(reset.stdout).toBe(`${cut.seq}:${cut.mac}\n`);
    expect((await runCli(['audit', 'verify'], u.env, { cwd: u.dir })).code).toBe(0);
  }, 120_000);
});
