import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/domain/auth/policy';
import { CounterCache } from '../../../src/domain/counters/counter-cache';
import { rebuildCounters } from '../../../src/domain/counters/rebuild-counters';
import { listModerationQueue } from '../../../src/domain/statements/list-moderation-queue';
import { lookupReceipt } from '../../../src/domain/statements/lookup-receipt';
import { moderateStatement } from '../../../src/domain/statements/moderate-statement';
import { registerStatement } from '../../../src/domain/statements/register-statement';
import { isAppError } from '../../../src/shared/app-error';
import type { RegisterStatementInput } from '../../../src/shared/schemas/statements';
import { type TestHotline, startTestHotline } from '../../support/test-runtime';

const volunteer: Actor = { id: 'vol-1', role: 'volunteer', username: 'vol1' };
const coordinator: Actor = { id: 'coord-1', role: 'coordinator', username: 'coord1' };
const admin: Actor = { id: 'admin-1', role: 'admin', username: 'admin1' };

const viaVolunteer = (extra: Partial<RegisterStatementInput> = {}): RegisterStatementInput => ({
  nameKind: 'pseudonym',
  name: '金福',
  cohorts: [{ count: 1, organizations: ['party'] }],
  region: '110000',
  channel: 'outbound',
  text: '',
  provenance: { kind: 'volunteer', consent: 'personal' },
  ...extra,
});
const selfSubmitted = (extra: Partial<RegisterStatementInput> = {}): RegisterStatementInput => ({
  ...viaVolunteer(),
  channel: 'web',
  provenance: { kind: 'self' },
  ...extra,
});

async function expectCode(promise: Promise<unknown>, code: string): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isAppError(error) ? error.code : error).toBe(code);
}

