import type { DTMF_TRANSPORT } from 'jssip/lib/Constants';
import type { RTCSession } from 'jssip/lib/RTCSession';
import type { RTCSessionEvent, UA } from 'jssip/lib/UA';
import { OUTBOUND_REFUSALS } from '../../../../src/shared/dial-target';

/** The volunteer's SIP account, as GET /telephony/sip/account gives it. */
export interface SipAccount {
  username: string;
  password: string;
  domain: string;
  websocketUrl: string;
}

/** Where the phone stands with Kamailio. */
export type Registration = 'connecting' | 'registered' | 'unregistered' | 'failed';

/** Why a call ended, as the volunteer is told. */
export type CallEnd =
  | { kind: 'refused'; refusal: (typeof OUTBOUND_REFUSALS)[number] }
  | { kind: 'busy' | 'no-answer' | 'unavailable' | 'unanswered' | 'media' | 'hung-up' | 'declined' | 'cancelled' | 'missed' | 'failed' | 'transferred' };

/** The one call the phone has, as the screen shows it. */
export interface PhoneCall {
  /** The SIP Call-ID (Hotline's call id for this call). */
  callId: string;
  direction: 'inbound' | 'outbound';
  state: 'ringing' | 'calling' | 'established' | 'ended';
  /** What the volunteer sees for whom they call: a masked number and organization, never the full number. */
  label: string;
  /** The claimed task this outbound call works (to record its outcome). */
  taskId?: string;
  isMuted: boolean;
  isHeld: boolean;
  startedAt: number;
  answeredAt?: number;
  endedAt?: number;
  end?: CallEnd;
  /** Audio received so far (RTCPeerConnection.getStats), updated every second while connected. */
  audio?: { packetsReceived: number; packetsLost: number };
  isTransferring?: boolean;
}

/** What the phone shows: registration and the current (or last) call. */
export interface PhoneState {
  registration: Registration;
  call: PhoneCall | null;
}

/**
 * The console's phone, whichever provider carries it (SIP through Kamailio, or Twilio's Voice
 * SDK). State changes go to `subscribe` listeners as new immutable snapshots (for useSyncExternalStore).
 */
export interface ConsolePhone {
  /** Whether the provider can hold a call from the phone. */
  readonly canHold: boolean;
  /** Whether the provider can transfer a call to a coordinator from the phone. */
  readonly canTransfer: boolean;
  snapshot: () => PhoneState;
  subscribe: (listener: () => void) => () => void;
  start(): Promise<void>;
  stop(): void;
  /** Dials `target` (a task reference or a number); `label` and `taskId` say what it is. */
  dial(target: string, options: { label: string; taskId?: string }): void;
  answer(): void;
  decline(): void;
  hangUp(): void;
  toggleMute(): void;
  toggleHold(): void;
  sendDtmf(tone: string): void;
  transfer(target: string): void;
  /** Forgets the last call (after its outcome was recorded or dismissed). */
  clear(): void;
  /** Whether a call is in progress (or being set up). */
  isBusy(): boolean;
}

/**
 * The state every console phone keeps and shows: immutable snapshots for useSyncExternalStore,
 * changed only through `set` and `patch`.
 */
export abstract class PhoneStateStore {
  protected state: PhoneState = { registration: 'connecting', call: null };
  private readonly listeners = new Set<() => void>();

  /** The current snapshot. */
  snapshot = (): PhoneState => this.state;

  /** Listens to changes; returns an unsubscribe function. */
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Forgets the last call (after its outcome was recorded or dismissed). */
  clear(): void {
    if (this.state.call?.state === 'ended') this.set({ call: null });
  }

  protected patch(change: Partial<PhoneCall>): void {
    if (this.state.call) this.set({ call: { ...this.state.call, ...change } });
  }

  protected set(change: Partial<PhoneState>): void {
    this.state = { ...this.state, ...change };
    for (const listener of [...this.listeners]) listener();
  }
}

type JsSip = typeof import('jssip');

/** JsSIP declares its string constants (direction, originator, DTMF transport) as enums that do not exist at runtime: compare them as strings. */
const str = (value: unknown): string => String(value);
const callIdOf = (request: unknown): string => (request as { call_id?: string }).call_id ?? '';

/** A SIP response code's meaning for a failed outbound call. */
function endOfResponse(code: number, refusal: string | undefined): CallEnd {
  if (code === 403 && refusal !== undefined && (OUTBOUND_REFUSALS as readonly string[]).includes(refusal)) {
    return { kind: 'refused', refusal: refusal as (typeof OUTBOUND_REFUSALS)[number] };
  }
  if (code === 486 || code === 600 || code === 603) return { kind: 'busy' };
  if (code === 408 || code === 480 || code === 487) return { kind: 'no-answer' };
  if (code === 404 || code === 410 || code === 484 || code === 604) return { kind: 'unavailable' };
  if (code === 503) return { kind: 'media' };
  return { kind: 'failed' };
}

