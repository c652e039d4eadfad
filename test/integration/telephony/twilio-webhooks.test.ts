import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { taskDialTarget } from '../../../src/shared/dial-target';
import { summarizeCall } from '../../../src/telephony/call-events';
import { type StaffSession, signUpStaff } from '../../support/staff';
import { type TestHotline, startTestHotline } from '../../support/test-runtime';

const AUTH_TOKEN = 'test-auth-token-0123456789abcdef';
const PUBLIC_URL = 'http://127.0.0.1:8080';
const env = {
  HOTLINE_PUBLIC_URL: PUBLIC_URL,
  HOTLINE_TWILIO_ACCOUNT_SID: `AC${'a'.repeat(32)}`,
  HOTLINE_TWILIO_AUTH_TOKEN: AUTH_TOKEN,
  HOTLINE_TWILIO_API_KEY_SID: `SK${'b'.repeat(32)}`,
  HOTLINE_TWILIO_API_KEY_SECRET: 'api-key-secret-0123456789',
  HOTLINE_TWILIO_TWIML_APP_SID: `AP${'c'.repeat(32)}`,
  HOTLINE_TWILIO_CALLER_ID: '+14165550100',
  HOTLINE_SIP_RING_SECONDS: '15',
  HOTLINE_QUEUE_WAIT_SECONDS: '30',
};
const CALLER = '+8613800138000';
const HOTLINE_NUMBER = '+14165550100';

let t: TestHotline;
let volA: StaffSession;
let volB: StaffSession;
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

/** Presence from the console's API. */
async function presence(session: StaffSession, value: 'available' | 'break' | 'offline', languages?: string[]): Promise<void> {
  expect((await session.request('POST', '/api/operations/presence', { presence: value, ...(languages ? { languages } : {}) })).statusCode).toBe(200);
}

/** Where an agent stands in the server's inbound queue. */
async function agent(session: StaffSession) {
  return t.app.services.queue.snapshot().agents.find((a) => a.agentId === session.userId);
}