describe('registry core', () => {
  let t: TestHotline;
  let cache: CounterCache;
  beforeAll(async () => {
    t = await startTestHotline();
    cache = await CounterCache.load(t.runtime);
  });
  afterAll(async () => {
    cache.close();
    await t.close();
  });

  it('publishes a volunteer registration at once, numbers it, counts it, and the cache follows', async () => {
    const before = cache.snapshot();
    const result = await registerStatement(t.runtime, { actor: volunteer, input: viaVolunteer({ cohorts: [{ count: 8, organizations: ['party'] }, { count: 11, organizations: ['league', 'pioneers'] }], name: '万顺', region: '430121' }) });
    expect(result.status).toBe('published');
    expect(result.sequence).toBeGreaterThan(0);
    expect(result.publicName).toBe('万顺');
    expect(result.receiptCode).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    const after = cache.snapshot();
    expect(after.total.people - before.total.people).toBe(19);
    expect(after.total.party - before.total.party).toBe(8);
    expect(after.total.league - before.total.league).toBe(11);
    expect(after.total.pioneers - before.total.pioneers).toBe(11);
    expect(after.today.people - before.today.people).toBe(19);
    const province = await t.runtime.store.registry.counters.read(['province']);
    expect(province.find((row) => row.key === '430000')?.people).toBe(19);
  });

  it('masks real names in public, encrypts them, and numbers publications in order', async () => {
    const first = await registerStatement(t.runtime, { actor: volunteer, input: viaVolunteer({ nameKind: 'real', name: '王建国' }) });
    const second = await registerStatement(t.runtime, { actor: volunteer, input: viaVolunteer() });
    expect(first.publicName).toBe('王*国');
    expect(second.sequence).toBe((first.sequence ?? 0) + 1);
    const row = await t.runtime.store.registry.statements.findById(first.id);
    expect(row?.real_name_enc).not.toBeNull();
    expect(JSON.stringify(row)).not.toContain('王建国');
  });

  it('is idempotent on clientId: a retry returns the same statement without the receipt code', async () => {
    const input = viaVolunteer({ clientId: 'retry-0000001' });
    const before = cache.snapshot().total.people;
    const first = await registerStatement(t.runtime, { actor: volunteer, input });
    const again = await registerStatement(t.runtime, { actor: volunteer, input });
    expect(again).toEqual({ ...first, receiptCode: null });
    expect(cache.snapshot().total.people - before).toBe(1);
    await expectCode(registerStatement(t.runtime, { actor: coordinator, input }), 'CONFLICT');
  });

  it('joins an outer transaction and rolls back with it (no counter moves, no event)', async () => {
    const before = cache.snapshot().total.people;
    const count = await t.runtime.store.registry.statements.count();
    await expect(
      t.runtime.store.transaction(async (tx) => {
        await registerStatement({ ...t.runtime, store: tx }, { actor: volunteer, input: viaVolunteer() });
        throw new Error('the call save failed later');
      }),
    ).rejects.toThrow('the call save failed later');
    expect(await t.runtime.store.registry.statements.count()).toBe(count);
    expect(cache.snapshot().total.people).toBe(before);
  });

  it('refuses careless pseudonyms with a reason code and bad input without storing', async () => {
    const count = await t.runtime.store.registry.statements.count();
    for (const name of ['111', 'asdf', '福福福']) {
      const error = await registerStatement(t.runtime, { actor: volunteer, input: viaVolunteer({ name }) }).catch((e: unknown) => e);
      expect(isAppError(error, 'NAME_REFUSED')).toBe(true);
      expect((error as { details: { reason: string } }).details.reason).toMatch(/^[A-Z_]+$/);
    }
    await expectCode(registerStatement(t.runtime, { actor: volunteer, input: viaVolunteer({ region: '999999' }) }), 'VALIDATION_FAILED');
    await expectCode(registerStatement(t.runtime, { actor: { ...volunteer, role: 'auditor' }, input: viaVolunteer() }), 'FORBIDDEN');
    expect(await t.runtime.store.registry.statements.count()).toBe(count);
  });

  it('keeps self-submitted statements pending and uncounted until a coordinator publishes them', async () => {
    const before = cache.snapshot().total.people;
    const submitted = await registerStatement(t.runtime, { actor: null, input: selfSubmitted({ name: '平安' }) });
    expect(submitted.status).toBe('pending');
    expect(submitted.sequence).toBeNull();
    expect(cache.snapshot().total.people).toBe(before);
    expect(await lookupReceipt(t.runtime, submitted.receiptCode ?? '')).toEqual({ status: 'pending' });
    const queue = await listModerationQueue(t.runtime, { actor: coordinator });
    expect(queue.map((item) => item.row.id)).toContain(submitted.id);
    const published = await moderateStatement(t.runtime, { actor: coordinator, statementId: submitted.id, decision: { kind: 'publish' } });
    expect(published.status).toBe('published');
    expect(cache.snapshot().total.people).toBe(before + 1);
    const receipt = await lookupReceipt(t.runtime, (submitted.receiptCode ?? '').toLowerCase());
    expect(receipt).toMatchObject({ status: 'published', sequence: published.sequence });
    await moderateStatement(t.runtime, { actor: coordinator, statementId: submitted.id, decision: { kind: 'reject', reason: 'asked to withdraw' } });
    expect(cache.snapshot().total.people).toBe(before);
    expect(await lookupReceipt(t.runtime, submitted.receiptCode ?? '')).toEqual({ status: 'rejected', rejectionReason: 'asked to withdraw' });
    expect(await lookupReceipt(t.runtime, 'AAAA-BBBB-CCCC')).toBeUndefined();
  });

  it('holds threats for admins only', async () => {
    const held = await registerStatement(t.runtime, { actor: null, input: selfSubmitted({ name: '如意', text: '我要在你们那里放炸弹' }) });
    expect(held.status).toBe('held');
    expect((await listModerationQueue(t.runtime, { actor: coordinator })).map((item) => item.row.id)).not.toContain(held.id);
    expect((await listModerationQueue(t.runtime, { actor: admin })).map((item) => item.row.id)).toContain(held.id);
    await expectCode(moderateStatement(t.runtime, { actor: coordinator, statementId: held.id, decision: { kind: 'publish' } }), 'NOT_FOUND');
    await moderateStatement(t.runtime, { actor: admin, statementId: held.id, decision: { kind: 'reject', reason: 'threat' } });
  });

  it('finds possible duplicates by real name and marks one, taking it off the counters', async () => {
    const original = await registerStatement(t.runtime, { actor: volunteer, input: viaVolunteer({ nameKind: 'real', name: '李 明華' }) });
    const again = await registerStatement(t.runtime, { actor: null, input: selfSubmitted({ nameKind: 'real', name: '李明华' }) });
    const queue = await listModerationQueue(t.runtime, { actor: coordinator });
    const item = queue.find((entry) => entry.row.id === again.id);
    expect(item?.possibleDuplicates.map((d) => d.id)).toContain(original.id);
    const before = cache.snapshot().total.people;
    await moderateStatement(t.runtime, { actor: coordinator, statementId: original.id, decision: { kind: 'duplicate', ofId: again.id } });
    expect(cache.snapshot().total.people).toBe(before - 1);
  });

  it('rebuilds counters: no difference, then finds and fixes one made by hand', async () => {
    expect((await rebuildCounters(t.runtime)).differences).toEqual([]);
    await t.runtime.store.registry.counters.add('total', '', { people: 5, party: 0, league: 0, pioneers: 0 });
    const dry = await rebuildCounters(t.runtime, { dryRun: true });
    expect(dry.differences).toHaveLength(1);
    expect(dry.fixed).toBe(false);
    const fixed = await rebuildCounters(t.runtime);
    expect(fixed.differences[0]).toMatchObject({ dimension: 'total', key: '' });
    expect(fixed.differences[0]?.stored.people).toBe((fixed.differences[0]?.computed.people ?? 0) + 5);
    expect((await rebuildCounters(t.runtime)).differences).toEqual([]);
  });
});
