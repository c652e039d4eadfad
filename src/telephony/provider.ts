/**
 * The telephony provider interface. A provider (SIP through Kamailio, Twilio, manual dialing)
 * carries calls; Hotline decides. Providers talk to the rest of Hotline only through the narrow
 * ports below, so the call-operations layer (inbound queue, campaigns, claims) and the call records
 * plug in behind them without the providers knowing their shape.
 */
import type { OUTBOUND_REFUSALS } from '../shared/dial-target';

/** Which provider carried a call. */
export type ProviderName = 'sip' | 'twilio' | 'manual';

/** Why a ring attempt to a volunteer failed. */
export type RingFailure = 'busy' | 'no-answer' | 'declined' | 'unavailable';

/** What is known about an inbound caller when the call arrives. */
export interface CallerInfo {
  /** The caller's language (normalized tag), from an IVR choice, a SIP header or the number dialed. */
  language?: string;
  /** The caller's number (E.164), kept in memory only, for a callback request. */
  fromE164?: string;
}

/** The router's answer: ring this volunteer, keep the caller waiting, or nobody will come. */
export type RouteChoice = { kind: 'ring'; volunteerId: string } | { kind: 'wait' } | { kind: 'none' };

/** Chooses who an inbound call rings: the routing core (inbound queue) behind it. */
export interface CallRouter {
  /**
   * Whom the call should ring now. The first question for a call enters it into the queue (with
   * what is known about the caller); later ones return the current offer. `wait` means someone on
   * duty may become free: ask again in a moment; `none` means give up (nobody on duty, or the
   * caller waited too long) and the call has left the queue.
   */
  chooseVolunteer(callId: string, caller?: CallerInfo): Promise<RouteChoice>;
  /** The volunteer's phone did not take the call; the queue moves on. */
  ringFailed(callId: string, volunteerId: string, reason: RingFailure): Promise<void>;
  /** The volunteer answered. */
  answered(callId: string, volunteerId: string): Promise<void>;
  /** The call is over (hang-up, abandon, or the caller asked for a callback). */
  ended(callId: string): Promise<void>;
  /**
   * The caller (or a listener of a recorded-message campaign) asked to be called back: creates the
   * callback task volunteers claim like a campaign number. Returns its id, or null when the number
   * is unknown or not valid (withheld caller id).
   */
  requestCallback(callId: string, fromE164: string | undefined): Promise<string | null>;
  /** The coordinator a volunteer's call is transferred to: on duty and free, idle longest; null when none is. */
  coordinatorForTransfer(): Promise<string | null>;
  /**
   * A volunteer's own outbound call was allowed and placed: they are on a call (offered nothing,
   * shown as on a call) until `ownCallEnded`.
   */
  ownCallStarted(callId: string, volunteerId: string): Promise<void>;
  /** The volunteer's own outbound call ended: wrap-up, then available. */
  ownCallEnded(callId: string, volunteerId: string): Promise<void>;
}

/** Why an outbound call was refused; the console translates the code. */
export type OutboundRefusal = (typeof OUTBOUND_REFUSALS)[number];

/** The answer to "may this volunteer dial this target?"; an allowed call names the task it works. */
export type OutboundDecision = { allowed: true; e164: string; taskId: string; campaignId: string | null } | { allowed: false; reason: OutboundRefusal };

/**
 * Decides whether a volunteer may dial a target: only a number claimed by them, inside the
 * calling window, not on do-not-call. `target` is what the phone dialed: an E.164 number or a
 * claim reference, so the volunteer never needs to see the full number.
 */
export interface OutboundAuthorizer {
  authorize(volunteerId: string, target: string): Promise<OutboundDecision>;
}

/** What happened on a call, as a provider saw it. */
export type CallEventKind = 'arrived' | 'offered' | 'ringing' | 'answered' | 'ring-failed' | 'ended' | 'refused' | 'callback-requested';

/** One call event reported by a provider; it carries no phone number. */
export interface CallEvent {
  provider: ProviderName;
  callId: string;
  direction: 'inbound' | 'outbound';
  kind: CallEventKind;
  volunteerId?: string;
  /** A ring failure's reason, or the key pressed in an IVR. */
  reason?: string;
  hangupBy?: 'caller' | 'volunteer' | 'system';
  campaignId?: string;
  at: number;
}

/** Receives call events; the call records (calls area) and callback tasks are built from them. */
export interface CallEventSink {
  record(event: CallEvent): Promise<void>;
}

/** The ports a provider needs, built once per running app. */
export interface TelephonyPorts {
  router: CallRouter;
  authorizer: OutboundAuthorizer;
  events: CallEventSink;
}