/** The TwiML that rings one volunteer's Voice SDK client. */
const ringTwiml = (id: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><Response><Dial timeout="15" action="http://127.0.0.1:8080/telephony/twilio/dial-result?volunteer=${id}" method="POST"><Client statusCallback="http://127.0.0.1:8080/telephony/twilio/client-status?volunteer=${id}" statusCallbackMethod="POST" statusCallbackEvent="ringing answered completed">${id}</Client></Dial></Response>`;

beforeAll(async () => {
  // The server's inbound queue on timers that move with the test clock; no wrap-up between calls.
  t = await startTestHotline({ env, queue: { config: { wrapUpSeconds: 0 } } });
  volA = await signUpStaff(t, 'volunteer');
  volB = await signUpStaff(t, 'volunteer');
});
afterAll(async () => {
  await t.close();
});

describe('Twilio inbound calls', () => {
  it('rings the volunteer idle longest, skips a busy one, and records the answered call', async () => {
    await presence(volA, 'available');
    t.clock.advance(60_000);
    await presence(volB, 'available');
    t.clock.advance(60_000);
    const callSid = newCallSid();
    const a = volA.userId;
    const b = volB.userId;

    const first = await post('/telephony/twilio/voice', { CallSid: callSid, From: CALLER, To: HOTLINE_NUMBER, CallStatus: 'ringing' });
    expect(first.statusCode).toBe(200);
    expect(first.headers['content-type']).toMatch(/text\/xml/);
    expect(first.body).toBe(ringTwiml(a));

    // The first volunteer's client is busy: the call moves on to the second at once.
    const busy = await post(`/telephony/twilio/dial-result?volunteer=${a}`, { CallSid: callSid, CallStatus: 'in-progress', DialCallStatus: 'busy' });
    expect(busy.statusCode).toBe(200);
    expect(busy.body).toBe(ringTwiml(b));

    const childSid = newCallSid();
    const leg = { CallSid: childSid, ParentCallSid: callSid };
    expect((await post(`/telephony/twilio/client-status?volunteer=${b}`, { ...leg, CallStatus: 'ringing' })).statusCode).toBe(204);
    t.clock.advance(4_000);
    expect((await post(`/telephony/twilio/client-status?volunteer=${b}`, { ...leg, CallStatus: 'in-progress' })).statusCode).toBe(204);
    expect((await agent(volB))?.presence).toBe('on_call');
    t.clock.advance(66_000);
    const done = await post(`/telephony/twilio/dial-result?volunteer=${b}`, { CallSid: callSid, CallStatus: 'in-progress', DialCallStatus: 'completed' });
    expect(done.body).toMatchInlineSnapshot(`"<?xml version="1.0" encoding="UTF-8"?><Response><Hangup/></Response>"`);
    // The caller's own call then completes: it must not end the call a second time.
    await post('/telephony/twilio/call-status', { CallSid: callSid, CallStatus: 'completed' });

    const record = await summary(callSid);
    expect(record).toMatchObject({
      outcome: 'answered',
      answeredBy: b,
      hangupBy: 'volunteer',
      talkSeconds: 66,
      attempts: [
        { volunteerId: a, result: 'busy' },
        { volunteerId: b, result: 'answered' },
      ],
    });
    expect((await agent(volB))?.presence).toBe('available');
    expect(record!.answeredAt! - record!.startedAt).toBe(4_000);
    const events = await t.runtime.store.telephony.callEvents.forCall('twilio', callSid);
    expect(events.filter((e) => e.kind === 'ended')).toHaveLength(1);
    // Nothing about the caller's number is kept for a normal call.
    expect(events.every((e) => e.party_number_enc === null)).toBe(true);
  });

  it('puts the caller on hold while every volunteer is on a call, and rings the first one free', async () => {
    const talking = newCallSid();
    expect((await post('/telephony/twilio/voice', { CallSid: talking, From: CALLER, To: HOTLINE_NUMBER })).body).toBe(ringTwiml(volA.userId));
    await post(`/telephony/twilio/client-status?volunteer=${volA.userId}`, { CallSid: newCallSid(), ParentCallSid: talking, CallStatus: 'in-progress' });
    await presence(volB, 'break');
    const waiting = newCallSid();
    const hold = await post('/telephony/twilio/voice', { CallSid: waiting, From: CALLER, To: HOTLINE_NUMBER });
    expect(hold.body).toMatchInlineSnapshot(
      `"<?xml version="1.0" encoding="UTF-8"?><Response><Say language="zh-CN">志愿者都在通话中，请稍候，马上为您接通。</Say><Say language="en-US">All volunteers are on a call. Please hold, we will connect you shortly.</Say><Pause length="3"/><Redirect method="POST">http://127.0.0.1:8080/telephony/twilio/wait</Redirect></Response>"`,
    );
    // Still nobody: a pause without the prompt again.
    expect((await post('/telephony/twilio/wait', { CallSid: waiting, From: CALLER, To: HOTLINE_NUMBER })).body).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response><Pause length="3"/><Redirect method="POST">http://127.0.0.1:8080/telephony/twilio/wait</Redirect></Response>',
    );
    await post(`/telephony/twilio/dial-result?volunteer=${volA.userId}`, { CallSid: talking, CallStatus: 'completed', DialCallStatus: 'completed' });
    expect((await post('/telephony/twilio/wait', { CallSid: waiting, From: CALLER, To: HOTLINE_NUMBER })).body).toBe(ringTwiml(volA.userId));
    await post('/telephony/twilio/call-status', { CallSid: waiting, CallStatus: 'completed' });
    await presence(volB, 'available');
  });

  it('rings a volunteer who speaks the language the number was called in (?language= on the webhook URL)', async () => {
    await presence(volA, 'offline');
    await presence(volB, 'offline');
    await presence(volA, 'available', ['zh']);
    t.clock.advance(1000);
    await presence(volB, 'available', ['yue']);
    const callSid = newCallSid();
    const answer = await post('/telephony/twilio/voice?language=yue', { CallSid: callSid, From: CALLER, To: HOTLINE_NUMBER });
    expect(answer.body).toBe(ringTwiml(volB.userId));
    await post('/telephony/twilio/call-status', { CallSid: callSid, CallStatus: 'completed' });
    expect((await post('/telephony/twilio/voice?language=12345', { CallSid: newCallSid(), From: CALLER })).statusCode).toBe(400);
  });

  it('offers a callback when nobody is free; pressing 1 creates a callback request that a volunteer claims and dials', async () => {
    await presence(volA, 'break');
    await presence(volB, 'break');
    const callSid = newCallSid();
    const answer = await post('/telephony/twilio/voice', { CallSid: callSid, From: CALLER, To: HOTLINE_NUMBER });
    expect(answer.body).toMatchInlineSnapshot(
      `"<?xml version="1.0" encoding="UTF-8"?><Response><Gather numDigits="1" timeout="8" action="http://127.0.0.1:8080/telephony/twilio/choice" method="POST"><Say language="zh-CN">志愿者现在都在通话中。需要我们给您回电，请按一。</Say><Say language="en-US">All volunteers are on a call. To be called back, press one.</Say></Gather><Say language="zh-CN">谢谢，再见。</Say><Say language="en-US">Thank you, goodbye.</Say><Hangup/></Response>"`,
    );
    const choice = await post('/telephony/twilio/choice', { CallSid: callSid, From: CALLER, To: HOTLINE_NUMBER, Digits: '1' });
    expect(choice.body).toContain('志愿者会尽快给您回电');
    expect((await summary(callSid))?.outcome).toBe('callback-requested');
    // The event log keeps no number; the callback task holds it, encrypted.
    const events = await t.runtime.store.telephony.callEvents.forCall('twilio', callSid);
    expect(events.every((e) => e.party_number_enc === null)).toBe(true);
    const task = await t.runtime.store.operations.campaigns.findTask(`callback:${callSid}`);
    expect(task).toMatchObject({ kind: 'callback', status: 'open', campaign_id: null });
    expect(task!.phone_enc!.toString('latin1')).not.toContain('13800138000');
    // A volunteer works it like a campaign number: claims it (masked), dials it (in full).
    const claimed = (await volA.request('POST', '/api/operations/campaigns/callbacks/claim', { size: 5 })).json() as { tasks: { id: string; maskedNumber: string }[] };
    expect(claimed.tasks.map((x) => x.id)).toEqual([`callback:${callSid}`]);
    expect(claimed.tasks[0]!.maskedNumber).not.toContain('13800138000');
    const dial = await volA.request('POST', `/api/operations/tasks/${encodeURIComponent(`callback:${callSid}`)}/dial`);
    expect(dial.json()).toEqual({ taskId: `callback:${callSid}`, number: CALLER });
  });

  it('says the callback is impossible when the caller withheld the number, and creates no task', async () => {
    const callSid = newCallSid();
    await post('/telephony/twilio/voice', { CallSid: callSid, From: 'anonymous', To: HOTLINE_NUMBER });
    const choice = await post('/telephony/twilio/choice', { CallSid: callSid, From: 'anonymous', To: HOTLINE_NUMBER, Digits: '1' });
    expect(choice.body).toContain('we cannot see your number');
    expect(await t.runtime.store.operations.campaigns.findTask(`callback:${callSid}`)).toBeUndefined();
    await presence(volA, 'available');
    await presence(volB, 'available');
  });
});

