import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeReceiptCode } from '../../../src/domain/statements/statement-fields';
import { rawDatabaseBytes } from '../../support/raw-database';
import { type StaffSession, signUpStaff } from '../../support/staff';
import { type TestHotline, startTestHotline } from '../../support/test-runtime';
import { publicSubmission, registryTestEnv, solvedPow, submitPublic } from './helpers';

describe('receipt codes and what the database holds', () => {
  let t: TestHotline;
  let coordinator: StaffSession;
  let volunteer: StaffSession;
  beforeAll(async () => {
    t = await startTestHotline({ env: registryTestEnv });
    coordinator = await signUpStaff(t, 'coordinator');
    volunteer = await signUpStaff(t, 'volunteer');
  });
  afterAll(async () => {
    await t.close();
  });

  const lookup = (code: string) => t.app.inject({ method: 'POST', url: '/api/public/receipts/lookup', payload: { code } });

  it('shows the receipt code once, stores only a hash, and the lookup follows moderation', async () => {
    const response = await submitPublic(t, { nameKind: 'real', name: '赵秀兰', text: '我叫赵秀兰，电话+86 139 1234 5678，退出少先队', region: '430121' });
    expect(response.statusCode).toBe(201);
    const { receiptCode, status } = response.json<{ receiptCode: string; status: string }>();
    expect(status).toBe('pending');
    const raw = rawDatabaseBytes(t);
    for (const secret of [receiptCode, normalizeReceiptCode(receiptCode), '赵秀兰', '13912345678', '139 1234 5678', '1234 5678']) {
      expect(raw.includes(Buffer.from(secret, 'utf8')), secret).toBe(false);
    }
    expect((await lookup(receiptCode)).json()).toEqual({ status: 'pending' });
    const queue = (await coordinator.request('GET', '/api/statements/moderation')).json<{ statements: { id: string; realName: string; text: string; publicName: string }[] }>();
    const mine = queue.statements.find((s) => s.publicName === '赵*兰');
    expect(mine?.realName).toBe('赵秀兰');
    expect(mine?.text).not.toContain('139');
    const published = await coordinator.request('POST', `/api/statements/${mine?.id ?? ''}/publish`);
    expect(published.statusCode).toBe(200);
    const shown = (await lookup(receiptCode.toLowerCase().replaceAll('-', ' '))).json<{ status: string; sequence: number; publishedAt: number }>();
    expect(shown).toMatchObject({ status: 'published', sequence: published.json<{ sequence: number }>().sequence });
    // The public sees the masked name and the redacted text only.
    const latest = (await t.app.inject({ method: 'GET', url: '/api/public/statements' })).body;
    expect(latest).toContain('赵*兰');
    expect(latest).not.toContain('赵秀兰');
    expect(latest).not.toContain('1234');
    await coordinator.request('POST', `/api/statements/${mine?.id ?? ''}/reject`, { reason: 'withdrawn by the person' });
    expect((await lookup(receiptCode)).json()).toEqual({ status: 'rejected', rejectionReason: 'withdrawn by the person' });
  });

  it('stores a statement sent with an Idempotency-Key once, however often it is sent, and answers every attempt with the same code', async () => {
    const before = await t.runtime.store.registry.statements.count();
    const key = 'retry-key-0123456789abcdef';
    const body = { ...publicSubmission({ name: '长寿' }), pow: await solvedPow(t) };
    const send = (payload: Record<string, unknown>, headers: Record<string, string> = { 'idempotency-key': key }) =>
      t.app.inject({ method: 'POST', url: '/api/public/statements', headers, payload });
    // Sent twice at once (a client's double send), then again after a lost answer, without a new proof of work.
    const [first, second] = await Promise.all([send(body), send(body)]);
    expect([first.statusCode, second.statusCode]).toEqual([201, 201]);
    const { receiptCode } = first.json<{ receiptCode: string }>();
    expect(second.json()).toEqual({ receiptCode, status: 'pending' });
    expect((await send(publicSubmission({ name: '长寿' }))).json()).toEqual({ receiptCode, status: 'pending' });
    expect(await t.runtime.store.registry.statements.count()).toBe(before + 1);
    expect((await lookup(receiptCode)).json()).toEqual({ status: 'pending' });
    expect(rawDatabaseBytes(t).includes(Buffer.from(key))).toBe(false);

    // Another statement with the same key and a spent proof of work is refused; with a fresh one it is stored with its own code.
    expect((await send({ ...body, name: '长乐' })).statusCode).toBe(400);
    const other = await send({ ...body, name: '长乐', pow: await solvedPow(t) });
    expect(other.statusCode).toBe(201);
    expect(other.json<{ receiptCode: string }>().receiptCode).not.toBe(receiptCode);
    // A malformed key is refused and stores nothing.
    expect((await send(body, { 'idempotency-key': 'short' })).statusCode).toBe(400);
    expect(await t.runtime.store.registry.statements.count()).toBe(before + 2);
  });

  it('a wrong code reveals nothing: the same 404 for every wrong code', async () => {
    const answers = new Set<string>();
    for (const code of ['AAAA-BBBB-CCCC', 'ZZZZ-ZZZZ-ZZZZ', '2345-6789-ABCD']) {
      const response = await lookup(code);
      expect(response.statusCode).toBe(404);
      answers.add(response.body);
    }
    expect([...answers]).toEqual([JSON.stringify({ error: { code: 'NOT_FOUND', message: 'Not found' } })]);
  });

  it('shows the real name only to staff allowed to read it', async () => {
    const created = await volunteer.request('POST', '/api/statements', {
      statements: [{ nameKind: 'real', name: '王建国', cohorts: [{ count: 1, organizations: ['party'] }], region: '110000', channel: 'hotline', provenance: { kind: 'volunteer', consent: 'personal' } }],
    });
    const id = created.json<{ statements: { id: string }[] }>().statements[0]?.id ?? '';
    const asVolunteer = (await volunteer.request('GET', `/api/statements/${id}`)).json<Record<string, unknown>>();
    expect(asVolunteer.publicName).toBe('王*国');
    expect(asVolunteer).not.toHaveProperty('realName');
    expect(JSON.stringify(asVolunteer)).not.toContain('王建国');
    expect((await coordinator.request('GET', `/api/statements/${id}`)).json<{ realName: string }>().realName).toBe('王建国');
    const other = await signUpStaff(t, 'volunteer');
    expect((await other.request('GET', `/api/statements/${id}`)).statusCode).toBe(404);
    expect((await volunteer.request('GET', '/api/statements/moderation')).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: `/api/statements/${id}` })).statusCode).toBe(401);
    expect(rawDatabaseBytes(t).includes(Buffer.from('王建国', 'utf8'))).toBe(false);
  });

  it('finds a possible duplicate through the real-name index (spacing and Traditional characters ignored) and marks it', async () => {
    const first = await submitPublic(t, { nameKind: 'real', name: '李明华', region: '110000' });
    const second = await submitPublic(t, { nameKind: 'real', name: '李 明華', region: '110000' });
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    const queue = (await coordinator.request('GET', '/api/statements/moderation')).json<{ statements: { id: string; publicName: string; possibleDuplicates: { id: string }[] }[] }>();
    const pair = queue.statements.filter((s) => s.publicName.startsWith('李*'));
    expect(pair).toHaveLength(2);
    expect(pair[1]?.possibleDuplicates.map((d) => d.id)).toEqual([pair[0]?.id]);
    const marked = await coordinator.request('POST', `/api/statements/${pair[1]?.id ?? ''}/duplicate`, { ofId: pair[0]?.id });
    expect(marked.json()).toMatchObject({ status: 'duplicate' });
    expect((await coordinator.request('POST', `/api/statements/${pair[1]?.id ?? ''}/duplicate`, { ofId: 'nope' })).statusCode).toBe(409);
    expect((await coordinator.request('POST', `/api/statements/${pair[0]?.id ?? ''}/reject`, { reason: '' })).statusCode).toBe(400);
  });
});

describe('submission rate limit', () => {
  let t: TestHotline;
  beforeAll(async () => {
    t = await startTestHotline({ env: { ...registryTestEnv, HOTLINE_PUBLIC_SUBMIT_PER_MINUTE: '2' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers 429 past the limit per client, without storing', async () => {
    expect((await submitPublic(t, { name: '平安' })).statusCode).toBe(201);
    expect((await submitPublic(t, { name: '如意' })).statusCode).toBe(201);
    const third = await submitPublic(t, { name: '吉祥' });
    expect(third.statusCode).toBe(429);
    expect(third.json<{ error: { code: string } }>().error.code).toBe('RATE_LIMITED');
    expect(await t.runtime.store.registry.statements.count()).toBe(2);
  });
});
