import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateRows, writeStatements } from '../../../bench/generate-statements';
import { checkpointPathOf, errorsPathOf } from '../../../src/domain/import/import-checkpoint';
import { importStatements } from '../../../src/domain/import/import-statements';
import { rowFromCsv } from '../../../src/domain/import/statement-row';
import { prepareImportRow } from '../../../src/domain/import/store-import-batch';
import { runCli } from '../../support/cli';
import { EntryAuditor } from '../../../src/domain/transparency/entry-audit';
import { verifyLog } from '../../../src/tlog/monitor';
import { rawDatabaseBytes } from '../../support/raw-database';
import { type TestHotline, startTestHotline } from '../../support/test-runtime';

const HEADER = 'id,registered_at,name_kind,name,cohorts,region,occupation,channel,provenance,relation,text';

/** A small file: good rows (an individual, a group of 19, a real name) and one bad row of each kind. */
const SMALL_CSV = [
  HEADER,
  'A-1,2019-03-02,pseudonym,金福,1:party+league+pioneers,110105,police,hotline,personal,,声明退出中共',
  'A-2,2019-03-02T23:30:00+08:00,pseudonym,万顺,8:party;11:league+pioneers,430621,government,outbound,personal,,"会议室里十九人,一起退出"',
  'A-3,2020-07-15T01:00:00Z,real,王小明,1:league,440300,,web,self,,"多行的\n声明"',
  'B-1,2020-07-15,pseudonym,平安,1:party,999999,,web,self,,unknown region',
  'B-2,2020-07-15,pseudonym,111,1:party,110000,,web,self,,careless pseudonym',
  'B-3,2020-07-15,pseudonym,如意,many:party,110000,,web,self,,wrong type',
  'B-4,2020-07-15,real,李大伟,1:party,110000,,,self,,missing channel',
  'B-5,not-a-date,pseudonym,吉祥,1:party,110000,,web,self,,bad date',
  'A-4,2021-01-01,pseudonym,吉祥,2:pioneers,abroad,,letter,named_by_other,同事,',
  'B-6,2021-01-01,pseudonym,吉祥',
  'B-7,2021-01-01,pseudonym,习近平,1:party,110000,,web,self,,mocking pseudonym',
  '',
].join('\n');