/**
 * The console's softphone on JsSIP: registers the volunteer's account over SIP-over-WebSocket to
 * Kamailio (which hands the media to rtpengine: ICE, DTLS-SRTP), rings and answers the call
 * Hotline offers, dials claimed numbers by task reference, mute, hold, DTMF, transfer by REFER.
 * State changes go to `subscribe` listeners as new immutable snapshots (for useSyncExternalStore).
 */
export class SipPhone extends PhoneStateStore implements ConsolePhone {
  readonly canHold = true;
  readonly canTransfer = true;
  private ua: UA | undefined;
  private session: RTCSession | undefined;
  private statsTimer: ReturnType<typeof setInterval> | undefined;
  private isStopped = false;
  /** The Call-ID of the INVITE `dial` just sent (JsSIP announces it while `call` runs). */
  private dialedCallId = '';

  constructor(
    private readonly account: SipAccount,
    private readonly audio: HTMLAudioElement,
  ) {
    super();
  }

  /** Loads JsSIP (a chunk of its own) and registers. */
  async start(): Promise<void> {
    const jssip: JsSip = await import('jssip');
    if (this.isStopped) return;
    const { username, password, domain, websocketUrl } = this.account;
    const ua = new jssip.UA({
      sockets: [new jssip.WebSocketInterface(websocketUrl)],
      uri: `sip:${username}@${domain}`,
      authorization_user: username,
      password,
      register: true,
      register_expires: 300,
      session_timers: false,
      user_agent: 'Hotline console',
    });
    this.ua = ua;
    ua.on('connecting', () => { this.set({ registration: 'connecting' }); });
    ua.on('registered', () => { this.set({ registration: 'registered' }); });
    ua.on('unregistered', () => { this.set({ registration: 'unregistered' }); });
    ua.on('registrationFailed', () => { this.set({ registration: 'failed' }); });
    ua.on('disconnected', () => { this.set({ registration: 'connecting' }); });
    ua.on('newRTCSession', (event: RTCSessionEvent) => {
      const { session, request } = event;
      if (str(session.direction) !== 'incoming') {
        this.dialedCallId = callIdOf(request);
        return;
      }
      // One call at a time: a second offer while talking is busy, and Hotline offers the call to someone else.
      if (this.session !== undefined && !this.session.isEnded()) {
        session.terminate({ status_code: 486, reason_phrase: 'Busy Here' });
        return;
      }
      this.attach(session, { callId: callIdOf(request), direction: 'inbound', state: 'ringing', label: '' });
    });
    ua.start();
  }

  /** Unregisters and closes the connection (sign-out, page leave). */
  stop(): void {
    this.isStopped = true;
    this.stopStats();
    this.session?.terminate();
    this.ua?.stop();
  }

  /** Dials `target` (a task reference or a number); `label` and `taskId` say what it is. */
  dial(target: string, options: { label: string; taskId?: string }): void {
    if (!this.ua || this.isBusy()) return;
    const session = this.ua.call(`sip:${target}@${this.account.domain}`, {
      mediaConstraints: { audio: true, video: false },
      pcConfig: { iceServers: [] },
      rtcOfferConstraints: { offerToReceiveAudio: true, offerToReceiveVideo: false },
    });
    this.attach(session, {
      callId: this.dialedCallId,
      direction: 'outbound',
      state: 'calling',
      label: options.label,
      ...(options.taskId === undefined ? {} : { taskId: options.taskId }),
    });
  }

  /** Answers the ringing call. */
  answer(): void {
    if (this.state.call?.state !== 'ringing' || !this.session) return;
    this.session.answer({ mediaConstraints: { audio: true, video: false }, pcConfig: { iceServers: [] } });
  }

  /** Declines the ringing call (603): the queue moves on to the next volunteer. */
  decline(): void {
    if (this.state.call?.state !== 'ringing' || !this.session) return;
    this.session.terminate({ status_code: 603, reason_phrase: 'Decline' });
  }

  /** Hangs up (or cancels a call still ringing out). */
  hangUp(): void {
    if (this.session && !this.session.isEnded()) this.session.terminate();
  }

  toggleMute(): void {
    const call = this.state.call;
    if (!this.session || call?.state !== 'established') return;
    if (call.isMuted) this.session.unmute({ audio: true });
    else this.session.mute({ audio: true });
  }

  /** Holds or resumes (a re-INVITE); pressed again while the last one is under way, it waits for it. */
  toggleHold(attempt = 0): void {
    const call = this.state.call;
    const session = this.session;
    if (!session || call?.state !== 'established') return;
    if (!session.isReadyToReOffer()) {
      if (attempt < 30) setTimeout(() => { if (this.session === session) this.toggleHold(attempt + 1); }, 100);
      return;
    }
    if (call.isHeld) session.unhold();
    else session.hold();
  }

