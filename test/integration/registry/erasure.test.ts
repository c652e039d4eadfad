import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { receiptHash } from '../../../src/domain/statements/statement-fields';
import { runCli } from '../../support/cli';
import { rawDatabaseBytes } from '../../support/raw-database';
import { type StaffSession, signUpStaff } from '../../support/staff';
import { type TestHotline, startTestHotline } from '../../support/test-runtime';
import { publicCounters, registryTestEnv } from './helpers';

// Story 1 of DOMAIN.md: Wang, a police officer in Beijing, under his real name, and his co-worker.
const story1 = [
  {
    clientId: 'erase-wang-0001',
    nameKind: 'real',
    name: '王建国',
    cohorts: [{ count: 1, organizations: ['party'] }],
    region: '110105',
    occupation: 'police',
    channel: 'outbound',
    text: '我是北京朝阳的警察，自愿退出中共',
    provenance: { kind: 'volunteer', callId: 'call-erase-1', consent: 'personal' },
  },
  {
    clientId: 'erase-cowk-0002',
    nameKind: 'pseudonym',
    name: '如意',
    cohorts: [{ count: 1, organizations: ['league', 'pioneers'] }],
    region: '110000',
    channel: 'outbound',
    text: '同事托我一起退出团队',
    provenance: { kind: 'volunteer', callId: 'call-erase-1', consent: 'named_by_other', relation: 'co-worker' },
  },
];

type Counts = Record<'people' | 'party' | 'league' | 'pioneers', number>;

describe("erasing a statement at the person's request", () => {
  let t: TestHotline;
  let volunteer: StaffSession;
  let admin: StaffSession;
  let coordinator: StaffSession;
  const registered: { id: string; receiptCode: string; sequence: number }[] = [];

  beforeAll(async () => {
    t = await startTestHotline({ env: registryTestEnv });
    volunteer = await signUpStaff(t, 'volunteer');
    admin = await signUpStaff(t, 'admin');
    coordinator = await signUpStaff(t, 'coordinator');
    const response = await volunteer.request('POST', '/api/statements', { statements: story1 });
    expect(response.statusCode).toBe(201);
    for (const s of response.json<{ statements: { id: string; receiptCode: string; sequence: number }[] }>().statements) registered.push(s);
  });
  afterAll(async () => {
    await t.close();
  });

  /** What a stolen copy of the database would hold of Wang's statement (each piece as bytes). */
  const traces = async () => {
    const row = await t.runtime.store.registry.statements.findById(registered[0]!.id);
    const hash = receiptHash(t.runtime.keyring, registered[0]!.receiptCode);
    return {
      ciphertext: Buffer.from(row!.real_name_enc!),
      blindIndex: row!.real_name_index!,
      receiptHash: hash,
      text: story1[0]!.text,
      maskedName: '王*国',
    };
  };
  const found = (raw: Buffer, piece: Buffer | string) => {
    if (Buffer.isBuffer(piece)) return raw.includes(piece) || raw.includes(piece.toString('hex'));
    return raw.includes(Buffer.from(piece, 'utf8'));
  };

  it('`hotline erase statement RECEIPT --keep-counted`: nothing of Wang is left in the raw database, his statement stays counted, the audit log says when', async () => {
    const wang = await traces();
    const before = rawDatabaseBytes(t);
    // The check can fail: before the erasure every piece is there to be found.
    for (const [piece, value] of Object.entries(wang)) expect({ piece, found: found(before, value) }).toEqual({ piece, found: true });
    const countersBefore = await publicCounters(t);

    const result = await runCli(['erase', 'statement', registered[0]!.receiptCode, '--keep-counted'], t.env);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Erased statement ${registered[0]!.id} (No. ${registered[0]!.sequence})`);
    expect(result.stdout).toContain('1 receipt code(s)');

    const after = rawDatabaseBytes(t);
    for (const [piece, value] of Object.entries(wang)) expect({ piece, found: found(after, value) }).toEqual({ piece, found: false });
    // Still counted, still published under its number, without name or text.
    expect((await publicCounters(t)).total).toEqual(countersBefore.total);
    const staffView = (await admin.request('GET', `/api/statements/${registered[0]!.id}`)).json<{ status: string; publicName: string; text: string; realName: string | null; regionCode: string; occupation: string | null }>();
    expect(staffView).toMatchObject({ status: 'published', publicName: '—', text: '', realName: null, regionCode: '110000', occupation: null });
    // Wang's receipt code opens nothing now; his co-worker's still does.
    const lookup = (code: string) => t.app.inject({ method: 'POST', url: '/api/public/receipts/lookup', payload: { code }, remoteAddress: '10.88.0.1' });
    expect((await lookup(registered[0]!.receiptCode)).statusCode).toBe(404);
    expect((await lookup(registered[1]!.receiptCode)).statusCode).toBe(200);
    // Erasing twice is refused and changes nothing.
    // Ids may start with '-': after `--` they are never read as options.
    const again = await runCli(['erase', 'statement', '--keep-counted', '--', registered[0]!.id], t.env);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain('already erased');
    const missingChoice = await runCli(['erase', 'statement', '--', registered[1]!.id], t.env);
    expect(missingChoice.code).not.toBe(0);
    expect(missingChoice.stderr).toContain('Choose one: --keep-counted');

    const audit = (await admin.request('GET', '/api/audit?limit=50')).json<{ entries: { action: string; actorId: string | null; entityId: string; details: Record<string, unknown> }[] }>().entries;
    const erased = audit.filter((e) => e.action === 'statement.erased');
    expect(erased).toHaveLength(1);
    expect(erased[0]).toMatchObject({ actorId: null, entityId: registered[0]!.id, details: { counted: true, via: 'cli', statusBefore: 'published', statusAfter: 'published' } });
    expect(JSON.stringify(audit)).not.toContain('王');
  });

  it('an admin erases the co-worker’s statement from the console API and withdraws it: the counters drop by exactly its people', async () => {
    const before = await publicCounters(t);
    expect((await coordinator.request('POST', `/api/statements/${registered[1]!.id}/erase`, { keepCounted: false })).statusCode).toBe(403);
    const response = await admin.request('POST', `/api/statements/${registered[1]!.id}/erase`, { keepCounted: false });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ id: registered[1]!.id, status: 'withdrawn', counted: false, receiptCodesForgotten: 1 });
    const after = await publicCounters(t);
    const drop = (key: keyof Counts) => (before.total as Counts)[key] - (after.total as Counts)[key];
    expect({ people: drop('people'), party: drop('party'), league: drop('league'), pioneers: drop('pioneers') }).toEqual({ people: 1, party: 0, league: 1, pioneers: 1 });
    expect(found(rawDatabaseBytes(t), story1[1]!.text)).toBe(false);

    // The admins' view of what was shredded and when.
    const shredding = (await admin.request('GET', '/api/erasures')).json<{ erasures: { statementId: string; counted: boolean; erasedBy: string | null }[]; notesRetentionDays: number }>();
    expect(shredding.erasures.map((e) => [e.statementId, e.counted, e.erasedBy]).sort()).toEqual(
      [
        [registered[1]!.id, false, admin.userId],
        [registered[0]!.id, true, null],
      ].sort(),
    );
    expect(shredding.notesRetentionDays).toBeGreaterThan(0);
    expect((await coordinator.request('GET', '/api/erasures')).statusCode).toBe(403);
  });
});
