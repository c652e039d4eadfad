import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CounterCache } from '../../../src/domain/counters/counter-cache';
import { EntryAuditor } from '../../../src/domain/transparency/entry-audit';
import { decodeEntry } from '../../../src/domain/transparency/log-entry';
import { verifyLog } from '../../../src/tlog/monitor';
import { verifyProofFile } from '../../../src/tlog/proof';
import { runCli } from '../../support/cli';
import { type StaffSession, signUpStaff } from '../../support/staff';
import { type TestHotline, startTestHotline } from '../../support/test-runtime';
import { publicCounters, registryTestEnv } from '../registry/helpers';

// The two stories of DOMAIN.md, as the console sends them.
const story1 = [
  {
    clientId: 'log-story1-wang-01',
    nameKind: 'real',
    name: '王建国',
    cohorts: [{ count: 1, organizations: ['party'] }],
    region: '110105',
    occupation: 'police',
    channel: 'outbound',
    text: '我是北京的警察，自愿退出中共',
    provenance: { kind: 'volunteer', callId: 'call-log-1', consent: 'personal' },
  },
  {
    clientId: 'log-story1-cowk-02',
    nameKind: 'pseudonym',
    name: '如意',
    cohorts: [{ count: 1, organizations: ['league', 'pioneers'] }],
    region: '110000',
    channel: 'outbound',
    text: '',
    provenance: { kind: 'volunteer', callId: 'call-log-1', consent: 'named_by_other', relation: 'co-worker' },
  },
];
const story2 = [
  {
    clientId: 'log-story2-wanshun',
    nameKind: 'pseudonym',
    name: '万顺',
    cohorts: [
      { count: 8, organizations: ['party'] },
      { count: 11, organizations: ['league', 'pioneers'] },
    ],
    region: '430121',
    occupation: 'government',
    channel: 'outbound',
    text: '县政府会议室里十九人一起三退',
    provenance: { kind: 'volunteer', callId: 'call-log-2', consent: 'personal' },
  },
];

