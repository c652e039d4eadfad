import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { type DialDecision, TwilioPhone, type TwilioPorts } from './twilio-phone';

// Twilio's Voice SDK talks only to Twilio's servers, so these tests drive the phone with a stand-in
// that emits the SDK's events (`incoming`, `accept`, `disconnect` ...) and records what was asked.

class FakeCall extends EventEmitter {
  readonly asked: string[] = [];
  private muted = false;
  constructor(public parameters: Record<string, string> = {}) {
    super();
  }
  accept() {
    this.asked.push('accept');
    this.emit('accept', this);
  }
  reject() {
    this.asked.push('reject');
    this.emit('reject');
  }
  disconnect() {
    this.asked.push('disconnect');
    this.emit('disconnect', this);
  }
  mute(shouldMute = true) {
    this.muted = shouldMute;
    this.asked.push(`mute ${String(shouldMute)}`);
    this.emit('mute', shouldMute, this);
  }
  isMuted() {
    return this.muted;
  }
  sendDigits(digits: string) {
    this.asked.push(`digits ${digits}`);
  }
}

class FakeDevice extends EventEmitter {
  static last: FakeDevice | undefined;
  readonly tokens: string[];
  readonly connects: { params?: Record<string, string> }[] = [];
  nextCall = new FakeCall();
  isDestroyed = false;
  readonly sounds: string[] = [];
  readonly audio = {
    incoming: (on: boolean) => this.sounds.push(`incoming ${String(on)}`),
    outgoing: (on: boolean) => this.sounds.push(`outgoing ${String(on)}`),
    disconnect: (on: boolean) => this.sounds.push(`disconnect ${String(on)}`),
  };
  constructor(token: string) {
    super();
    this.tokens = [token];
    FakeDevice.last = this;
  }
  register() {
    this.emit('registered');
    return Promise.resolve();
  }
  connect(options: { params?: Record<string, string> }) {
    this.connects.push(options);
    return Promise.resolve(this.nextCall);
  }
  updateToken(token: string) {
    this.tokens.push(token);
  }
  destroy() {
    this.isDestroyed = true;
  }
}

