import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDoNotCall } from '../../../src/domain/operations/do-not-call';
import { importCallList } from '../../../src/domain/operations/import-call-list';
import { openImportReport } from '../../../src/domain/operations/import-report';
import { AppError } from '../../../src/shared/app-error';
import { callListCsv, doNotCallNumber, duplicateSource, expectedProblem, planRow, plannedCounts, plannedProblemCounts } from '../../support/call-list-csv';
import { rawDatabaseBytes } from '../../support/raw-database';
import { type TestHotline, startTestHotline } from '../../support/test-runtime';

const ROWS = 5000;
let t: TestHotline;

/** Staged rows holding a number (valid rows); refused rows (line and reason only) stay for the full report. */
async function stagedRowCount(): Promise<number> {
  const row = await t.runtime.store.kysely
    .selectFrom('call_list_import_rows')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('phone_enc', 'is not', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function allStagedRowCount(): Promise<number> {
  const row = await t.runtime.store.kysely
    .selectFrom('call_list_import_rows')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

const csv = (...lines: string[]) => Readable.from([`${lines.join('\n')}\n`]);

beforeAll(async () => {
  t = await startTestHotline();
  for (let k = 0; k < 3; k += 1) await addDoNotCall(t.runtime, { actor: null, number: doNotCallNumber(k) });
  // A list already holding two numbers that the big file repeats (rows 1 and 2).
  const earlier = Readable.from(['number,organization,category\n', '+86 138 000 00001,Earlier org,police\n', '0731 80000002,Earlier school,school\n']);
  const report = await importCallList(t.runtime, { actor: null, name: 'Earlier list', source: earlier, commit: true });
  expect(report.accepted).toBe(2);
});
afterAll(async () => {
  await t.close();
});

describe(`importing a ${ROWS}-row call list`, () => {
  it('a failure in the middle of staging leaves nothing behind: no list, no entries, no staged rows', async () => {
    await expect(
      importCallList(t.runtime, {
        actor: null,
        name: 'Broken',
        source: callListCsv(ROWS),
        commit: true,
        faults: {
          afterBatch: (n) => {
            if (n === 2) throw new Error('disk full (injected)');
          },
        },
      }),
    ).rejects.toThrow('disk full');
    expect(await t.runtime.store.operations.callLists.entryCount()).toBe(2);
    expect((await t.runtime.store.operations.callLists.lists()).map((list) => list.name)).toEqual(['Earlier list']);
    expect(await allStagedRowCount()).toBe(0);
  });

  it('a failure inside the final commit rolls the whole list back', async () => {
    await expect(
      importCallList(t.runtime, {
        actor: null,
        name: 'Broken at commit',
        source: callListCsv(ROWS),
        commit: true,
        faults: {
          beforeCommitEnds: () => {
            throw new Error('connection lost (injected)');
          },
        },
      }),
    ).rejects.toThrow('connection lost');
    expect(await t.runtime.store.operations.callLists.entryCount()).toBe(2);
    expect(await t.runtime.store.operations.callLists.lists()).toHaveLength(1);
    expect(await allStagedRowCount()).toBe(0);
  });

  it('a preview reports every refused row and writes no list', async () => {
    const report = await importCallList(t.runtime, { actor: null, name: 'Preview', source: callListCsv(ROWS), commit: false });
    const planned = plannedCounts(ROWS);
    expect(report.committed).toBe(false);
    expect(report.listId).toBeNull();
    expect(report.rows).toBe(ROWS);
    // rows 1 and 2 are already in the earlier list
    expect(report.byProblem).toEqual(plannedProblemCounts(ROWS, 2));
    expect(report.accepted).toBe(planned.ok - 2);
    expect(report.problems[0]).toEqual({ line: 2, problem: 'ALREADY_IN_LIST', ref: expect.any(String) });
    expect(report.problems).toContainEqual({ line: 98, problem: 'NUMBER_INVALID' });
    expect(report.problems).toContainEqual({ line: 102, problem: 'DUPLICATE_IN_FILE', ref: `line ${duplicateSource(101) + 1}` });
    expect(report.problems).toContainEqual({ line: 1010, problem: 'DO_NOT_CALL' });
    expect(planRow(1009)).toBe('do_not_call');
    // A row with too few fields is refused alone: the next row is accepted (no cascade).
    expect([planRow(503), planRow(504), planRow(709), planRow(4001)]).toEqual(['short_row', 'ok', 'long_row', 'bad_quote']);
    expect(report.problems).toContainEqual({ line: 504, problem: 'ROW_MALFORMED' });
    expect(report.problems.map((row) => row.line)).not.toContain(505);
    expect(report.problems).toContainEqual({ line: 710, problem: 'ROW_MALFORMED' });
    expect(report.problems).toContainEqual({ line: 4002, problem: 'ROW_QUOTES_INVALID' });
    // every refused row, with its reason, and no other
    const expected = Array.from({ length: ROWS }, (_, i) => i + 1).flatMap((row) => {
      const problem = row <= 2 ? { problem: 'ALREADY_IN_LIST' as const } : expectedProblem(row);
      return problem ? [{ line: row + 1, ...problem }] : [];
    });
    expect(report.problems.map(({ line, problem, ref }) => (problem === 'ALREADY_IN_LIST' ? { line, problem } : { line, problem, ...(ref ? { ref } : {}) }))).toEqual(expected);
    expect(await t.runtime.store.operations.callLists.entryCount()).toBe(2);
    expect(await stagedRowCount()).toBe(0);
  });

  it('an import stores exactly the valid, new numbers, encrypted, and a second import of the same file adds nothing', async () => {
    const progress: number[] = [];
    const report = await importCallList(t.runtime, {
      actor: null,
      name: 'County offices',
      source: callListCsv(ROWS),
      commit: true,
      onProgress: (n) => progress.push(n),
    });
    const planned = plannedCounts(ROWS);
    expect(report.committed).toBe(true);
    expect(report.accepted).toBe(planned.ok - 2);
    expect(progress.at(-1)).toBe(ROWS);
    expect(await t.runtime.store.operations.callLists.entryCount()).toBe(planned.ok);
    expect(await stagedRowCount()).toBe(0);

    const again = await importCallList(t.runtime, { actor: null, name: 'Same again', source: callListCsv(ROWS), commit: true });
    expect(again.accepted).toBe(0);
    // a repeated row of a number that is already listed is reported as listed too
    expect(again.byProblem.ALREADY_IN_LIST).toBe(planned.ok + planned.duplicate);
    expect(await t.runtime.store.operations.callLists.entryCount()).toBe(planned.ok);

    const raw = rawDatabaseBytes(t);
    expect(raw.includes('8613800000003')).toBe(false);
    expect(raw.includes('Org 3')).toBe(false);
  });

  it('reads each row on its own: a row with too many or too few fields, or a stray quote, is refused and the rows after it are stored', async () => {
    const report = await importCallList(t.runtime, {
      actor: null,
      name: 'Small',
      commit: true,
      source: csv(
        'number,organization,category,region',
        '+86 137 1000 0001,Short row,police',
        '+86 137 1000 0002,Fine,police,',
        '+86 137 1000 0003,Long row,police,,extra',
        '+86 137 1000 0004,Fine too,court,',
        '+86 137 1000 0005,The "Red" Office,school,',
        '"+86 137 1000 0006"x,Text after a quote,school,',
        '+86 137 1000 0007,"A ""quoted"", proper name",school,',
        '+86 137 1000 0008,"Two',
        'lines",company,',
        '+86 137 1000 0009,,company,',
      ),
    });
    expect(report.problems).toEqual([
      { line: 2, problem: 'ROW_MALFORMED' },
      { line: 4, problem: 'ROW_MALFORMED' },
      { line: 6, problem: 'ROW_QUOTES_INVALID' },
      { line: 7, problem: 'ROW_QUOTES_INVALID' },
      // the quoted field ran over lines 9-10: the next row starts on line 11
      { line: 11, problem: 'ORGANIZATION_MISSING' },
    ]);
    expect(report).toMatchObject({ rows: 9, accepted: 4, refused: 5, committed: true });
    const entries = await t.runtime.store.operations.callLists.entries(report.listId!, null, 10);
    expect(entries).toHaveLength(4);
    const reader = await openImportReport(t.runtime, { actor: null, reportId: report.reportId });
    expect(reader.refused).toBe(5);
    let text = '';
    for await (const chunk of reader.csv()) text += chunk;
    expect(text).toBe('line,problem,reference\n2,ROW_MALFORMED,\n4,ROW_MALFORMED,\n6,ROW_QUOTES_INVALID,\n7,ROW_QUOTES_INVALID,\n11,ORGANIZATION_MISSING,\n');
  });

  it('an unreadable CSV (a quote never closed, rows run together) gets a clear error with the line, and stores nothing', async () => {
    const before = await t.runtime.store.operations.callLists.entryCount();
    const listsBefore = (await t.runtime.store.operations.callLists.lists()).length;
    const cases = [
      { lines: ['number,organization,category', '+86 137 2000 0001,Fine,police', '"+86 137 2000 0002,Never closed,police', '+86 137 2000 0003,After,police'], line: 3, reason: 'QUOTE_NOT_CLOSED' },
      { lines: ['number,organization,category', '+86 137 2000 0001,Fine,police', '+86 137 2000 0002,"Opened,police', '+86 137 2000 0003,Closed",police,x', '+86 137 2000 0004,After,police'], line: 3, reason: 'QUOTES_BROKEN_ACROSS_LINES' },
      { lines: ['number,organization,category', `+86 137 2000 0001,"${'x'.repeat(5000)}`, 'a,b,c'], line: 2, reason: 'ROW_TOO_LONG' },
    ];
    for (const { lines, line, reason } of cases) {
      const error = await importCallList(t.runtime, { actor: null, name: 'Unreadable', commit: true, source: csv(...lines) }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('CSV_UNREADABLE');
      expect((error as AppError).details).toEqual({ line, reason });
      expect((error as AppError).message).toContain(`line ${line}`);
      expect((error as AppError).message).toContain('Nothing was stored');
    }
    expect(await t.runtime.store.operations.callLists.entryCount()).toBe(before);
    expect(await t.runtime.store.operations.callLists.lists()).toHaveLength(listsBefore);
    expect(await stagedRowCount()).toBe(0);
  });

  it('refuses a file without a number column with a clear error', async () => {
    const source = Readable.from(['telephone number,org\n', '1,2\n']);
    await expect(importCallList(t.runtime, { actor: null, name: 'x', source, commit: true })).rejects.toThrow('"number" column');
  });
});
