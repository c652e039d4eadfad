import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDoNotCall } from '../../../src/domain/operations/do-not-call';
import { REPORT_PROBLEM_LIMIT, importCallList } from '../../../src/domain/operations/import-call-list';
import { openImportReport } from '../../../src/domain/operations/import-report';
import { doNotCallNumber, expectedProblem, numberForRow, planRow, plannedCounts, plannedProblemCounts } from '../../support/call-list-csv';
import { HEAP_SAMPLE_ROWS, startImportChild } from '../../support/import-child';
import { type TestHotline, startTestHotline, testDatabase } from '../../support/test-runtime';

/**
 * Must-be-shown 1: a CSV of 100,000 numbers with invalid numbers, rows with too few or too many
 * fields, misplaced quotes, repeats within the file, numbers already in a list and numbers on the
 * do-not-call list. Imported by a separate process (with --expose-gc, to sample the heap after forced
 * collections), once killed halfway and once to the end.
 */
const ROWS = 100_000;
/** How much the heap may move between samples after gc while 100,000 rows stream through. */
const HEAP_BOUND_BYTES = 6 * 1024 * 1024;
const MB = 1024 * 1024;

let t: TestHotline;

async function entryCount(): Promise<number> {
  return t.runtime.store.operations.callLists.entryCount();
}

/** Staged rows that hold a number (valid rows), of one import or of all. */
async function stagedNumbers(importId?: string): Promise<number> {
  let query = t.runtime.store.kysely
    .selectFrom('call_list_import_rows')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('problem', 'is', null);
  if (importId) query = query.where('import_id', '=', importId);
  return Number((await query.executeTakeFirstOrThrow()).n);
}

beforeAll(async () => {
  t = await startTestHotline();
  for (let k = 0; k < 3; k += 1) await addDoNotCall(t.runtime, { actor: null, number: doNotCallNumber(k) });
  // A list already holding the numbers of rows 1 and 2.
  const earlier = Readable.from(['number,organization,category\n', `${numberForRow(1)},Earlier org,police\n`, `${numberForRow(2)},Earlier school,school\n`]);
  expect((await importCallList(t.runtime, { actor: null, name: 'Earlier list', source: earlier, commit: true })).accepted).toBe(2);
});
afterAll(async () => {
  await t.close();
});

describe(`importing ${ROWS.toLocaleString('en')} numbers on ${testDatabase}`, () => {
  it('a crash (kill -9) halfway through the file leaves no list and no new numbers', async () => {
    const child = startImportChild(t.env, t.dir, { rows: ROWS, name: 'Crashed' });
    await child.staged(ROWS / 2);
    child.kill();
    await expect(child.done).rejects.toThrow('SIGKILL');
    expect((await t.runtime.store.operations.callLists.lists()).map((list) => list.name)).toEqual(['Earlier list']);
    expect(await entryCount()).toBe(2);
    // Its staged rows are still there (swept an hour later), and count for nothing.
    expect(await stagedNumbers()).toBeGreaterThan(ROWS / 2 - 4000);
  }, 300_000);

  it('imports every valid new number once, reports every refused row by line and reason, and keeps memory flat', async () => {
    const result = await startImportChild(t.env, t.dir, { rows: ROWS, name: 'County offices' }).done;
    const planned = plannedCounts(ROWS);
    const { report } = result;
    expect(report.committed).toBe(true);
    expect(report.rows).toBe(ROWS);
    // rows 1 and 2 are in the earlier list; the crashed import's staged rows changed nothing
    expect(report.byProblem).toEqual(plannedProblemCounts(ROWS, 2));
    expect(report.accepted).toBe(planned.ok - 2);
    expect(report.refused).toBe(ROWS - planned.ok + 2);
    expect(report.refused).toBeGreaterThan(REPORT_PROBLEM_LIMIT);
    expect(report.problems).toHaveLength(REPORT_PROBLEM_LIMIT);
    expect(report.problemsTruncated).toBe(true);

    // The full report: exactly the refused rows, each with its line and reason, in file order.
    const reader = await openImportReport(t.runtime, { actor: null, reportId: report.reportId });
    expect(reader.refused).toBe(report.refused);
    let row = 0;
    let listed = 0;
    for await (const problem of reader.rows()) {
      row += 1;
      while (row <= ROWS && row > 2 && expectedProblem(row) === null) row += 1;
      const expected = row <= 2 ? { problem: 'ALREADY_IN_LIST' } : expectedProblem(row);
      expect(problem.line, `refused row ${listed + 1}`).toBe(row + 1);
      expect(problem).toMatchObject(expected!);
      listed += 1;
    }
    expect(listed).toBe(report.refused);
    let csv = '';
    for await (const chunk of reader.csv()) csv += chunk;
    expect(csv.split('\n')).toHaveLength(report.refused + 2);
    // No number in it: only line numbers, reasons and references (a list id may hold digit runs of its own).
    const withoutReferences = csv.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '');
    expect(withoutReferences).not.toMatch(/\d{7}/);

    // Dedupe: the stored rows are exactly the first occurrence of every new, callable number.
    const entries = await t.runtime.store.kysely.selectFrom('call_list_entries').select('id').where('list_id', '=', report.listId!).execute();
    const storedRows = new Set(entries.map((entry) => Number(entry.id.slice(entry.id.lastIndexOf(':') + 1))));
    expect(storedRows.size).toBe(report.accepted);
    for (let r = 3; r <= ROWS; r += 1) if (storedRows.has(r) !== (planRow(r) === 'ok')) throw new Error(`row ${r} (${planRow(r)}) stored: ${storedRows.has(r)}`);
    expect(await entryCount()).toBe(2 + report.accepted);
    expect((await t.runtime.store.operations.callLists.findList(report.listId!))?.entry_count).toBe(report.accepted);
    // No staged number of this import is left behind.
    expect(await stagedNumbers(report.reportId)).toBe(0);

    // Memory: the heap after a forced collection stays within a small band from the first 10,000
    // rows to the last, and after the commit (a leak of a few bytes per row would pass 6 MB).
    const samples = result.heapAfterGc;
    expect(samples.map((sample) => sample.rows)).toEqual(Array.from({ length: ROWS / HEAP_SAMPLE_ROWS + 1 }, (_, i) => i * HEAP_SAMPLE_ROWS));
    const steady = [...samples.slice(1).map((sample) => sample.bytes), result.heapAfterCommit];
    const spread = Math.max(...steady) - Math.min(...steady);
    expect(spread, `heap after gc, MB: ${steady.map((bytes) => (bytes / MB).toFixed(1)).join(' ')}`).toBeLessThan(HEAP_BOUND_BYTES);
    console.log(
      `100k import on ${testDatabase}: ${result.seconds.toFixed(1)} s; heap after gc ${steady.map((bytes) => (bytes / MB).toFixed(1)).join(' / ')} MB (spread ${(spread / MB).toFixed(1)} MB)`,
    );
  }, 400_000);
});
