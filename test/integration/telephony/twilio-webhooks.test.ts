import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PARTY_NUMBER_CONTEXT, summarizeCall } from '../../../src/telephony/call-events';
import { CoreCallRouter } from '../../../src/telephony/core-call-router';
import { signUpStaff } from '../../support/staff';
import { type TestHotline, startTestHotline } from '../../support/test-runtime';

const AUTH_TOKEN = 'test-auth-token-0123456789abcdef';
const PUBLIC_URL = 'http://127.0.0.1:8080';
const env = {
  HOTLINE_PUBLIC_URL: PUBLIC_URL,
  HOTLINE_TWILIO_ACCOUNT_SID: `AC${'a'.repeat(32)}`,
  HOTLINE_TWILIO_AUTH_TOKEN: AUTH_TOKEN,
  HOTLINE_TWILIO_API_KEY_SID: `SK${'b'.repeat(32)}`,
  HOTLINE_TWILIO_API_KEY_SECRET: 'api-key-secret-0123456789',
  HOTLINE_SIP_RING_SECONDS: '15',
};
const CALLER = '+8613800138000';
const HOTLINE_NUMBER = '+14165550100';

let t: TestHotline;
let router: CoreCallRouter;
let seq = 0;
const newCallSid = () => `CA${(++seq).toString(16).padStart(32, '0')}`;

/** Posts a webhook the way Twilio does: form-encoded, signed over the full public URL. */
function post(path: string, params: Record<string, string>, options: { signature?: string; signedUrl?: string } = {}) {
  const signature = options.signature ?? twilio.getExpectedTwilioSignature(AUTH_TOKEN, options.signedUrl ?? `${PUBLIC_URL}${path}`, params);
  return t.app.inject({
    method: 'POST',
    url: path,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
    payload: new URLSearchParams(params).toString(),
  });
}

async function summary(callSid: string) {
  return summarizeCall(await t.runtime.store.telephony.callEvents.forCall('twilio', callSid));
}

beforeAll(async () => {
  t = await startTestHotline({ env });
  // A fresh router on the test clock, with volunteers going on duty a minute apart.
  router = new CoreCallRouter(t.clock, { offerTimeoutSeconds: 20, wrapUpSeconds: 0 });
  t.app.telephony.router = router;
});
afterAll(async () => {
  router.close();
  await t.close();
});

