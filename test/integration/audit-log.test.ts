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
