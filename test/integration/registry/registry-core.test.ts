import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/domain/auth/policy';
import { CounterCache } from '../../../src/domain/counters/counter-cache';
import { rebuildCounters } from '../../../src/domain/counters/rebuild-counters';
import { listModerationQueue } from '../../../src/domain/statements/list-moderation-queue';
import { lookupReceipt } from '../../../src/domain/statements/lookup-receipt';
import { type ModerationDecision, moderateStatement } from '../../../src/domain/statements/moderate-statement';
import { prepareStatement, registerStatement } from '../../../src/domain/statements/register-statement';
import { StatementWriter } from '../../../src/domain/statements/statement-writer';
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
  /** The public counters once a signed checkpoint holds everything committed (they are its sums). */
  const signedSnapshot = async () => {
    await t.app.services.log.sequenceNow();
    return cache.snapshot();
  };

  it('publishes a volunteer registration at once, numbers it, counts it, and the cache follows', async () => {
    const before = (await signedSnapshot());
    const result = await registerStatement(t.runtime, { actor: volunteer, input: viaVolunteer({ cohorts: [{ count: 8, organizations: ['party'] }, { count: 11, organizations: ['league', 'pioneers'] }], name: '万顺', region: '430121' }) });
    expect(result.status).toBe('published');
    expect(result.sequence).toBeGreaterThan(0);
    expect(result.publicName).toBe('万顺');
    expect(result.receiptCode).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    const after = (await signedSnapshot());
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
    const before = (await signedSnapshot()).total.people;
    const first = await registerStatement(t.runtime, { actor: volunteer, input });
    const again = await registerStatement(t.runtime, { actor: volunteer, input });
    expect(again).toEqual({ ...first, receiptCode: null });
    expect((await signedSnapshot()).total.people - before).toBe(1);
    await expectCode(registerStatement(t.runtime, { actor: coordinator, input }), 'CONFLICT');
  });

  it('joins an outer transaction and rolls back with it (no counter moves, no event)', async () => {
    const before = (await signedSnapshot()).total.people;
    const count = await t.runtime.store.registry.statements.count();
    await expect(
      t.runtime.store.transaction(async (tx) => {
        await registerStatement({ ...t.runtime, store: tx }, { actor: volunteer, input: viaVolunteer() });
        throw new Error('the call save failed later');
      }),
    ).rejects.toThrow('the call save failed later');
    expect(await t.runtime.store.registry.statements.count()).toBe(count);
    expect((await signedSnapshot()).total.people).toBe(before);
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
    const before = (await signedSnapshot()).total.people;
    const submitted = await registerStatement(t.runtime, { actor: null, input: selfSubmitted({ name: '平安' }) });
    expect(submitted.status).toBe('pending');
    expect(submitted.sequence).toBeNull();
    expect((await signedSnapshot()).total.people).toBe(before);
    expect(await lookupReceipt(t.runtime, submitted.receiptCode ?? '')).toEqual({ status: 'pending' });
    const queue = await listModerationQueue(t.runtime, { actor: coordinator });
    expect(queue.map((item) => item.row.id)).toContain(submitted.id);
    const published = await moderateStatement(t.runtime, { actor: coordinator, statementId: submitted.id, decision: { kind: 'publish' } });
    expect(published.status).toBe('published');
    expect((await signedSnapshot()).total.people).toBe(before + 1);
    const receipt = await lookupReceipt(t.runtime, (submitted.receiptCode ?? '').toLowerCase());
    expect(receipt).toMatchObject({ status: 'published', sequence: published.sequence });
    await moderateStatement(t.runtime, { actor: coordinator, statementId: submitted.id, decision: { kind: 'reject', reason: 'asked to withdraw' } });
    expect((await signedSnapshot()).total.people).toBe(before);
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

  it('finds possible duplicates by real name and marks the pending one a duplicate of the published original; the person stays counted once', async () => {
    const original = await registerStatement(t.runtime, { actor: volunteer, input: viaVolunteer({ nameKind: 'real', name: '李 明華' }) });
    const again = await registerStatement(t.runtime, { actor: null, input: selfSubmitted({ nameKind: 'real', name: '李明华' }) });
    const queue = await listModerationQueue(t.runtime, { actor: coordinator });
    const item = queue.find((entry) => entry.row.id === again.id);
    expect(item?.possibleDuplicates.map((d) => d.id)).toContain(original.id);
    const before = (await signedSnapshot()).total;
    const marked = await moderateStatement(t.runtime, { actor: coordinator, statementId: again.id, decision: { kind: 'duplicate', ofId: original.id } });
    expect(marked).toMatchObject({ status: 'duplicate', sequence: null });
    expect((await signedSnapshot()).total).toEqual(before);
    expect((await t.runtime.store.registry.statements.findById(again.id))?.duplicate_of).toBe(original.id);
    expect((await rebuildCounters(t.runtime, { dryRun: true })).differences).toEqual([]);
  });

  it('marks a duplicate only of a published or pending original that is not itself a duplicate, and a published one only of a published original', async () => {
    const published = await registerStatement(t.runtime, { actor: volunteer, input: viaVolunteer({ name: '福星' }) });
    const secondPublished = await registerStatement(t.runtime, { actor: volunteer, input: viaVolunteer({ name: '福星' }) });
    const pending = await registerStatement(t.runtime, { actor: null, input: selfSubmitted({ name: '福星' }) });
    const otherPending = await registerStatement(t.runtime, { actor: null, input: selfSubmitted({ name: '福星' }) });
    const rejected = await registerStatement(t.runtime, { actor: null, input: selfSubmitted({ name: '福星' }) });
    await moderateStatement(t.runtime, { actor: coordinator, statementId: rejected.id, decision: { kind: 'reject', reason: 'withdrawn' } });
    const held = await registerStatement(t.runtime, { actor: null, input: selfSubmitted({ name: '福星', text: '交出赎金' }) });
    const duplicate = await registerStatement(t.runtime, { actor: null, input: selfSubmitted({ name: '福星' }) });
    await moderateStatement(t.runtime, { actor: coordinator, statementId: duplicate.id, decision: { kind: 'duplicate', ofId: published.id } });
    const before = (await signedSnapshot()).total;
    const reasonOf = async (statementId: string, ofId: string, actor: Actor = coordinator) => {
      const error = await moderateStatement(t.runtime, { actor, statementId, decision: { kind: 'duplicate', ofId } }).then(
        () => 'accepted',
        (e: unknown) => (isAppError(e) ? `${e.code}${typeof e.details?.reason === 'string' ? `:${e.details.reason}` : ''}` : e),
      );
      return error;
    };
    // The counted person must never vanish: a published statement cannot follow an original that is not published.
    expect(await reasonOf(published.id, pending.id)).toBe('CONFLICT:ORIGINAL_NOT_PUBLISHED');
    expect(await reasonOf(published.id, rejected.id)).toBe('CONFLICT:ORIGINAL_NOT_COUNTABLE');
    expect(await reasonOf(published.id, duplicate.id)).toBe('CONFLICT:ORIGINAL_NOT_COUNTABLE');
    expect(await reasonOf(published.id, held.id, admin)).toBe('CONFLICT:ORIGINAL_NOT_COUNTABLE');
    expect(await reasonOf(published.id, held.id)).toBe('NOT_FOUND');
    expect(await reasonOf(published.id, published.id)).toBe('BAD_REQUEST');
    expect(await reasonOf(pending.id, rejected.id)).toBe('CONFLICT:ORIGINAL_NOT_COUNTABLE');
    expect(await reasonOf(pending.id, duplicate.id)).toBe('CONFLICT:ORIGINAL_NOT_COUNTABLE');
    expect(await reasonOf(pending.id, 'no-such-statement')).toBe('NOT_FOUND');
    expect((await signedSnapshot()).total).toEqual(before);

    // Allowed: pending onto pending (nothing was counted), published onto published (the original still counts).
    expect(await reasonOf(otherPending.id, pending.id)).toBe('accepted');
    expect((await signedSnapshot()).total).toEqual(before);
    expect(await reasonOf(secondPublished.id, published.id)).toBe('accepted');
    expect((await signedSnapshot()).total.people).toBe(before.people - 1);
    expect((await rebuildCounters(t.runtime, { dryRun: true })).differences).toEqual([]);

    // An original others duplicate can be neither rejected nor marked a duplicate itself until they are moderated otherwise.
    const refusalOf = (statementId: string, decision: ModerationDecision) =>
      moderateStatement(t.runtime, { actor: coordinator, statementId, decision }).then(
        () => 'accepted',
        (e: unknown) => (isAppError(e) ? `${e.code}:${String(e.details?.reason)}:${String(e.details?.duplicates)}` : e),
      );
    expect(await refusalOf(published.id, { kind: 'reject', reason: 'fake' })).toBe('CONFLICT:HAS_DUPLICATES:2');
    expect(await refusalOf(pending.id, { kind: 'reject', reason: 'fake' })).toBe('CONFLICT:HAS_DUPLICATES:1');
    expect(await refusalOf(pending.id, { kind: 'duplicate', ofId: published.id })).toBe('CONFLICT:HAS_DUPLICATES:1');
    expect((await signedSnapshot()).total.people).toBe(before.people - 1);
    // Once its duplicate is published on its own, the pending original may be rejected.
    await moderateStatement(t.runtime, { actor: coordinator, statementId: otherPending.id, decision: { kind: 'publish' } });
    expect(await refusalOf(pending.id, { kind: 'reject', reason: 'fake' })).toBe('accepted');
    expect((await signedSnapshot()).total.people).toBe(before.people);
    expect((await rebuildCounters(t.runtime, { dryRun: true })).differences).toEqual([]);
    await moderateStatement(t.runtime, { actor: admin, statementId: held.id, decision: { kind: 'reject', reason: 'threat' } });
  });

  it('group commit stores statements arriving together in one transaction and isolates a failing one', async () => {
    await registerStatement(t.runtime, { actor: volunteer, input: viaVolunteer({ clientId: 'taken-by-vol-1' }) });
    const writer = new StatementWriter(t.runtime, { windowMs: 20 });
    const auditBefore = (await t.runtime.store.audit.last())?.seq ?? 0;
    const staff = { kind: 'staff' as const, actor: coordinator };
    const outcomes = await Promise.allSettled([
      writer.write(prepareStatement(t.runtime, { source: staff, input: viaVolunteer({ name: '吉祥' }) })),
      writer.write(prepareStatement(t.runtime, { source: staff, input: viaVolunteer({ clientId: 'taken-by-vol-1' }) })),
      writer.write(prepareStatement(t.runtime, { source: staff, input: viaVolunteer({ name: '如意' }) })),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(isAppError((outcomes[1] as PromiseRejectedResult).reason, 'CONFLICT')).toBe(true);
    // After the batch failed as a whole, each statement was stored alone: two audit rows.
    expect(((await t.runtime.store.audit.last())?.seq ?? 0) - auditBefore).toBe(2);
    const together = await Promise.all([
      writer.write(prepareStatement(t.runtime, { source: staff, input: viaVolunteer({ name: '福星' }) })),
      writer.write(prepareStatement(t.runtime, { source: staff, input: viaVolunteer({ name: '康宁' }) })),
    ]);
    expect(together.map((result) => result.status)).toEqual(['published', 'published']);
    expect(new Set(together.map((result) => result.receiptCode)).size).toBe(2);
    // One batch, one transaction: one audit row for the coordinator's two statements.
    expect(((await t.runtime.store.audit.last())?.seq ?? 0) - auditBefore).toBe(3);
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
