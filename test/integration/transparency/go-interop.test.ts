import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockRegistry } from '../../../src/domain/counters/counter-change';
import { inTransaction } from '../../../src/domain/deps';
import { type LoggedStatement, logPublished } from '../../../src/domain/transparency/log-writer';
import { parseCheckpoint } from '../../../src/tlog/checkpoint';
import { parseNote } from '../../../src/tlog/note';
import { type StaffSession, signUpStaff } from '../../support/staff';
import { type TestHotline, startTestHotline } from '../../support/test-runtime';
import { registryTestEnv } from '../registry/helpers';

const run = promisify(execFile);
const CLIENT = path.resolve(import.meta.dirname, '../../interop/go-tlog-client');

/** Statements numbered `from` .. `to - 1`, as published, for the log only. */
function statements(from: number, to: number): LoggedStatement[] {
  const out: LoggedStatement[] = [];
  for (let sequence = from; sequence < to; sequence++) {
    out.push({
      id: `interop-${sequence}`,
      sequence,
      published_day: '2024-05-06',
      province_code: sequence % 2 === 0 ? '430000' : '110000',
      channel: 'outbound',
      people: 1 + (sequence % 19),
      party: sequence % 3 === 0 ? 1 : 0,
      league: 1,
      pioneers: 0,
      name_kind: 'pseudonym',
      public_name: '吉祥',
      real_name_index: null,
      region_code: '430121',
      occupation: null,
      text: '',
    });
  }
  return out;
}

describe('interoperability: a client built only on Go sumdb/tlog and sumdb/note verifies a 70,000-entry log', () => {
  let t: TestHotline;
  let volunteer: StaffSession;
  let base: string;
  beforeAll(async () => {
    t = await startTestHotline({ env: registryTestEnv });
    volunteer = await signUpStaff(t, 'volunteer');
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await t.close();
  });

  const append = async (from: number, to: number) => {
    for (let at = from; at < to; at += 5_000) {
      await t.runtime.store.transaction(async (tx) => {
        const txDeps = inTransaction(t.runtime, tx);
        await lockRegistry(txDeps);
        await logPublished(txDeps, statements(at, Math.min(to, at + 5_000)));
      });
    }
    await t.app.services.log.sequenceNow();
  };

  it('checks the signature, the root from the tiles, every entry, a consistency proof and a receipt proof file', async () => {
    // An earlier tree, as a monitor would have kept it, then the log grows to 70,000 entries.
    await append(1_000_000, 1_000_000 + 45_001);
    const earlier = parseCheckpoint(parseNote((await t.app.inject({ url: '/log/checkpoint' })).body).text);
    expect(earlier.size).toBe(45_001);
    await append(1_045_001, 1_000_000 + 69_999);
    // The 70,000th entry is a statement registered through the API, whose receipt gives the proof file.
    const response = await volunteer.request('POST', '/api/statements', {
      statements: [{ clientId: 'interop-wanshun-01', nameKind: 'pseudonym', name: '万顺', cohorts: [{ count: 19, organizations: ['party'] }], region: '430121', channel: 'outbound', text: '', provenance: { kind: 'volunteer', consent: 'personal' } }],
    });
    const [{ receiptCode }] = response.json<{ statements: { receiptCode: string }[] }>().statements as [{ receiptCode: string }];
    await t.app.services.log.sequenceNow();
    const proof = await t.app.inject({ method: 'POST', url: '/en/receipt/proof', payload: { code: receiptCode } });
    expect(proof.statusCode).toBe(200);
    const proofFile = path.join(t.dir, 'receipt.tlog-proof');
    writeFileSync(proofFile, proof.body);
    const key = (await t.app.inject({ url: '/log/key' })).body.trim();

    const { stdout } = await run('go', ['run', 'main.go', `${base}/log`, key, String(earlier.size), earlier.root.toString('base64'), proofFile], {
      cwd: CLIENT,
      env: { ...process.env, GO111MODULE: 'off', GOPATH: '/usr/share/gocode', GOCACHE: path.join(t.dir, 'go-cache') },
      timeout: 180_000,
    });
    expect(stdout).toContain('ok checkpoint signature: ');
    expect(stdout).toContain(', 70000 entries');
    expect(stdout).toContain('ok root recomputed from the tiles');
    expect(stdout).toContain('ok 70000 entries match the level-0 tiles');
    expect(stdout).toContain('ok consistent with the earlier tree of 45001 entries');
    expect(stdout).toContain('ok the proof file shows entry 69999 in the checkpoint of 70000 entries');
  }, 240_000);
});
