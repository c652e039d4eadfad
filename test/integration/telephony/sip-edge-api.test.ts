import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summarizeCall } from '../../../src/telephony/call-events';
import { CoreCallRouter } from '../../../src/telephony/core-call-router';
import { sipPassword } from '../../../src/telephony/sip/credentials';
import { signUpStaff } from '../../support/staff';
import { type TestHotline, startTestHotline } from '../../support/test-runtime';

const SECRET = 'sip-edge-test-secret-0123456789';
const DOMAIN = '127.0.0.3';
let t: TestHotline;
let router: CoreCallRouter;

/** A request as Kamailio sends it: the shared secret in a header, everything in the query. */
function edge(method: 'GET' | 'POST', url: string, secret: string | null = SECRET) {
  const headers: Record<string, string> = secret === null ? {} : { 'x-hotline-sip-secret': secret };
  if (method === 'POST') return t.app.inject({ method, url, headers: { ...headers, 'content-type': 'text/plain' }, payload: 'event' });
  return t.app.inject({ method, url, headers });
}

beforeAll(async () => {
  t = await startTestHotline({ env: { HOTLINE_SIP_SECRET: SECRET, HOTLINE_SIP_DOMAIN: DOMAIN } });
  router = new CoreCallRouter(t.clock, { wrapUpSeconds: 0 });
  t.app.telephony.router = router;
});
afterAll(async () => {
  router.close();
  await t.close();
});

describe('the SIP edge API (what Kamailio asks Hotline)', () => {
  it('refuses a request without the shared secret, or with a wrong one, and stores nothing', async () => {
    const before = await t.runtime.store.telephony.callEvents.count();
    for (const secret of [null, 'wrong-secret-0123456789abcdef']) {
      expect((await edge('GET', '/telephony/sip/route?call=abc@host&attempt=0', secret)).statusCode).toBe(403);
      expect((await edge('POST', '/telephony/sip/events?call=abc@host&kind=ended', secret)).statusCode).toBe(403);
      expect((await edge('GET', '/telephony/sip/credentials?user=someone', secret)).statusCode).toBe(403);
    }
    await t.app.telephony.flush();
    expect(await t.runtime.store.telephony.callEvents.count()).toBe(before);
  });

  it("gives the digest HA1 of an active staff member's phone and nothing for anyone else", async () => {
    const volunteer = await signUpStaff(t, 'volunteer');
    const known = await edge('GET', `/telephony/sip/credentials?user=${volunteer.userId}`);
    const expected = createHash('md5').update(`${volunteer.userId}:${DOMAIN}:${sipPassword(SECRET, volunteer.userId)}`).digest('hex');
    expect(known.body).toBe(`ha1 ${expected}`);
    expect((await edge('GET', '/telephony/sip/credentials?user=nobody-here')).body).toBe('none');
    expect((await edge('GET', '/telephony/sip/credentials?user=bad%20name')).statusCode).toBe(400);
  });

  it('routes a call to the idle-longest volunteer, moves on after busy, and records the call', async () => {
    router.volunteerOnDuty('vol-1');
    t.clock.advance(1000);
    router.volunteerOnDuty('vol-2');
    const call = encodeURIComponent('a84b4c76e66710@pc33.example');
    expect((await edge('GET', `/telephony/sip/route?call=${call}&attempt=0`)).body).toBe('ring vol-1');
    expect((await edge('POST', `/telephony/sip/events?call=${call}&kind=failed&volunteer=vol-1&code=486`)).body).toBe('ok');
    expect((await edge('GET', `/telephony/sip/route?call=${call}&attempt=1`)).body).toBe('ring vol-2');
    await edge('POST', `/telephony/sip/events?call=${call}&kind=ringing&volunteer=vol-2`);
    t.clock.advance(3000);
    await edge('POST', `/telephony/sip/events?call=${call}&kind=answered&volunteer=vol-2`);
    t.clock.advance(42_000);
    await edge('POST', `/telephony/sip/events?call=${call}&kind=ended&by=callee`);
    await t.app.telephony.flush();
    const record = summarizeCall(await t.runtime.store.telephony.callEvents.forCall('sip', 'a84b4c76e66710@pc33.example'));
    expect(record).toMatchObject({
      outcome: 'answered',
      answeredBy: 'vol-2',
      hangupBy: 'volunteer',
      talkSeconds: 42,
      attempts: [
        { volunteerId: 'vol-1', result: 'busy' },
        { volunteerId: 'vol-2', result: 'answered' },
      ],
    });
    expect(record!.answeredAt! - record!.startedAt).toBe(3000);
  });

  it('says none when nobody is free, and refuses outbound calls until claims allow them', async () => {
    for (const agent of router.core.snapshot().agents) router.core.agentOffDuty(agent.agentId);
    expect((await edge('GET', '/telephony/sip/route?call=lonely@host&attempt=0')).body).toBe('none');
    expect((await edge('GET', '/telephony/sip/outbound?call=out-1@host&volunteer=vol-1&target=%2B862012345678')).body).toBe('deny NOT_ASSIGNED');
    expect((await edge('GET', '/telephony/sip/outbound?call=out-2@host&volunteer=vol-1&target=not-a-number')).statusCode).toBe(400);
  });
});

describe('the console softphone account', () => {
  it('gives a volunteer their own SIP account and refuses an auditor', async () => {
    const volunteer = await signUpStaff(t, 'volunteer');
    const response = await volunteer.request('GET', '/telephony/sip/account');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ username: volunteer.userId, password: sipPassword(SECRET, volunteer.userId), domain: DOMAIN, websocketUrl: 'ws://127.0.0.3:5066' });
    const auditor = await signUpStaff(t, 'auditor');
    expect((await auditor.request('GET', '/telephony/sip/account')).statusCode).toBe(403);
  });
});