async function startPhone(decide: (target: string) => DialDecision = () => ({ allowed: true, ticket: 'ticket-abc' })) {
  let issued = 0;
  const dialed: string[] = [];
  const ports: TwilioPorts = {
    loadSdk: () => Promise.resolve({ Device: FakeDevice as unknown as Awaited<ReturnType<TwilioPorts['loadSdk']>>['Device'] }),
    token: () => Promise.resolve(`token-${++issued}`),
    requestDial: (target) => {
      dialed.push(target);
      return Promise.resolve(decide(target));
    },
  };
  const phone = new TwilioPhone(ports);
  await phone.start();
  return { phone, device: FakeDevice.last!, dialed };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('the console softphone on Twilio', () => {
  it('registers with a token, renews it before it expires, and lets go on stop', async () => {
    const { phone, device } = await startPhone();
    expect(phone.snapshot().registration).toBe('registered');
    // Its own ringer rings: the SDK's sounds would come from Twilio's CDN.
    expect(device.sounds).toEqual(['incoming false', 'outgoing false', 'disconnect false']);
    device.emit('tokenWillExpire');
    await settle();
    expect(device.tokens).toEqual(['token-1', 'token-2']);
    phone.stop();
    expect(device.isDestroyed).toBe(true);
  });

  it('rings for the offered call, answers it, mutes, sends keypad tones, and ends when the caller hangs up', async () => {
    const { phone, device } = await startPhone();
    const call = new FakeCall({ CallSid: `CA${'1'.repeat(32)}` });
    device.emit('incoming', call);
    expect(phone.snapshot().call).toMatchObject({ direction: 'inbound', state: 'ringing', callId: `CA${'1'.repeat(32)}` });
    phone.answer();
    expect(phone.snapshot().call).toMatchObject({ state: 'established', answeredAt: expect.any(Number) });
    phone.toggleMute();
    expect(phone.snapshot().call?.isMuted).toBe(true);
    phone.toggleMute();
    phone.sendDtmf('5');
    call.emit('sample', { totals: { packetsReceived: 250, packetsLost: 1 } });
    expect(phone.snapshot().call?.audio).toEqual({ packetsReceived: 250, packetsLost: 1 });
    // A second offer while talking is refused: Hotline offers it to the next volunteer.
    const second = new FakeCall({ CallSid: `CA${'2'.repeat(32)}` });
    device.emit('incoming', second);
    expect(second.asked).toEqual(['reject']);
    call.emit('disconnect', call);
    expect(phone.snapshot().call).toMatchObject({ state: 'ended', end: { kind: 'hung-up' } });
    expect(call.asked).toEqual(['accept', 'mute true', 'mute false', 'digits 5']);
    phone.clear();
    expect(phone.snapshot().call).toBeNull();
  });

  it('tells a declined offer from one that stopped ringing', async () => {
    const { phone, device } = await startPhone();
    const declined = new FakeCall();
    device.emit('incoming', declined);
    phone.decline();
    expect(phone.snapshot().call?.end).toEqual({ kind: 'declined' });
    const missed = new FakeCall();
    device.emit('incoming', missed);
    missed.emit('cancel');
    expect(phone.snapshot().call?.end).toEqual({ kind: 'missed' });
  });

  it('asks Hotline before dialing and dials only the ticket it gets: the number never reaches the phone', async () => {
    const { phone, device, dialed } = await startPhone();
    device.nextCall = new FakeCall({ CallSid: `CA${'3'.repeat(32)}` });
    phone.dial('task-dGFzay0x', { label: '+86 138 **** 0011 · 县政府', taskId: 'task-1' });
    expect(phone.isBusy()).toBe(true);
    expect(phone.snapshot().call).toMatchObject({ direction: 'outbound', state: 'calling', taskId: 'task-1' });
    await settle();
    expect(dialed).toEqual(['task-dGFzay0x']);
    expect(device.connects).toEqual([{ params: { To: 'ticket-abc' } }]);
    device.nextCall.emit('accept', device.nextCall);
    expect(phone.snapshot().call).toMatchObject({ state: 'established', callId: `CA${'3'.repeat(32)}`, label: '+86 138 **** 0011 · 县政府' });
    phone.hangUp();
    expect(phone.snapshot().call).toMatchObject({ state: 'ended', end: { kind: 'hung-up' } });
    expect(phone.isBusy()).toBe(false);
  });

  it('shows why Hotline refused a number, and places no call', async () => {
    const { phone, device } = await startPhone(() => ({ allowed: false, reason: 'NOT_ASSIGNED' }));
    phone.dial('+8613800138000', { label: '+8613800138000' });
    await settle();
    expect(phone.snapshot().call).toMatchObject({ state: 'ended', end: { kind: 'refused', refusal: 'NOT_ASSIGNED' } });
    expect(device.connects).toEqual([]);
  });

  it('says the far end did not take the call, or that the volunteer hung up first', async () => {
    const { phone, device } = await startPhone();
    const unanswered = new FakeCall();
    device.nextCall = unanswered;
    phone.dial('task-a', { label: 'a', taskId: 'a' });
    await settle();
    unanswered.emit('disconnect', unanswered);
    expect(phone.snapshot().call?.end).toEqual({ kind: 'unanswered' });

    const cancelled = new FakeCall();
    device.nextCall = cancelled;
    phone.dial('task-b', { label: 'b', taskId: 'b' });
    await settle();
    phone.hangUp();
    expect(phone.snapshot().call?.end).toEqual({ kind: 'cancelled' });
    expect(cancelled.asked).toEqual(['disconnect']);
  });

  it('has no hold or transfer on Twilio, so the screen shows neither', async () => {
    const { phone } = await startPhone();
    expect({ canHold: phone.canHold, canTransfer: phone.canTransfer }).toEqual({ canHold: false, canTransfer: false });
  });
});