describe('the transparency log of the two stories', () => {
  let t: TestHotline;
  let volunteer: StaffSession;
  let key: string;
  const receipts: { receiptCode: string; sequence: number }[] = [];

  beforeAll(async () => {
    t = await startTestHotline({ env: registryTestEnv });
    volunteer = await signUpStaff(t, 'volunteer');
    for (const story of [story1, story2]) {
      const response = await volunteer.request('POST', '/api/statements', { statements: story });
      expect(response.statusCode).toBe(201);
      receipts.push(...response.json<{ statements: { receiptCode: string; sequence: number }[] }>().statements);
    }
    await t.app.services.log.sequenceNow();
    key = (await t.app.inject({ method: 'GET', url: '/log/key' })).body.trim();
  });
  afterAll(async () => {
    await t.close();
  });

  const fetchLog = async (path: string) => {
    const response = await t.app.inject({ method: 'GET', url: `/log/${path}`, headers: { 'accept-encoding': 'identity' } });
    return response.statusCode === 200 ? response.rawPayload : undefined;
  };
  /** The log verified entry by entry, and what its entries add up to. */
  const audit = async () => {
    const auditor = new EntryAuditor();
    const verified = await verifyLog({ fetch: fetchLog, verifierKey: key, onEntry: (index, entry) => auditor.add(index, entry) });
    return { verified, auditor };
  };

  it('gives each receipt a proof file that verifies offline against the signed checkpoint, and the entry it holds is the statement', async () => {
    expect(receipts).toHaveLength(3);
    for (const [at, { receiptCode, sequence }] of receipts.entries()) {
      const page = await t.app.inject({ method: 'POST', url: '/en/receipt', payload: { code: receiptCode } });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain(`Your statement is entry ${at + 1} of the public transparency log (index ${at} in the proof file), in its signed checkpoint of 3 entries.`);
      expect(page.body).toContain('What it does not prove');
      const chinese = await t.app.inject({ method: 'POST', url: '/receipt', payload: { code: receiptCode } });
      expect(chinese.body).toContain(`您的声明是公开透明日志的第 ${at + 1} 条（证明文件中的索引为 ${at}）`);
      const traditional = await t.app.inject({ method: 'POST', url: '/zh-hant/receipt', payload: { code: receiptCode } });
      expect(traditional.body).toContain('它不證明');

      const file = await t.app.inject({ method: 'POST', url: '/en/receipt/proof', payload: { code: receiptCode } });
      expect(file.statusCode).toBe(200);
      expect(file.headers['content-disposition']).toBe(`attachment; filename="statement-${sequence}.tlog-proof"`);
      expect(file.body.startsWith(`c2sp.org/tlog-proof@v1\nextra `)).toBe(true);
      const checked = verifyProofFile(file.body, key);
      expect(checked.index).toBe(at);
      const entry = decodeEntry(checked.entry);
      expect(entry).toMatchObject({ kind: 'statement', sequence });
      const entryFile = await t.app.inject({ method: 'POST', url: '/en/receipt/entry', payload: { code: receiptCode } });
      expect(Buffer.from(entryFile.rawPayload).equals(checked.entry)).toBe(true);
      // A proof with another entry does not verify.
      expect(() => verifyProofFile(file.body, key, { entry: Buffer.from(checked.entry.toString().replace(/people \d+/, 'people 99')) })).toThrow(/does not lead/);
    }
    // Wang's entry shows no name at all, not even masked; the pseudonyms show as published.
    const names = await Promise.all(receipts.map(async ({ receiptCode }) => decodeEntry(verifyProofFile((await t.app.inject({ method: 'POST', url: '/en/receipt/proof', payload: { code: receiptCode } })).body, key).entry)));
    expect(names.map((entry) => (entry.kind === 'statement' ? entry.name : ''))).toEqual(['*', '如意', '万顺']);
  });

  it('adds up, entry by entry, to exactly the public counters: Beijing 2, Hunan 19', async () => {
    const { verified, auditor } = await audit();
    const counters = await publicCounters(t);
    expect(counters.checkpointSize).toBe(verified.checkpoint.size);
    expect(auditor.totals).toEqual({ statements: 3, people: 21, party: 9, league: 12, pioneers: 12 });
    expect({ people: auditor.totals.people, party: auditor.totals.party, league: auditor.totals.league, pioneers: auditor.totals.pioneers }).toEqual(counters.total);
    expect(auditor.byProvince.get('110000')?.people).toBe(2);
    expect(auditor.byProvince.get('430000')?.people).toBe(19);
    // The home page says which checkpoint it counts.
    const home = await t.app.inject({ method: 'GET', url: '/en/' });
    expect(home.body).toContain(`signed checkpoint of <span data-field="checkpointSize">${verified.checkpoint.size}</span> entries`);
  });

  it('records an erasure that withdraws as a new entry: the totals go down in the open, nothing is removed, the log still verifies', async () => {
    const before = await audit();
    const erased = await runCli(['erase', 'statement', receipts[0]!.receiptCode, '--withdraw'], t.env);
    expect(erased.code, erased.stderr).toBe(0);
    await t.app.services.log.sequenceNow();
    const after = await audit();
    expect(after.verified.checkpoint.size).toBe(before.verified.checkpoint.size + 1);
    expect(after.auditor.totals).toEqual({ statements: 2, people: 20, party: 8, league: 12, pioneers: 12 });
    expect((await publicCounters(t)).total).toEqual({ people: 20, party: 8, league: 12, pioneers: 12 });
    // The erased receipt opens nothing any more; the others' proofs still verify.
    expect((await t.app.inject({ method: 'POST', url: '/en/receipt/proof', payload: { code: receipts[0]!.receiptCode } })).statusCode).toBe(404);
    const still = await t.app.inject({ method: 'POST', url: '/en/receipt/proof', payload: { code: receipts[2]!.receiptCode } });
    expect(verifyProofFile(still.body, key).checkpoint.size).toBe(after.verified.checkpoint.size);
    // The erased statement's commitment can never be opened: its salt is gone.
    const salts = await t.runtime.store.kysely.selectFrom('log_entries').select(['sequence', 'salt']).where('sequence', '=', receipts[0]!.sequence).execute();
    expect(salts.every((row) => row.salt === null)).toBe(true);
  });

  it('shows a counter change with the signed checkpoint that holds its entries, whichever process appended them', async () => {
    const cache = await CounterCache.load(t.runtime);
    try {
      const size = cache.snapshot().checkpointSize;
      const delta = { dimension: 'total', key: '', people: 7, party: 7, league: 0, pioneers: 0 };
      // The committing transaction's own announcement is not what moves the public counters...
      cache.receive({ deltas: [delta], at: t.clock(), logEnd: size + 1 });
      expect(cache.snapshot().total.people).toBe(20);
      // ...the checkpoint that holds its entry is.
      cache.checkpointed({ size: size + 1, previousSize: size, totals: { statements: 3, people: 27, party: 15, league: 12, pioneers: 12 }, deltas: [delta], at: t.clock() });
      expect(cache.snapshot().total.people).toBe(27);
      expect(cache.snapshot().checkpointSize).toBe(size + 1);
    } finally {
      cache.close();
    }
  });
});
