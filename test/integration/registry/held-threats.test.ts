import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StaffSession, signUpStaff } from '../../support/staff';
import { type TestHotline, startTestHotline } from '../../support/test-runtime';
import { publicCounters, registryTestEnv, submitPublic } from './helpers';

interface QueueItem {
  id: string;
  status: string;
  holdReason: string | null;
}

/** Every counter row (total, per day, province, channel, organization), as stored. */
async function storedCounters(t: TestHotline): Promise<unknown> {
  return t.runtime.store.kysely.selectFrom('counters').selectAll().orderBy('dimension').orderBy('key').execute();
}

describe('a threatening public submission over HTTP', () => {
  let t: TestHotline;
  let coordinator: StaffSession;
  let admin: StaffSession;
  beforeAll(async () => {
    t = await startTestHotline({ env: registryTestEnv });
    coordinator = await signUpStaff(t, 'coordinator');
    admin = await signUpStaff(t, 'admin');
    expect((await submitPublic(t, { name: '如意' })).statusCode).toBe(201);
  });
  afterAll(async () => {
    await t.close();
  });

  const queueOf = async (staff: StaffSession): Promise<QueueItem[]> => {
    const response = await staff.request('GET', '/api/statements/moderation');
    expect(response.statusCode).toBe(200);
    return response.json<{ statements: QueueItem[] }>().statements;
  };

  /** Submits a threat and returns what the submitter saw plus the stored row's id. */
  async function submitThreat(text: string): Promise<{ receiptCode: string; id: string; answer: string }> {
    const idsBefore = new Set((await t.runtime.store.kysely.selectFrom('statements').select('id').execute()).map((row) => row.id));
    const response = await submitPublic(t, { name: '吉祥', peopleCount: 5, organizations: ['party'], text });
    expect(response.statusCode).toBe(201);
    const stored = (await t.runtime.store.kysely.selectFrom('statements').select(['id', 'status']).execute()).filter((row) => !idsBefore.has(row.id));
    expect(stored).toHaveLength(1);
    expect(stored[0]?.status).toBe('held');
    return { receiptCode: response.json<{ receiptCode: string }>().receiptCode, id: stored[0]?.id ?? '', answer: response.body };
  }

  it('answers the submitter exactly as for any statement (pending, nothing revealed), and the receipt says pending', async () => {
    const counters = await storedCounters(t);
    const total = (await publicCounters(t)).total;
    const { receiptCode, answer } = await submitThreat('你们不删帖，我就在你们办公室放炸弹');
    expect(JSON.parse(answer)).toEqual({ receiptCode, status: 'pending' });
    expect(answer).not.toMatch(/held|threat|bomb|admin/i);
    const lookup = await t.app.inject({ method: 'POST', url: '/api/public/receipts/lookup', payload: { code: receiptCode } });
    expect(lookup.json()).toEqual({ status: 'pending' });
    expect((await publicCounters(t)).total).toEqual(total);
    expect(await storedCounters(t)).toEqual(counters);
  });

  it('shows the held statement to admins only: coordinators neither list, read, publish, reject nor duplicate onto it', async () => {
    const { id } = await submitThreat('交出赎金，否则后果自负');
    expect((await queueOf(coordinator)).map((item) => item.id)).not.toContain(id);
    const forAdmin = (await queueOf(admin)).find((item) => item.id === id);
    expect(forAdmin).toMatchObject({ status: 'held', holdReason: 'extortion' });
    expect((await coordinator.request('GET', `/api/statements/${id}`)).statusCode).toBe(404);
    expect((await coordinator.request('POST', `/api/statements/${id}/publish`)).statusCode).toBe(404);
    expect((await coordinator.request('POST', `/api/statements/${id}/reject`, { reason: 'x' })).statusCode).toBe(404);
    const pending = (await queueOf(coordinator))[0];
    expect(pending).toBeDefined();
    expect((await coordinator.request('POST', `/api/statements/${pending?.id ?? ''}/duplicate`, { ofId: id })).statusCode).toBe(404);
    expect((await admin.request('GET', `/api/statements/${id}`)).statusCode).toBe(200);
  });

  it('moves no counter until an admin decides: publishing counts it, rejecting does not', async () => {
    const toPublish = await submitThreat('我要炸掉那个派出所');
    const toReject = await submitThreat('再不停我就殺了你'); // Traditional characters are caught too
    const before = (await publicCounters(t)).total;
    const countersBefore = await storedCounters(t);
    expect((await admin.request('POST', `/api/statements/${toReject.id}/reject`, { reason: 'Threat' })).statusCode).toBe(200);
    expect((await publicCounters(t)).total).toEqual(before);
    expect(await storedCounters(t)).toEqual(countersBefore);
    const published = await admin.request('POST', `/api/statements/${toPublish.id}/publish`);
    expect(published.statusCode).toBe(200);
    expect((await publicCounters(t)).total).toEqual({ ...before, people: (before.people ?? 0) + 5, party: (before.party ?? 0) + 5 });
    const lookup = await t.app.inject({ method: 'POST', url: '/api/public/receipts/lookup', payload: { code: toPublish.receiptCode } });
    expect(lookup.json()).toMatchObject({ status: 'published' });
  });
});
