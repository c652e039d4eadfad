import type { Call, Device } from '@twilio/voice-sdk';
import type { OUTBOUND_REFUSALS } from '../../../../src/shared/dial-target';
import { type CallEnd, type ConsolePhone, type PhoneCall, PhoneStateStore } from './sip-phone';

/** Hotline's answer to "may I dial this?": a one-use ticket for the Voice SDK, or why not. */
export type DialDecision = { allowed: true; ticket: string } | { allowed: false; reason: (typeof OUTBOUND_REFUSALS)[number] };

/** What the Twilio phone needs from outside: the SDK (a chunk of its own), tokens, dial decisions. */
export interface TwilioPorts {
  loadSdk(): Promise<{ Device: new (token: string, options?: Device.Options) => Device }>;
  /** A fresh Voice SDK access token (GET /telephony/twilio/token). */
  token(): Promise<string>;
  /** POST /telephony/twilio/dials: Hotline decides before the call is placed. */
  requestDial(target: string): Promise<DialDecision>;
}

/**
 * The console's softphone on Twilio's Voice SDK: registers the volunteer's identity, rings for the
 * call Hotline's TwiML offers them (`<Dial><Client>`), and dials claimed numbers: Hotline first
 * decides and hands out a one-use ticket, which the SDK dials through the TwiML app, so the full
 * number never reaches the browser. Mute, keypad tones and hang-up; hold and transfer need Twilio's
 * REST API on a live call, which this phone does not do.
 */
export class TwilioPhone extends PhoneStateStore implements ConsolePhone {
  readonly canHold = false;
  readonly canTransfer = false;
  private device: Device | undefined;
  private call: Call | undefined;
  /** Set while Hotline decides on a dial, before the SDK has a call. */
  private isDialing = false;
  /** Set when the volunteer hangs up, to tell their own hang-up from the far end's. */
  private isHangingUp = false;
  private isStopped = false;

  constructor(private readonly ports: TwilioPorts) {
    super();
  }

  async start(): Promise<void> {
    const [{ Device: DeviceClass }, token] = await Promise.all([this.ports.loadSdk(), this.ports.token()]);
    if (this.isStopped) return;
    const device = new DeviceClass(token, { closeProtection: true });
    this.device = device;
    // The console rings with its own sound: the SDK's would be fetched from Twilio's CDN.
    device.audio?.incoming(false);
    device.audio?.outgoing(false);
    device.audio?.disconnect(false);
    device.on('registering', () => { this.set({ registration: 'connecting' }); });
    device.on('registered', () => { this.set({ registration: 'registered' }); });
    device.on('unregistered', () => { this.set({ registration: 'unregistered' }); });
    device.on('error', () => { if (this.state.registration !== 'registered') this.set({ registration: 'failed' }); });
    device.on('tokenWillExpire', () => {
      this.ports.token().then((fresh) => { device.updateToken(fresh); }).catch(() => undefined);
    });
    device.on('incoming', (call: Call) => {
      // One call at a time: a second offer while talking is refused, and Hotline offers it to someone else.
      if (this.isBusy()) {
        call.reject();
        return;
      }
      this.attach(call, { callId: call.parameters.CallSid ?? '', direction: 'inbound', state: 'ringing', label: '' });
    });
    await device.register();
  }

  stop(): void {
    this.isStopped = true;
    this.call?.disconnect();
    this.device?.destroy();
  }

  dial(target: string, options: { label: string; taskId?: string }): void {
    const device = this.device;
    if (!device || this.isBusy()) return;
    this.isDialing = true;
    this.set({
      call: { callId: '', direction: 'outbound', state: 'calling', label: options.label, ...(options.taskId === undefined ? {} : { taskId: options.taskId }), isMuted: false, isHeld: false, startedAt: Date.now() },
    });
    void this.place(device, target).finally(() => { this.isDialing = false; });
  }