describe('outbound calls from the console through Twilio', () => {
  type Dial = { allowed: true; ticket: string } | { allowed: false; reason: string };
  const dial = async (session: StaffSession, target: string) => {
    const response = await session.request('POST', '/telephony/twilio/dials', { target });
    expect(response.statusCode).toBe(200);
    return response.json() as Dial;
  };
  const ticketOf = (decision: Dial) => {
    if (!decision.allowed) throw new Error(`refused: ${decision.reason}`);
    return decision.ticket;
  };
  /** A callback request from a caller nobody could take, claimed by `session`. */
  async function claimedCallback(session: StaffSession, caller: string): Promise<string> {
    await presence(volA, 'break');
    await presence(volB, 'break');
    const callSid = newCallSid();
    await post('/telephony/twilio/voice', { CallSid: callSid, From: caller, To: HOTLINE_NUMBER });
    await post('/telephony/twilio/choice', { CallSid: callSid, From: caller, To: HOTLINE_NUMBER, Digits: '1' });
    await presence(volA, 'available');
    await presence(volB, 'available');
    const claimed = (await session.request('POST', '/api/operations/campaigns/callbacks/claim', { size: 5 })).json() as { tasks: { id: string }[] };
    expect(claimed.tasks.map((x) => x.id)).toContain(`callback:${callSid}`);
    return `callback:${callSid}`;
  }
  const dialTwiml = (id: string, e164: string) =>
    `<?xml version="1.0" encoding="UTF-8"?><Response><Dial callerId="+14165550100" timeout="15" answerOnBridge="true" action="http://127.0.0.1:8080/telephony/twilio/outbound-result?volunteer=${id}" method="POST"><Number statusCallback="http://127.0.0.1:8080/telephony/twilio/number-status?volunteer=${id}" statusCallbackMethod="POST" statusCallbackEvent="ringing answered">${e164}</Number></Dial></Response>`;
  const refusedTwiml =
    '<?xml version="1.0" encoding="UTF-8"?><Response><Say language="zh-CN">Hotline 不允许拨打这个号码。</Say><Say language="en-US">Hotline does not allow this call.</Say><Hangup/></Response>';

  it('dials a claimed number by a one-use ticket for its volunteer: the number reaches Twilio, never the console', async () => {
    const taskId = await claimedCallback(volA, '+8613800138011');
    // Someone else's claim is refused with the reason the console shows.
    expect(await dial(volB, taskDialTarget(taskId))).toEqual({ allowed: false, reason: 'NOT_ASSIGNED' });
    const decision = await dial(volA, taskDialTarget(taskId));
    expect(JSON.stringify(decision)).not.toContain('13800138011');
    const ticket = ticketOf(decision);

    // The ticket dials only for the volunteer it was issued to, and only once.
    const stolen = await post('/telephony/twilio/outbound', { CallSid: newCallSid(), From: `client:${volB.userId}`, To: ticket });
    expect(stolen.body).toBe(refusedTwiml);
    const again = ticketOf(await dial(volA, taskDialTarget(taskId)));
    const callSid = newCallSid();
    const answer = await post('/telephony/twilio/outbound', { CallSid: callSid, From: `client:${volA.userId}`, To: again });
    expect(answer.body).toBe(dialTwiml(volA.userId, '+8613800138011'));
    // On their own call the volunteer is shown on a call, and the queue offers them nothing.
    expect((await agent(volA))?.presence).toBe('on_call');
    expect((await post('/telephony/twilio/outbound', { CallSid: newCallSid(), From: `client:${volA.userId}`, To: again })).body).toBe(refusedTwiml);

    // The far end rings, answers; the volunteer hangs up after 40 s.
    const leg = { CallSid: newCallSid(), ParentCallSid: callSid };
    expect((await post(`/telephony/twilio/number-status?volunteer=${volA.userId}`, { ...leg, CallStatus: 'ringing' })).statusCode).toBe(204);
    t.clock.advance(2_000);
    await post(`/telephony/twilio/number-status?volunteer=${volA.userId}`, { ...leg, CallStatus: 'in-progress' });
    t.clock.advance(40_000);
    const done = await post(`/telephony/twilio/outbound-result?volunteer=${volA.userId}`, { CallSid: callSid, DialCallStatus: 'completed', CallStatus: 'completed' });
    expect(done.body).toContain('<Hangup/>');
    expect((await agent(volA))?.presence).toBe('available');
    expect(await summary(callSid)).toMatchObject({ direction: 'outbound', answeredBy: volA.userId, hangupBy: 'volunteer', talkSeconds: 40 });
    // The conversation's outcome is the volunteer's to record: the task still waits for it.
    expect(await t.runtime.store.operations.campaigns.findTask(taskId)).toMatchObject({ attempts: 0, claimed_by: volA.userId });
  });

  it("records a far end's busy as an attempt on the task, which goes back to the pool", async () => {
    const taskId = await claimedCallback(volB, '+8613800138012');
    const callSid = newCallSid();
    await post('/telephony/twilio/outbound', { CallSid: callSid, From: `client:${volB.userId}`, To: ticketOf(await dial(volB, taskDialTarget(taskId))) });
    await post(`/telephony/twilio/outbound-result?volunteer=${volB.userId}`, { CallSid: callSid, DialCallStatus: 'busy', CallStatus: 'in-progress' });
    expect(await t.runtime.store.operations.campaigns.findTask(taskId)).toMatchObject({ attempts: 1, last_outcome: 'busy', claimed_by: null });
    expect(await dial(volB, taskDialTarget(taskId))).toEqual({ allowed: false, reason: 'NOT_ASSIGNED' });
  });

  it('refuses a malformed dial request, and an auditor', async () => {
    expect((await volA.request('POST', '/telephony/twilio/dials', { target: '' })).statusCode).toBe(400);
    const auditor = await signUpStaff(t, 'auditor');
    expect((await auditor.request('POST', '/telephony/twilio/dials', { target: 'task-x' })).statusCode).toBe(403);
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
  it('plays the campaign message, served by Hotline, and turns key 1 into a callback request for the listener', async () => {
    const dir = path.join(t.config.dataDir, 'campaign-messages');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'camp-7.mp3'), Buffer.from('ID3 not really an mp3'));
    const callSid = newCallSid();
    const listener = '+862088889999';
    const answered = await post('/telephony/twilio/campaigns/camp-7/answer', { CallSid: callSid, From: HOTLINE_NUMBER, To: listener, CallStatus: 'in-progress' });
    expect(answered.body).toMatchInlineSnapshot(
      `"<?xml version="1.0" encoding="UTF-8"?><Response><Gather numDigits="1" timeout="6" action="http://127.0.0.1:8080/telephony/twilio/campaigns/camp-7/choice" method="POST"><Play>http://127.0.0.1:8080/telephony/messages/camp-7.mp3</Play><Say language="zh-CN">想和志愿者通话，请按一。</Say><Say language="en-US">To talk with a volunteer, press one.</Say></Gather><Hangup/></Response>"`,
    );
    // Twilio fetches the message from that URL.
    const message = await t.app.inject({ method: 'GET', url: '/telephony/messages/camp-7.mp3' });
    expect(message.statusCode).toBe(200);
    expect(message.headers['content-type']).toBe('audio/mpeg');
    expect(message.body).toBe('ID3 not really an mp3');
    expect((await t.app.inject({ method: 'GET', url: '/telephony/messages/camp-8.mp3' })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/telephony/messages/..%2Fhotline.db' })).statusCode).toBe(400);

    const choice = await post('/telephony/twilio/campaigns/camp-7/choice', { CallSid: callSid, From: HOTLINE_NUMBER, To: listener, Digits: '1' });
    expect(choice.statusCode).toBe(200);
    expect(choice.body).toContain('志愿者会尽快给您回电');
    const events = await t.runtime.store.telephony.callEvents.forCall('twilio', callSid);
    expect(events.find((e) => e.kind === 'callback-requested')).toMatchObject({ campaign_id: 'camp-7', direction: 'outbound', party_number_enc: null });
    const task = await t.runtime.store.operations.campaigns.findTask(`callback:${callSid}`);
    expect(task).toMatchObject({ kind: 'callback', status: 'open' });
    expect(t.runtime.keyring.decrypt(task!.phone_enc!, 'call_tasks.phone')).toBe(listener);
  });

  it('asks only for the key when the campaign has no recorded message', async () => {
    const answered = await post('/telephony/twilio/campaigns/camp-9/answer', { CallSid: newCallSid(), From: HOTLINE_NUMBER, To: '+862088880001', CallStatus: 'in-progress' });
    expect(answered.body).not.toContain('<Play>');
    expect(answered.body).toContain('To talk with a volunteer, press one.');
  });

  it('any other key ends the call without a callback request', async () => {
    const callSid = newCallSid();
    const choice = await post('/telephony/twilio/campaigns/camp-7/choice', { CallSid: callSid, From: HOTLINE_NUMBER, To: '+862088880000', Digits: '9' });
    expect(choice.body).toContain('<Hangup/>');
    const events = await t.runtime.store.telephony.callEvents.forCall('twilio', callSid);
    expect(events.map((e) => e.kind)).toEqual(['ended']);
    expect(await t.runtime.store.operations.campaigns.findTask(`callback:${callSid}`)).toBeUndefined();
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
