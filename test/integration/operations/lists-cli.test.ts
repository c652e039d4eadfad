import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli';
import { type TestHotline, startTestHotline } from '../../support/test-runtime';

let t: TestHotline;
beforeAll(async () => {
  t = await startTestHotline();
});
afterAll(async () => {
  await t.close();
});

describe('hotline lists import', () => {
  it('previews, then imports a CSV with a report of refused rows, and refuses a do-not-call number', async () => {
    const file = path.join(t.dir, 'list.csv');
    writeFileSync(file, 'number,organization,category,region\n+86 138 0013 8000,Police,police,\n0731 8888 1234,County office,county government,\n12,Short,police,\n+86 139 1234 5678,Home,home,\n');
    const dnc = await runCli(['lists', 'do-not-call', 'add', '+86 139 1234 5678'], t.env);
    expect(dnc.stdout).toContain('Added to the do-not-call list');
    const preview = await runCli(['lists', 'import', file, '--name', 'Hunan', '--preview'], t.env);
    expect(preview.stderr).toBe('');
    expect(preview.code).toBe(0);
    expect(preview.stdout).toContain('2 of 4 row(s) would be imported');
    expect(await t.runtime.store.operations.callLists.entryCount()).toBe(0);
    const result = await runCli(['lists', 'import', file, '--name', 'Hunan'], t.env);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('2 of 4 row(s) accepted, 2 refused');
    expect(result.stdout).toMatch(/line 4: NUMBER_(TOO_SHORT|INVALID)/);
    expect(result.stdout).toContain('line 5: DO_NOT_CALL');
    expect(result.stdout).not.toContain('1234 5678');
    expect(result.stdout).toContain(`Every refused row (line, problem, reference; no numbers) is in ${file}.errors.csv`);
    const errors = readFileSync(`${file}.errors.csv`, 'utf8');
    expect(errors).toMatch(/^line,problem,reference\n4,NUMBER_(TOO_SHORT|INVALID),\n5,DO_NOT_CALL,\n$/);
    expect(await t.runtime.store.operations.callLists.entryCount()).toBe(2);
    // the CLI forgets the stored report once the file is written
    expect(await t.runtime.store.kysely.selectFrom('call_list_import_rows').selectAll().execute()).toEqual([]);
    const missing = await runCli(['lists', 'import', path.join(t.dir, 'nope.csv'), '--name', 'x'], t.env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Cannot read');
  }, 60_000);
});