describe('Twilio inbound calls', () => {
  it('rings the volunteer idle longest, skips a busy one, and records the answered call', async () => {
    router.volunteerOnDuty('vol-a');
    t.clock.advance(60_000);
    router.volunteerOnDuty('vol-b');
    t.clock.advance(60_000);
    const callSid = newCallSid();

    const first = await post('/telephony/twilio/voice', { CallSid: callSid, From: CALLER, To: HOTLINE_NUMBER, CallStatus: 'ringing' });
    expect(first.statusCode).toBe(200);
    expect(first.headers['content-type']).toMatch(/text\/xml/);
    expect(first.body).toMatchInlineSnapshot(
      `"<?xml version="1.0" encoding="UTF-8"?><Response><Dial timeout="15" action="http://127.0.0.1:8080/telephony/twilio/dial-result?volunteer=vol-a" method="POST"><Client statusCallback="http://127.0.0.1:8080/telephony/twilio/client-status?volunteer=vol-a" statusCallbackMethod="POST" statusCallbackEvent="ringing answered completed">vol-a</Client></Dial></Response>"`,
    );

    // vol-a's client is busy: the call moves on to vol-b at once.
    const busy = await post('/telephony/twilio/dial-result?volunteer=vol-a', { CallSid: callSid, CallStatus: 'in-progress', DialCallStatus: 'busy' });
    expect(busy.statusCode).toBe(200);
    expect(busy.body).toContain('<Client statusCallback="http://127.0.0.1:8080/telephony/twilio/client-status?volunteer=vol-b"');
    expect(busy.body).toContain('>vol-b</Client>');

    const childSid = newCallSid();
    const leg = { CallSid: childSid, ParentCallSid: callSid };
    expect((await post('/telephony/twilio/client-status?volunteer=vol-b', { ...leg, CallStatus: 'ringing' })).statusCode).toBe(204);
    t.clock.advance(4_000);
    expect((await post('/telephony/twilio/client-status?volunteer=vol-b', { ...leg, CallStatus: 'in-progress' })).statusCode).toBe(204);
    expect(router.core.snapshot().agents.find((a) => a.agentId === 'vol-b')?.presence).toBe('on_call');
    t.clock.advance(66_000);
    const done = await post('/telephony/twilio/dial-result?volunteer=vol-b', { CallSid: callSid, CallStatus: 'in-progress', DialCallStatus: 'completed' });
    expect(done.body).toMatchInlineSnapshot(`"<?xml version="1.0" encoding="UTF-8"?><Response><Hangup/></Response>"`);
    // The caller's own call then completes: it must not end the call a second time.
    await post('/telephony/twilio/call-status', { CallSid: callSid, CallStatus: 'completed' });

    const record = await summary(callSid);
    expect(record).toMatchObject({
      outcome: 'answered',
      answeredBy: 'vol-b',
      hangupBy: 'volunteer',
      talkSeconds: 66,
      attempts: [
        { volunteerId: 'vol-a', result: 'busy' },
        { volunteerId: 'vol-b', result: 'answered' },
      ],
    });
    expect(record!.answeredAt! - record!.startedAt).toBe(4_000);
    const events = await t.runtime.store.telephony.callEvents.forCall('twilio', callSid);
    expect(events.filter((e) => e.kind === 'ended')).toHaveLength(1);
    // Nothing about the caller's number is kept for a normal call.
    expect(events.every((e) => e.party_number_enc === null)).toBe(true);
  });

  it('offers a callback when nobody is free, and pressing 1 stores the encrypted number', async () => {
    const snapshot = router.core.snapshot();
    for (const agent of snapshot.agents) router.core.setPresence(agent.agentId, 'break');
    const callSid = newCallSid();
    const answer = await post('/telephony/twilio/voice', { CallSid: callSid, From: CALLER, To: HOTLINE_NUMBER });
    expect(answer.body).toMatchInlineSnapshot(
      `"<?xml version="1.0" encoding="UTF-8"?><Response><Gather numDigits="1" timeout="8" action="http://127.0.0.1:8080/telephony/twilio/choice" method="POST"><Say language="zh-CN">志愿者现在都在通话中。需要我们给您回电，请按一。</Say><Say language="en-US">All volunteers are on a call. To be called back, press one.</Say></Gather><Say language="zh-CN">谢谢，再见。</Say><Say language="en-US">Thank you, goodbye.</Say><Hangup/></Response>"`,
    );
    const choice = await post('/telephony/twilio/choice', { CallSid: callSid, From: CALLER, To: HOTLINE_NUMBER, Digits: '1' });
    expect(choice.body).toContain('志愿者会尽快给您回电');
    const [request] = await t.runtime.store.telephony.callEvents.ofKind('callback-requested', 1);
    expect(request?.call_id).toBe(callSid);
    expect(t.runtime.keyring.decrypt(request!.party_number_enc!, PARTY_NUMBER_CONTEXT)).toBe(CALLER);
    expect(Buffer.from(request!.party_number_enc!).toString('latin1')).not.toContain('13800138000');
    expect((await summary(callSid))?.outcome).toBe('callback-requested');
    for (const agent of snapshot.agents) router.core.setPresence(agent.agentId, 'available');
  });
});