describe('hotline import statements', () => {
  let t: TestHotline;
  beforeAll(async () => {
    t = await startTestHotline();
  });
  afterAll(async () => {
    await t.close();
  });

  async function counter(dimension: string, key: string) {
    const rows = await t.runtime.store.registry.counters.read([dimension]);
    return rows.find((row) => row.key === key) ?? { people: 0, party: 0, league: 0, pioneers: 0 };
  }

  it('imports the good rows, names each bad row by line with its reason, and moves the counters by the original dates', async () => {
    const file = path.join(t.dir, 'small.csv');
    writeFileSync(file, SMALL_CSV);
    const before = await counter('total', '');
    const result = await runCli(['import', 'statements', file], t.env, { cwd: t.dir });
    expect(result.stderr).not.toContain('unexpected');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('4 imported, 0 skipped (already stored), 7 bad');

    const errors = readFileSync(errorsPathOf(file), 'utf8').trim().split('\n');
    expect(errors[0]).toBe('line,id,reason');
    const byLine = new Map(errors.slice(1).map((line) => [Number(line.split(',')[0]), line]));
    // Line 4 holds a two-line record, so the bad rows start at line 6.
    expect([...byLine.keys()]).toEqual([6, 7, 8, 9, 10, 12, 13]);
    expect(byLine.get(6)).toMatch(/B-1,"?region: expected a region code/);
    expect(byLine.get(7)).toMatch(/B-2,"?name: /);
    expect(byLine.get(8)).toMatch(/B-3,"?cohorts: /);
    expect(byLine.get(9)).toMatch(/B-4,"?channel: /);
    expect(byLine.get(10)).toMatch(/B-5,"?registered_at: /);
    expect(byLine.get(12)).toMatch(/fields|missing column/);
    expect(byLine.get(13)).toMatch(/B-7,"?name: .*leader/);
    // The errors file never repeats a name.
    expect(errors.join('\n')).not.toContain('李大伟');

    // 1 + 19 + 1 + 2 people; the day counters use the original dates in China Standard Time.
    const total = await counter('total', '');
    expect(total.people - before.people).toBe(23);
    expect(total.party - before.party).toBe(1 + 8);
    expect(total.league - before.league).toBe(1 + 11 + 1);
    expect(total.pioneers - before.pioneers).toBe(1 + 11 + 2);
    expect((await counter('day', '2019-03-02')).people).toBe(20);
    expect((await counter('day', '2020-07-15')).people).toBe(1);
    expect((await counter('day', '2021-01-01')).people).toBe(2);
    expect((await counter('province', '430000')).people).toBe(19);
    expect((await counter('province', 'abroad')).people).toBe(2);
    expect((await counter('channel', 'outbound')).people).toBe(19);

    const stored = await t.runtime.store.registry.statements.findByClientId('import:A-3');
    expect(stored?.public_name).toBe('王*明');
    expect(stored?.status).toBe('published');
    expect(stored?.published_day).toBe('2020-07-15');
    expect(t.runtime.keyring.decrypt(stored!.real_name_enc!, 'statements.real_name')).toBe('王小明');
    expect(stored?.text).toBe('多行的\n声明');

    // Running it again does nothing: the checkpoint says it is complete.
    const again = await runCli(['import', 'statements', file], t.env, { cwd: t.dir });
    expect(again.stdout).toContain('already imported completely');
    expect((await counter('total', '')).people - before.people).toBe(23);

    // Every batch left one audit row with counts and source ids, never a name.
    const audit = (await t.runtime.store.audit.recent(50)).filter((row) => row.action === 'statements.imported');
    expect(audit.length).toBeGreaterThan(0);
    expect(audit.map((row) => row.details).join(' ')).not.toMatch(/王小明|金福|万顺/);
  });

  it('reads JSONL on a second thread, and refuses bad lines by number', async () => {
    const file = path.join(t.dir, 'small.jsonl');
    const good = { id: 'J-1', registeredAt: '2022-05-01', nameKind: 'pseudonym', name: '如意', cohorts: [{ count: 3, organizations: ['league'] }], region: '310000', channel: 'email', provenance: { kind: 'self' } };
    writeFileSync(
      file,
      [JSON.stringify(good), '{not json', JSON.stringify({ ...good, id: 'J-2', cohorts: [{ count: 'three', organizations: ['league'] }] }), '', JSON.stringify({ ...good, id: 'J-3', registeredAt: Date.UTC(2022, 4, 2, 3) })].join('\n'),
    );
    const before = await counter('day', '2022-05-01');
    await t.app.services.log.sequenceNow();
    const publicBefore = (await t.app.inject({ method: 'GET', url: '/api/public/counters' })).json() as { total: { people: number; league: number } };
    const summary = await importStatements(t.runtime, { file, status: 'published', actorId: null, useSecondThread: true });
    expect(summary).toMatchObject({ imported: 2, skipped: 0, bad: 2 });
    const errors = readFileSync(errorsPathOf(file), 'utf8');
    expect(errors).toContain('2,,not valid JSON');
    expect(errors).toMatch(/\n3,J-2,"?cohorts\.0\.count: /);
    expect((await counter('day', '2022-05-01')).people - before.people).toBe(3);
    expect((await counter('day', '2022-05-02')).people).toBe(3);
    // The public total moves with the next signed checkpoint of the transparency log, which holds the imported statements.
    await t.app.services.log.sequenceNow();
    const publicAfter = (await t.app.inject({ method: 'GET', url: '/api/public/counters' })).json() as { total: { people: number; league: number } };
    expect(publicAfter.total.people - publicBefore.total.people).toBe(6);
    expect(publicAfter.total.league - publicBefore.total.league).toBe(6);
  });

  it('stores a row whose id comes twice in one batch once, counts it once, and reports the repeat as skipped', async () => {
    const file = path.join(t.dir, 'repeat.csv');
    writeFileSync(
      file,
      [HEADER, 'R-1,2023-04-05,pseudonym,金福,1:party,110105,,web,self,,第一次', 'R-2,2023-04-05,pseudonym,万顺,2:league,110105,,web,self,,', 'R-1,2023-04-05,pseudonym,金福,1:party,110105,,web,self,,第二次', ''].join('\n'),
    );
    const before = await counter('day', '2023-04-05');
    const summary = await importStatements(t.runtime, { file, status: 'published', actorId: null });
    expect(summary).toMatchObject({ imported: 2, skipped: 1, bad: 0, batches: 1 });
    const day = await counter('day', '2023-04-05');
    expect(day.people - before.people).toBe(3);
    expect(day.party - before.party).toBe(1);
    expect((await t.runtime.store.registry.statements.findByClientId('import:R-1'))?.text).toBe('第一次');
  });

  it('skips the rows of a batch already stored by an earlier file, stores the others numbered without gaps, and counts only them', async () => {
    const first = path.join(t.dir, 'overlap-1.csv');
    const second = path.join(t.dir, 'overlap-2.csv');
    const row = (id: string, cohorts: string, text = '') => `${id},2023-05-06,pseudonym,金福,${cohorts},110105,,web,self,,${text}`;
    writeFileSync(first, [HEADER, row('O-1', '1:party'), row('O-2', '2:league'), ''].join('\n'));
    writeFileSync(second, [HEADER, row('O-1', '1:party', '第二次'), row('O-3', '3:pioneers', '新的'), row('O-2', '2:league'), row('O-4', '4:party'), ''].join('\n'));
    const before = await counter('day', '2023-05-06');
    expect(await importStatements(t.runtime, { file: first, status: 'published', actorId: null })).toMatchObject({ imported: 2, skipped: 0 });
    const summary = await importStatements(t.runtime, { file: second, status: 'published', actorId: null });
    expect(summary).toMatchObject({ imported: 2, skipped: 2, bad: 0 });
    const day = await counter('day', '2023-05-06');
    expect(day.people - before.people).toBe(1 + 2 + 3 + 4);
    expect(day.pioneers - before.pioneers).toBe(3);
    expect((await t.runtime.store.registry.statements.findByClientId('import:O-1'))?.text).toBe('');
    expect((await t.runtime.store.registry.statements.findByClientId('import:O-3'))?.text).toBe('新的');
    const numbers = await Promise.all(['O-1', 'O-2', 'O-3', 'O-4'].map(async (id) => (await t.runtime.store.registry.statements.findByClientId(`import:${id}`))?.sequence));
    expect(numbers[2]).toBe((numbers[1] ?? 0) + 1);
    expect(numbers[3]).toBe((numbers[1] ?? 0) + 2);
    expect(await t.runtime.store.registry.statements.maxSequence()).toBe(await t.runtime.store.registry.statements.count());
  });

  it('checks each row’s field count on its own: a short first row and a long later one are refused, the rows around them stored', async () => {
    const file = path.join(t.dir, 'fields.csv');
    writeFileSync(
      file,
      [HEADER, 'F-1,2023-04-06,pseudonym', 'F-2,2023-04-06,pseudonym,如意,1:party,110105,,web,self,,', 'F-3,2023-04-06,pseudonym,平安,1:party,110105,,web,self,,,extra', 'F-4,2023-04-06,pseudonym,吉祥,1:league,110105,,web,self,,"两行\n文字"', 'F-5,2023-04-06,pseudonym,金福,1:party,110105,,web,self,,', ''].join('\n'),
    );
    const summary = await importStatements(t.runtime, { file, status: 'published', actorId: null });
    expect(summary).toMatchObject({ imported: 3, skipped: 0, bad: 2 });
    expect(readFileSync(errorsPathOf(file), 'utf8')).toBe('line,id,reason\n2,,expected 11 fields\n4,,expected 11 fields\n');
    expect((await t.runtime.store.registry.statements.findByClientId('import:F-5'))?.public_name).toBe('金福');
  });

  it('resumes after a crash (killed after a commit, before its checkpoint, and after a checkpoint) and stores each row exactly once', async () => {
    const file = path.join(t.dir, 'crash.csv');
    const count = 1_000;
    await writeStatements(file, count, 11, 37);
    const good = [...generateRows(count, 11, 37)]
      .map((row) => rowFromCsv(row, Date.now()))
      .flatMap((result) => (result.ok ? [prepareImportRow(t.runtime, result.row, 'published')] : []))
      .flatMap((row) => ('row' in row ? [row] : []));
    const expectedPeople = good.reduce((sum, row) => sum + row.row.people, 0);
    const before = await counter('total', '');
    const statementsBefore = await t.runtime.store.registry.statements.count();
    const args = ['import', 'statements', file, '--batch-size', '100'];

    const first = await runCli(args, { ...t.env, HOTLINE_IMPORT_CRASH_AFTER_BATCHES: '3', HOTLINE_IMPORT_CRASH_AT: 'commit' }, { cwd: t.dir });
    expect(first.code).not.toBe(0);
    const afterFirst = JSON.parse(readFileSync(checkpointPathOf(file), 'utf8')) as { batches: number; line: number };
    expect(afterFirst.batches).toBe(2);
    expect(afterFirst.line).toBe(201);

    const second = await runCli(args, { ...t.env, HOTLINE_IMPORT_CRASH_AFTER_BATCHES: '6' }, { cwd: t.dir });
    expect(second.code).not.toBe(0);
    const afterSecond = JSON.parse(readFileSync(checkpointPathOf(file), 'utf8')) as { batches: number; skipped: number };
    expect(afterSecond.batches).toBe(6);
    // Batch 3 was committed before the first crash: its rows are found by id and skipped.
    expect(afterSecond.skipped).toBe(good.filter((row) => Number(row.sourceId.slice(1)) > 200 && Number(row.sourceId.slice(1)) <= 300).length);

    const third = await runCli(args, t.env, { cwd: t.dir });
    expect(third.code).toBe(0);
    expect(third.stdout).toContain('Resumed and finished');

    expect((await t.runtime.store.registry.statements.count()) - statementsBefore).toBe(good.length);
    expect((await counter('total', '')).people - before.people).toBe(expectedPeople);
    for (const row of [good[0]!, good[250]!, good.at(-1)!]) {
      expect(await t.runtime.store.registry.statements.findByClientId(row.row.client_id!)).toBeDefined();
    }
    // Public numbers stay gapless across the crash.
    expect(await t.runtime.store.registry.statements.maxSequence()).toBe(await t.runtime.store.registry.statements.count());
    const errorLines = readFileSync(errorsPathOf(file), 'utf8').trim().split('\n').slice(1);
    expect(new Set(errorLines.map((line) => line.split(',')[0])).size).toBe(count - good.length);
    // Each bad row is named by its own line, before and after each resumption (row i is line i + 2).
    const ids = [...generateRows(count, 11, 37)].map((row) => row.id);
    for (const line of errorLines) expect(line.split(',')[1]).toBe(ids[Number(line.split(',')[0]) - 2]);
    expect(existsSync(checkpointPathOf(file))).toBe(true);
  }, 90_000);

  it('shares the work between two threads and stores exactly what one thread would, bad lines included', async () => {
    const file = path.join(t.dir, 'threads.csv');
    const count = 6_000;
    await writeStatements(file, count, 23, 29);
    // Ids of their own: the other tests of this file imported H000000001 and on already.
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^H(\d{9}),/gm, 'T$1,'));
    const expected = [...generateRows(count, 23, 29)].map((generated) => {
      const row = { ...generated, id: `T${(generated.id ?? '').slice(1)}` };
      const result = rowFromCsv(row, Date.now());
      const prepared = result.ok ? prepareImportRow(t.runtime, result.row, 'published') : undefined;
      return { id: row.id ?? '', prepared: prepared && 'row' in prepared ? prepared : undefined };
    });
    const good = expected.filter((row) => row.prepared !== undefined);
    const before = await counter('total', '');
    const statementsBefore = await t.runtime.store.registry.statements.count();

    // Two batches here while the thread starts, then the thread (and this thread, whenever idle).
    const summary = await importStatements(t.runtime, { file, status: 'published', actorId: null, batchSize: 200, useSecondThread: true, firstBatchesHere: 2 });
    expect(summary).toMatchObject({ imported: good.length, skipped: 0, bad: count - good.length, batches: 31 });
    expect(summary.batchesPreparedByThread).toBeGreaterThan(0);
    expect(summary.batchesPreparedByThread).toBeLessThanOrEqual(29);

    const errors = readFileSync(errorsPathOf(file), 'utf8').trim().split('\n').slice(1);
    expect(errors.map((line) => line.split(',')[1]).sort()).toEqual(expected.filter((row) => !row.prepared).map((row) => row.id).sort());
    // Line numbers stay right across the hand-over: the header is line 1, row i is line i + 2.
    for (const line of errors) expect(line.split(',')[1]).toBe(expected[Number(line.split(',')[0]) - 2]?.id);
    expect((await t.runtime.store.registry.statements.count()) - statementsBefore).toBe(good.length);
    expect((await counter('total', '')).people - before.people).toBe(good.reduce((sum, row) => sum + (row.prepared?.row.people ?? 0), 0));
    for (const row of [good[0]!, good[1_000]!, good.at(-1)!]) {
      expect(await t.runtime.store.registry.statements.findByClientId(row.prepared!.row.client_id!)).toMatchObject({ public_name: row.prepared!.row.public_name });
    }
    expect(await t.runtime.store.registry.statements.maxSequence()).toBe(await t.runtime.store.registry.statements.count());
  }, 90_000);

  it('shows a progress bar with rows/s on a terminal', async () => {
    const file = path.join(t.dir, 'progress.csv');
    await writeStatements(file, 3_000, 5, 41);
    // `script` gives the CLI a terminal, as an operator running it by hand has.
    const command = [process.execPath, path.resolve(import.meta.dirname, '../../../bin/hotline.js'), 'import', 'statements', file, '--batch-size', '500'];
    const result = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
      const child = spawn('script', ['-qefc', command.map((part) => `'${part}'`).join(' '), '/dev/null'], {
        cwd: t.dir,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', TERM: 'xterm', ...t.env },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.on('error', reject);
      child.on("close", (code) => resolve({ code, output }));
    });
    expect(result.code).toBe(0);
    // The bar is redrawn as batches commit: a part-way frame, then the finished one.
    expect(result.output).toMatch(/Importing \[[█░]+\] \d{1,2}% \| [\d.]+\/[\d.]+ MB \| [\d,]+ rows, [\d,]+ rows\/s/);
    expect(result.output).toMatch(/Importing \[█+\] 100% \| ([\d.]+)\/\1 MB \| 3,000 rows/);
    expect(result.output).toContain('Finished: ');
  }, 60_000);

  it('never stores a real name in plaintext', async () => {
    const file = path.join(t.dir, 'names.csv');
    const names = ['欧阳振华', '司马晓东', '诸葛明亮'];
    writeFileSync(file, [HEADER, ...names.map((name, i) => `N-${i},2023-02-0${i + 1},real,${name},1:party,320000,,hotline,personal,,`), ''].join('\n'));
    const summary = await importStatements(t.runtime, { file, status: 'pending', actorId: null });
    expect(readFileSync(errorsPathOf(file), 'utf8')).toBe('line,id,reason\n');
    expect(summary.imported).toBe(3);
    const raw = rawDatabaseBytes(t);
    for (const name of names) expect(raw.includes(Buffer.from(name, 'utf8'))).toBe(false);
    expect(raw.includes(Buffer.from('欧**华', 'utf8'))).toBe(true);
  });

  it('logs every imported statement that counts, once, even across a crash and replays: the log adds up to the counters', async () => {
    await t.app.services.log.sequenceNow();
    const auditor = new EntryAuditor();
    const verifierKey = (await t.app.inject({ method: 'GET', url: '/log/key' })).body.trim();
    const verified = await verifyLog({
      fetch: async (path) => {
        const response = await t.app.inject({ method: 'GET', url: `/log/${path}` });
        return response.statusCode === 200 ? response.rawPayload : undefined;
      },
      verifierKey,
      onEntry: (index, entry) => auditor.add(index, entry),
    });
    const total = await counter('total', '');
    expect(verified.checkpoint.size).toBeGreaterThan(3000);
    expect({ people: auditor.totals.people, party: auditor.totals.party, league: auditor.totals.league, pioneers: auditor.totals.pioneers }).toEqual({
      people: total.people,
      party: total.party,
      league: total.league,
      pioneers: total.pioneers,
    });
    expect(auditor.totals.statements).toBe(await t.runtime.store.registry.statements.countPublished());
  });
});
