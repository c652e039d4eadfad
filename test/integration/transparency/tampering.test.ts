import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli';
import { type StaffSession, signUpStaff } from '../../support/staff';
import { type TestHotline, startTestHotline } from '../../support/test-runtime';
import { registryTestEnv } from '../registry/helpers';

const statement = (n: number) => ({
  clientId: `tamper-statement-${String(n).padStart(4, '0')}`,
  nameKind: 'pseudonym',
  name: '吉祥',
  cohorts: [{ count: 1 + (n % 5), organizations: ['party'] }],
  region: n % 2 === 0 ? '430000' : '110000',
  channel: 'outbound',
  text: '',
  provenance: { kind: 'volunteer', callId: 'call-tamper', consent: 'personal' },
});

/**
 * What `hotline log verify --state` (state taken before) says when the stored log is tampered with:
 * a statement's public fields changed in its entry, a tile rewritten, an entry deleted and the log
 * rebuilt and re-signed around the gap, the log shrunk. Each fails, naming the index or the size.
 */
describe('tampering with the stored log', () => {
  let t: TestHotline;
  let volunteer: StaffSession;
  let base: string;
  let key: string;
  beforeAll(async () => {
    t = await startTestHotline({ env: registryTestEnv });
    volunteer = await signUpStaff(t, 'volunteer');
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    for (let n = 0; n < 300; n += 100) {
      const response = await volunteer.request('POST', '/api/statements', { statements: Array.from({ length: 100 }, (_, i) => statement(n + i)) });
      expect(response.statusCode).toBe(201);
    }
    await t.app.services.log.sequenceNow();
    key = (await t.app.inject({ url: '/log/key' })).body.trim();
  });
  afterAll(async () => {
    await t.close();
  });

  const db = () => t.runtime.store.kysely;
  const verify = (state: string, ...extra: string[]) => runCli(['log', 'verify', '--url', `${base}/log`, '--key', key, '--state', path.join(t.dir, state), ...extra], t.env);
  const entryOf = async (idx: number) => Buffer.from((await db().selectFrom('log_entries').select('entry').where('idx', '=', idx).executeTakeFirstOrThrow()).entry);
  const setEntry = (idx: number, entry: Buffer) => db().updateTable('log_entries').set({ entry }).where('idx', '=', idx).execute();
  /** Throws the tiles and the signed head away and signs the log anew from its entries, as a dishonest operator would. */
  const resign = async () => {
    await db().deleteFrom('log_tiles').execute();
    await db().deleteFrom('log_head').execute();
    await t.app.services.log.sequenceNow();
  };

  it('verifies the honest log and keeps its state', async () => {
    const first = await verify('state.json', '--entries');
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('300 entries');
    expect(first.stdout).toContain('totals: statements 300, people 900, party 900, league 0, pioneers 0');
  });

  it("a statement's public fields changed in the stored log: fails naming the entry", async () => {
    const honest = await entryOf(5);
    await setEntry(5, Buffer.from(honest.toString('utf8').replace(/people \d+/, 'people 190')));
    const result = await verify('state.json', '--entries');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('entry 5 does not match its hash in tile/0/000');
    await setEntry(5, honest);
    expect((await verify('state.json', '--entries')).code).toBe(0);
  });

  it('a tile rewritten: fails naming the entry whose hash it changed', async () => {
    const tile = await db().selectFrom('log_tiles').select('hashes').where('level', '=', 0).where('idx', '=', 0).where('width', '=', 256).executeTakeFirstOrThrow();
    const honest = Buffer.from(tile.hashes);
    const forged = Buffer.from(honest);
    forged[7 * 32] = (forged[7 * 32] as number) ^ 0xff;
    await db().updateTable('log_tiles').set({ hashes: forged }).where('level', '=', 0).where('idx', '=', 0).where('width', '=', 256).execute();
    const result = await verify('state.json', '--entries');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('entry 7 does not match its hash in tile/0/000');
    await db().updateTable('log_tiles').set({ hashes: honest }).where('level', '=', 0).where('idx', '=', 0).where('width', '=', 256).execute();
    expect((await verify('state.json', '--entries')).code).toBe(0);
  });

  it('a statement deleted and the log rebuilt and re-signed around it: fails naming the size seen before, and with the entries the index', async () => {
    await db().deleteFrom('log_entries').where('idx', '=', 3).execute();
    // Renumbered in two steps (a key cannot take the number its neighbour still holds).
    await sql`update log_entries set idx = idx + 1000000 where idx > 3`.execute(db());
    await sql`update log_entries set idx = idx - 1000001 where idx > 1000000`.execute(db());
    await resign();
    // More statements, so that the rewritten log is not merely shorter.
    const response = await volunteer.request('POST', '/api/statements', { statements: [statement(300), statement(301)] });
    expect(response.statusCode).toBe(201);
    await t.app.services.log.sequenceNow();
    const quick = await verify('state.json');
    expect(quick.code).toBe(1);
    expect(quick.stderr).toContain('does not contain the tree of 300 entries seen before: history was rewritten');
    const full = await verify('state.json', '--entries');
    expect(full.code).toBe(1);
    expect(full.stderr).toContain('entry 3 is not the entry seen at that index before');
  });

  it('a shrunk log: fails naming both sizes', async () => {
    const fresh = await verify('state-2.json');
    expect(fresh.code, fresh.stderr).toBe(0);
    await db().deleteFrom('log_entries').where('idx', '>=', 290).execute();
    await resign();
    const result = await verify('state-2.json');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('the log shrank: it had 301 entries and now shows 290');
  });
});
