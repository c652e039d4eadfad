import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StaffSession, signUpStaff } from '../../support/staff';
import { type TestHotline, startTestHotline } from '../../support/test-runtime';

interface Followup {
  id: string;
  name: string;
  howToReach: string;
  offered: string;
  recordedBy: string;
  dueAt: number | null;
  doneAt: number | null;
}

describe('the follow-up worklist', () => {
  let t: TestHotline;
  let volunteer: StaffSession;
  let coordinator: StaffSession;
  let admin: StaffSession;
  let auditor: StaffSession;
  beforeAll(async () => {
    t = await startTestHotline();
    volunteer = await signUpStaff(t, 'volunteer');
    coordinator = await signUpStaff(t, 'coordinator');
    admin = await signUpStaff(t, 'admin');
    auditor = await signUpStaff(t, 'auditor');
    // Two calls, each with a person who offered to help, recorded ten minutes apart.
    for (const [index, howToReach] of ['13912345678', 'wechat: helper-2'].entries()) {
      const saved = await volunteer.request('POST', '/api/calls', {
        clientId: `followup-call-${index}`,
        direction: 'outbound',
        outcome: 'listened',
        startedAt: t.clock() - 60_000,
        answeredAt: t.clock() - 50_000,
        endedAt: t.clock(),
        followups: [{ clientId: `followup-${index}`, name: index === 0 ? '' : '李', howToReach, offered: index === 0 ? 'warn before planned arrests' : 'pass on materials' }],
      });
      expect(saved.statusCode, saved.body).toBe(200);
      t.clock.advance(10 * 60_000);
    }
  });
  afterAll(async () => {
    await t.close();
  });

  const open = async (who = admin) => {
    const response = await who.request('GET', '/api/followups');
    return { status: response.statusCode, followups: response.statusCode === 200 ? response.json<{ followups: Followup[] }>().followups : [] };
  };

  it('lists the open contacts to an admin only, oldest due first, decrypted, and audits the reading', async () => {
    const { followups } = await open();
    expect(followups.map((f) => [f.howToReach, f.offered])).toEqual([
      ['13912345678', 'warn before planned arrests'],
      ['wechat: helper-2', 'pass on materials'],
    ]);
    expect(followups[0]?.recordedBy).toBe(`volunteer ${volunteer.username.replace('volunteer', '')}`);
    for (const who of [volunteer, coordinator, auditor]) {
      const refused = await open(who);
      expect(refused.status).toBe(403);
    }
    const audit = (await auditor.request('GET', `/api/audit?actorId=${admin.userId}`)).json<{ entries: { action: string }[] }>().entries;
    expect(audit.map((entry) => entry.action)).toContain('followup.listed');
  });

  it('moves one to a later day, marks one done (and open again), each audited', async () => {
    const [first, second] = (await open()).followups;
    const later = t.clock() + 3 * 86_400_000;
    expect((await admin.request('PUT', `/api/followups/${first?.id ?? ''}/due`, { dueAt: later })).statusCode).toBe(204);
    expect((await open()).followups.map((f) => f.id)).toEqual([second?.id, first?.id]);

    expect((await admin.request('POST', `/api/followups/${second?.id ?? ''}/done`)).statusCode).toBe(204);
    expect((await admin.request('POST', `/api/followups/${second?.id ?? ''}/done`)).statusCode).toBe(409);
    expect((await open()).followups.map((f) => f.id)).toEqual([first?.id]);
    const done = (await admin.request('GET', '/api/followups?state=done')).json<{ followups: Followup[] }>().followups;
    expect(done.map((f) => [f.id, typeof f.doneAt])).toEqual([[second?.id, 'number']]);
    expect((await admin.request('POST', `/api/followups/${second?.id ?? ''}/reopen`)).statusCode).toBe(204);
    expect((await open()).followups.length).toBe(2);
    expect((await admin.request('POST', '/api/followups/no-such/done')).statusCode).toBe(404);

    const audit = (await auditor.request('GET', `/api/audit?entityId=${second?.id ?? ''}`)).json<{ entries: { action: string; actorId: string }[] }>().entries;
    expect(audit.map((entry) => entry.action).sort()).toEqual(['followup.done', 'followup.reopened']);
  });

  it('drops a contact from the list once retention shredded it', async () => {
    // The hourly job with a cutoff past both (as when they are older than the retention).
    await t.runtime.store.calls.calls.shredFollowupsBefore(t.clock() + 1, t.clock());
    expect((await open()).followups).toEqual([]);
  });
});