  /** Sends a keypad tone: in the media (RFC 4733) when negotiated, else as SIP INFO. */
  sendDtmf(tone: string): void {
    if (!this.session || this.state.call?.state !== 'established') return;
    const sender = this.session.connection.getSenders().find((s) => s.track?.kind === 'audio');
    const transportType = (sender?.dtmf?.canInsertDTMF ? 'RFC2833' : 'INFO') as unknown as DTMF_TRANSPORT;
    this.session.sendDTMF(tone, { transportType });
  }

  /**
   * Transfers the call to `target` (an `xfer-...` reference Hotline issued for a coordinator) with
   * SIP REFER, blind: once the other side (the trunk) accepts the REFER (202) it calls the target
   * and this leg ends. A trunk that refuses REFER leaves the call as it was.
   */
  transfer(target: string): void {
    if (!this.session || this.state.call?.state !== 'established') return;
    this.patch({ isTransferring: true });
    this.session.refer(`sip:${target}@${this.account.domain}`, {
      eventHandlers: {
        requestSucceeded: () => {
          this.patch({ end: { kind: 'transferred' } });
          this.hangUp();
        },
        requestFailed: () => { this.patch({ isTransferring: false }); },
      },
    });
  }

  /** Whether a call is in progress. */
  isBusy(): boolean {
    return this.session !== undefined && !this.session.isEnded();
  }

  private attach(session: RTCSession, call: Pick<PhoneCall, 'callId' | 'direction' | 'state' | 'label' | 'taskId'>): void {
    this.session = session;
    this.set({ call: { ...call, isMuted: false, isHeld: false, startedAt: Date.now() } });
    const isCurrent = () => this.session === session;
    session.on('peerconnection', (event) => {
      event.peerconnection.addEventListener('track', (track) => { this.playRemote(track.streams[0]); });
    });
    // An outgoing session has its connection already.
    (session.connection as RTCPeerConnection | undefined)?.addEventListener('track', (track) => { this.playRemote(track.streams[0]); });
    session.on('confirmed', () => {
      if (!isCurrent()) return;
      this.patch({ state: 'established', answeredAt: Date.now() });
      this.startStats(session);
    });
    session.on('muted', () => { if (isCurrent()) this.patch({ isMuted: true }); });
    session.on('unmuted', () => { if (isCurrent()) this.patch({ isMuted: false }); });
    session.on('hold', (event) => { if (isCurrent() && str(event.originator) === 'local') this.patch({ isHeld: true }); });
    session.on('unhold', (event) => { if (isCurrent() && str(event.originator) === 'local') this.patch({ isHeld: false }); });
    session.on('ended', () => {
      if (!isCurrent()) return;
      const previous = this.state.call?.end;
      this.finish(previous?.kind === 'transferred' ? previous : { kind: 'hung-up' });
    });
    session.on('failed', (event) => {
      if (!isCurrent()) return;
      const message = event.message as { status_code?: number; getHeader?: (name: string) => string | undefined } | undefined;
      let end: CallEnd;
      const isLocal = str(event.originator) === 'local';
      if (call.direction === 'inbound') end = isLocal ? { kind: 'declined' } : { kind: 'missed' };
      else if (isLocal) end = { kind: 'cancelled' };
      else if (message?.status_code !== undefined) end = endOfResponse(message.status_code, message.getHeader?.('X-Hotline-Refusal'));
      else end = { kind: 'failed' };
      this.finish(end);
    });
  }

  private finish(end: CallEnd): void {
    this.stopStats();
    this.audio.srcObject = null;
    this.patch({ state: 'ended', endedAt: Date.now(), end, isTransferring: false });
  }

  private playRemote(stream: MediaStream | undefined): void {
    if (stream === undefined) return;
    this.audio.srcObject = stream;
    void this.audio.play().catch(() => undefined);
  }

  /** Reads the received audio every second: the volunteer sees that sound arrives (and a test can check it). */
  private startStats(session: RTCSession): void {
    this.stopStats();
    const read = async () => {
      const report = await session.connection.getStats();
      let packetsReceived = 0;
      let packetsLost = 0;
      report.forEach((entry: { type?: string; kind?: string; packetsReceived?: number; packetsLost?: number }) => {
        if (entry.type === 'inbound-rtp' && entry.kind === 'audio') {
          packetsReceived += entry.packetsReceived ?? 0;
          packetsLost += entry.packetsLost ?? 0;
        }
      });
      if (this.session === session && this.state.call?.state === 'established') this.patch({ audio: { packetsReceived, packetsLost } });
    };
    this.statsTimer = setInterval(() => { void read().catch(() => undefined); }, 1000);
  }

  private stopStats(): void {
    if (this.statsTimer !== undefined) clearInterval(this.statsTimer);
    this.statsTimer = undefined;
  }
}
