import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SipHarness, dialOut, startSipHarness, startTrunk, waitForEnd } from './support/harness';
import { expectSuccess, killAll } from './support/processes';

const ASSIGNED = '+862012345678';
let harness: SipHarness;
const asked: { volunteerId: string; target: string }[] = [];

beforeAll(async () => {
  harness = await startSipHarness();
  // Stands in for the operations area's claims: v-out is assigned exactly one number.
  harness.setAuthorizer({
    authorize: async (volunteerId, target) => {
      asked.push({ volunteerId, target });
      return volunteerId === 'v-out' && target === ASSIGNED ? { allowed: true, e164: target } : { allowed: false, reason: 'NOT_ASSIGNED' };
    },
  });
});
afterAll(async () => {
  killAll();
  await harness?.close();
});

/** The Call-ID of the last outbound call Hotline heard about. */
async function lastOutboundCall(kind: 'arrived' | 'refused'): Promise<string | undefined> {
  await harness.app.telephony.flush();
  const [row] = await harness.runtime.store.telephony.callEvents.ofKind(kind, 1);
  return row?.call_id;
}

describe('outbound calls from a volunteer phone', () => {
  it('sends an assigned number to the trunk and records who hung up', async () => {
    const trunk = startTrunk();
    await expectSuccess(dialOut('v-out', ASSIGNED, { scenario: 'dial-out' }));
    await expectSuccess(trunk);
    expect(asked).toContainEqual({ volunteerId: 'v-out', target: ASSIGNED });
    const record = await waitForEnd(harness, () => lastOutboundCall('arrived'));
    expect(record).toMatchObject({ direction: 'outbound', outcome: 'answered', hangupBy: 'volunteer' });
  });

  it('refuses a number not assigned to the volunteer with 403 and the reason code', async () => {
    // dial-out-refused.xml fails unless the 403 carries X-Hotline-Refusal: NOT_ASSIGNED.
    await expectSuccess(dialOut('v-out', '+862099999999', { scenario: 'dial-out-refused' }));
    const callId = await lastOutboundCall('refused');
    const events = await harness.runtime.store.telephony.callEvents.forCall('sip', callId!);
    expect(events.map((e) => [e.kind, e.reason])).toEqual([['refused', 'NOT_ASSIGNED']]);
  });

  it('refuses a phone that cannot prove it is the volunteer', async () => {
    const before = asked.length;
    // Wrong password: challenged again (the scenario checks the second 407), and Hotline is never
    // asked about the number.
    await expectSuccess(dialOut('v-out', ASSIGNED, { scenario: 'dial-out-bad-password', password: 'not-the-password' }));
    expect(asked.length).toBe(before);
  });
});
