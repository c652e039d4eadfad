import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EntryAuditor } from '../../../src/domain/transparency/entry-audit';
import { verifyLog } from '../../../src/tlog/monitor';
import { type StaffSession, signUpStaff } from '../../support/staff';
import { type TestHotline, startTestHotline } from '../../support/test-runtime';
import { registryTestEnv } from '../registry/helpers';

const story2 = {
  clientId: 'log-wanshun-0001',
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
};

describe('the transparency log', () => {
  let t: TestHotline;
  let volunteer: StaffSession;
  beforeAll(async () => {
    t = await startTestHotline({ env: registryTestEnv });
    volunteer = await signUpStaff(t, 'volunteer');
  });
  afterAll(async () => {
    await t.close();
  });

  const fetchLog = async (path: string) => {
    const response = await t.app.inject({ method: 'GET', url: `/log/${path}` });
    return response.statusCode === 200 ? response.rawPayload : undefined;
  };

  it('signs a checkpoint holding a published statement, which a monitor verifies entry by entry', async () => {
    const response = await volunteer.request('POST', '/api/statements', { statements: [story2] });
    expect(response.statusCode).toBe(201);
    await t.app.services.log.sequenceNow();
    const key = (await t.app.inject({ method: 'GET', url: '/log/key' })).body.trim();
    const auditor = new EntryAuditor();
    const verified = await verifyLog({ fetch: fetchLog, verifierKey: key, onEntry: (index, entry) => auditor.add(index, entry) });
    expect(verified.checkpoint.size).toBe(1);
    expect(auditor.totals).toEqual({ statements: 1, people: 19, party: 8, league: 11, pioneers: 11 });
  });
});
