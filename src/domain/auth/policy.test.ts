import { describe, expect, it } from 'vitest';
import { type Action, type Actor, type Role, can, policies } from './policy';

const now = Date.UTC(2026, 10, 25, 12);
const actor = (role: Role, id = `${role}-1`): Actor => ({ id, role, username: id });

// The expected policy, written out by hand per role so that a change to the rules shows up here.
const expected: Record<Role, Action[]> = {
  volunteer: [
    'statement.register',
    'call.create',
    'followup.create',
    'campaign.read',
    'campaign.claim',
    'callback.read',
    'shift.signup',
    'shift.view',
    'presence.set-own',
    'report.own',
    'telephony.softphone',
  ],
  coordinator: [
    'user.list',
    'statement.register',
    'statement.moderate',
    'statement.correct',
    'statement.search',
    'statement.read-real-name',
    'statement.read',
    'call.create',
    'call.read',
    'call.read-notes',
    'call.list-all',
    'followup.create',
    'script.edit',
    'campaign.manage',
    'shift.assign',
    'presence.view-all',
    'donotcall.manage',
    'calllist.import',
    'calllist.read',
    'campaign.read',
    'campaign.claim',
    'callback.read',
    'shift.signup',
    'shift.view',
    'shift.set-minimum',
    'presence.set-own',
    'queue.simulate',
    'queue.metrics',
    'report.dashboard',
    'report.own',
    'story.manage',
    'telephony.softphone',
  ],
  admin: Object.keys(policies) as Action[],
  auditor: ['audit.read', 'audit.verify'],
};

describe('can(actor, action) for records that are not the actor own', () => {
  const someoneElses = { ownerId: 'another-user', createdAt: now - 3_600_000 };
  for (const role of ['volunteer', 'coordinator', 'admin', 'auditor'] as const) {
    for (const action of Object.keys(policies) as Action[]) {
      const allowed = expected[role].includes(action);
      it(`${role} ${allowed ? 'may' : 'may not'} ${action}`, () => {
        expect(can(actor(role), action, someoneElses, now)).toBe(allowed);
      });
    }
  }
});

describe('rules that look at the record', () => {
  it('a volunteer reads and edits their own call for 24 hours, then it is locked', () => {
    const volunteer = actor('volunteer', 'v1');
    const fresh = { ownerId: 'v1', createdAt: now - 23 * 3_600_000 };
    const old = { ownerId: 'v1', createdAt: now - 25 * 3_600_000 };
    expect(can(volunteer, 'call.read', fresh, now)).toBe(true);
    expect(can(volunteer, 'call.read-notes', fresh, now)).toBe(true);
    expect(can(volunteer, 'call.edit', fresh, now)).toBe(true);
    expect(can(volunteer, 'call.edit', old, now)).toBe(false);
    expect(can(volunteer, 'call.read', old, now)).toBe(true);
  });

  it('a coordinator cannot edit a volunteer call but an admin can', () => {
    const record = { ownerId: 'v1', createdAt: now - 3_600_000 };
    expect(can(actor('coordinator'), 'call.edit', record, now)).toBe(false);
    expect(can(actor('admin'), 'call.edit', record, now)).toBe(true);
  });

  it('denies by default: no actor, or an action without a rule', () => {
    expect(can(null, 'statement.register')).toBe(false);
    expect(can(undefined, 'audit.read')).toBe(false);
    expect(can(actor('admin'), 'no.such.action' as Action)).toBe(false);
  });

  it('only admins see follow-up contacts', () => {
    expect(can(actor('admin'), 'followup.read', undefined, now)).toBe(true);
    expect(can(actor('coordinator'), 'followup.read', undefined, now)).toBe(false);
    expect(can(actor('volunteer'), 'followup.read', undefined, now)).toBe(false);
    expect(can(actor('auditor'), 'followup.read', undefined, now)).toBe(false);
  });
});
