import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDoNotCall } from '../../../src/domain/operations/do-not-call';
import { importCallList } from '../../../src/domain/operations/import-call-list';
import { callListCsv, doNotCallNumber, duplicateSource, planRow, plannedCounts } from '../../support/call-list-csv';
import { rawDatabaseBytes } from '../../support/raw-database';
import { type TestHotline, startTestHotline } from '../../support/test-runtime';

const ROWS = 5000;
let t: TestHotline;

async function stagedRowCount(): Promise<number> {
  const row = await t.runtime.store.kysely
    .selectFrom('call_list_import_rows')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

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
            if (n === 4) throw new Error('disk full (injected)');
          },
        },
      }),
    ).rejects.toThrow('disk full');
    expect(await t.runtime.store.operations.callLists.entryCount()).toBe(2);
    expect((await t.runtime.store.operations.callLists.lists()).map((list) => list.name)).toEqual(['Earlier list']);
    expect(await stagedRowCount()).toBe(0);
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
    expect(await stagedRowCount()).toBe(0);
  });

  it('a preview reports every refused row and writes no list', async () => {
    const report = await importCallList(t.runtime, { actor: null, name: 'Preview', source: callListCsv(ROWS), commit: false });
    const planned = plannedCounts(ROWS);
    expect(report.committed).toBe(false);
    expect(report.listId).toBeNull();
    expect(report.rows).toBe(ROWS);
    // rows 1 and 2 are already in the earlier list
    expect(report.byProblem).toEqual({
      NUMBER_INVALID: planned.malformed,
      DUPLICATE_IN_FILE: planned.duplicate,
      DO_NOT_CALL: planned.do_not_call,
      ALREADY_IN_LIST: 2,
    });
    expect(report.accepted).toBe(planned.ok - 2);
    expect(report.problems[0]).toEqual({ line: 2, problem: 'ALREADY_IN_LIST', ref: expect.any(String) });
    expect(report.problems).toContainEqual({ line: 98, problem: 'NUMBER_INVALID' });
    expect(report.problems).toContainEqual({ line: 102, problem: 'DUPLICATE_IN_FILE', ref: `line ${duplicateSource(101) + 1}` });
    expect(report.problems).toContainEqual({ line: 1010, problem: 'DO_NOT_CALL' });
    expect(planRow(1009)).toBe('do_not_call');
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

  it('refuses a file without a number column with a clear error', async () => {
    const source = Readable.from(['telephone number,org\n', '1,2\n']);
    await expect(importCallList(t.runtime, { actor: null, name: 'x', source, commit: true })).rejects.toThrow('"number" column');
  });
});