describe('Twilio webhook signatures', () => {
  it.each([
    ['no signature', { signature: '' }],
    ['a signature made with another token', { signature: twilio.getExpectedTwilioSignature('another-token-0123456789', `${PUBLIC_URL}/telephony/twilio/voice`, { CallSid: `CA${'f'.repeat(32)}` }) }],
    ['a signature over another URL', { signedUrl: `${PUBLIC_URL}/telephony/twilio/choice` }],
  ])('refuses %s with 403 and stores nothing', async (_name, options) => {
    const before = await t.runtime.store.telephony.callEvents.count();
    const response = await post('/telephony/twilio/voice', { CallSid: `CA${'f'.repeat(32)}`, From: CALLER, To: HOTLINE_NUMBER }, options);
    expect(response.statusCode).toBe(403);
    expect(response.body).not.toContain('<Response>');
    expect(response.body).not.toContain(CALLER);
    expect(await t.runtime.store.telephony.callEvents.count()).toBe(before);
  });

  it('refuses a tampered parameter even with an otherwise valid signature', async () => {
    const before = await t.runtime.store.telephony.callEvents.count();
    const params = { CallSid: newCallSid(), From: CALLER, To: HOTLINE_NUMBER, Digits: '2' };
    const signature = twilio.getExpectedTwilioSignature(AUTH_TOKEN, `${PUBLIC_URL}/telephony/twilio/choice`, params);
    const response = await post('/telephony/twilio/choice', { ...params, Digits: '1' }, { signature });
    expect(response.statusCode).toBe(403);
    expect(await t.runtime.store.telephony.callEvents.count()).toBe(before);
  });

  it('answers a well-signed but malformed request with 400 and stores nothing', async () => {
    const before = await t.runtime.store.telephony.callEvents.count();
    const response = await post('/telephony/twilio/voice', { CallSid: 'not-a-call-sid', From: CALLER });
    expect(response.statusCode).toBe(400);
    expect(await t.runtime.store.telephony.callEvents.count()).toBe(before);
  });
});

describe('Recorded-message campaign IVR', () => {
  it('plays the message and turns key 1 into a callback request for the listener', async () => {
    const callSid = newCallSid();
    const listener = '+862088889999';
    const answered = await post('/telephony/twilio/campaigns/camp-7/answer', { CallSid: callSid, From: HOTLINE_NUMBER, To: listener, CallStatus: 'in-progress' });
    expect(answered.body).toMatchInlineSnapshot(
      `"<?xml version="1.0" encoding="UTF-8"?><Response><Gather numDigits="1" timeout="6" action="http://127.0.0.1:8080/telephony/twilio/campaigns/camp-7/choice" method="POST"><Play>http://127.0.0.1:8080/telephony/messages/camp-7.mp3</Play><Say language="zh-CN">想和志愿者通话，请按一。</Say><Say language="en-US">To talk with a volunteer, press one.</Say></Gather><Hangup/></Response>"`,
    );
    const choice = await post('/telephony/twilio/campaigns/camp-7/choice', { CallSid: callSid, From: HOTLINE_NUMBER, To: listener, Digits: '1' });
    expect(choice.statusCode).toBe(200);
    const events = await t.runtime.store.telephony.callEvents.forCall('twilio', callSid);
    const request = events.find((e) => e.kind === 'callback-requested');
    expect(request).toMatchObject({ campaign_id: 'camp-7', direction: 'outbound' });
    expect(t.runtime.keyring.decrypt(request!.party_number_enc!, PARTY_NUMBER_CONTEXT)).toBe(listener);
  });

  it('any other key ends the call without a callback request', async () => {
    const callSid = newCallSid();
    const choice = await post('/telephony/twilio/campaigns/camp-7/choice', { CallSid: callSid, From: HOTLINE_NUMBER, To: '+862088880000', Digits: '9' });
    expect(choice.body).toContain('<Hangup/>');
    const events = await t.runtime.store.telephony.callEvents.forCall('twilio', callSid);
    expect(events.map((e) => e.kind)).toEqual(['ended']);
  });
});

describe('Voice SDK access tokens', () => {
  it('gives a volunteer a token for their own identity that may receive calls', async () => {
    const volunteer = await signUpStaff(t, 'volunteer');
    const response = await volunteer.request('GET', '/telephony/twilio/token');
    expect(response.statusCode).toBe(200);
    const body = response.json() as { token: string; identity: string; ttlSeconds: number };
    expect(body.identity).toBe(volunteer.userId);
    const payload = JSON.parse(Buffer.from(body.token.split('.')[1]!, 'base64url').toString('utf8'));
    expect(payload.grants.identity).toBe(volunteer.userId);
    expect(payload.grants.voice.incoming.allow).toBe(true);
    expect(payload.iss).toBe(env.HOTLINE_TWILIO_API_KEY_SID);
    expect(payload.exp - payload.iat).toBe(3600);
  });

  it('refuses an auditor and anyone not signed in', async () => {
    const auditor = await signUpStaff(t, 'auditor');
    expect((await auditor.request('GET', '/telephony/twilio/token')).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/telephony/twilio/token' })).statusCode).toBe(401);
  });
});