  answer(): void {
    if (this.state.call?.state === 'ringing') this.call?.accept();
  }

  decline(): void {
    if (this.state.call?.state === 'ringing') this.call?.reject();
  }

  hangUp(): void {
    if (this.call && this.state.call?.state !== 'ended') {
      this.isHangingUp = true;
      this.call.disconnect();
    }
    else if (this.isDialing) this.finish({ kind: 'cancelled' });
  }

  toggleMute(): void {
    if (this.call && this.state.call?.state === 'established') this.call.mute(!this.call.isMuted());
  }

  toggleHold(): void {
    // Not from the phone on Twilio (see the class comment).
  }

  sendDtmf(tone: string): void {
    if (this.call && this.state.call?.state === 'established') this.call.sendDigits(tone);
  }

  transfer(): void {
    // Not from the phone on Twilio (see the class comment).
  }

  isBusy(): boolean {
    return this.isDialing || (this.state.call !== null && this.state.call.state !== 'ended');
  }

  private async place(device: Device, target: string): Promise<void> {
    let decision: DialDecision;
    try {
      decision = await this.ports.requestDial(target);
    } catch {
      this.finish({ kind: 'failed' });
      return;
    }
    // Hung up while Hotline decided.
    if (this.state.call?.state !== 'calling') return;
    if (!decision.allowed) {
      this.finish({ kind: 'refused', refusal: decision.reason });
      return;
    }
    try {
      const call = await device.connect({ params: { To: decision.ticket } });
      // The state as it is now: the volunteer may have hung up while the SDK connected.
      const current = this.snapshot().call;
      if (current?.state !== 'calling') {
        call.disconnect();
        return;
      }
      this.attach(call, { ...current, callId: call.parameters.CallSid ?? '' });
    } catch {
      this.finish({ kind: 'failed' });
    }
  }

  private attach(call: Call, base: Pick<PhoneCall, 'callId' | 'direction' | 'state' | 'label' | 'taskId'>): void {
    this.call = call;
    const startedAt = this.state.call?.state === 'calling' && base.direction === 'outbound' ? this.state.call.startedAt : Date.now();
    this.set({ call: { ...base, isMuted: false, isHeld: false, startedAt } });
    const isCurrent = () => this.call === call && this.state.call?.state !== 'ended';
    call.on('accept', () => {
      if (!isCurrent()) return;
      this.patch({ state: 'established', answeredAt: Date.now(), ...(call.parameters.CallSid ? { callId: call.parameters.CallSid } : {}) });
    });
    call.on('mute', (isMuted: boolean) => { if (isCurrent()) this.patch({ isMuted }); });
    call.on('sample', (sample: { totals?: { packetsReceived?: number; packetsLost?: number } }) => {
      if (isCurrent() && this.state.call?.state === 'established') {
        this.patch({ audio: { packetsReceived: sample.totals?.packetsReceived ?? 0, packetsLost: sample.totals?.packetsLost ?? 0 } });
      }
    });
    call.on('disconnect', () => {
      if (!isCurrent()) return;
      const wasAnswered = this.state.call?.answeredAt !== undefined;
      let end: CallEnd = { kind: 'hung-up' };
      // An outbound call that ends unanswered: Hotline recorded what the line said (busy, no answer ...).
      if (!wasAnswered && base.direction === 'outbound') end = this.isHangingUp ? { kind: 'cancelled' } : { kind: 'unanswered' };
      this.finish(end);
    });
    call.on('cancel', () => { if (isCurrent()) this.finish({ kind: 'missed' }); });
    call.on('reject', () => { if (isCurrent()) this.finish({ kind: 'declined' }); });
    call.on('error', () => { if (isCurrent()) this.finish({ kind: 'failed' }); });
  }

  private finish(end: CallEnd): void {
    this.call = undefined;
    this.isHangingUp = false;
    this.patch({ state: 'ended', endedAt: Date.now(), end });
  }
}
