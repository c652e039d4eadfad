/**
 * The telephony provider interface. A provider (SIP through Kamailio, Twilio, manual dialing)
 * carries calls; Hotline decides. Providers talk to the rest of Hotline only through the narrow
 * ports below, so the call-operations layer (inbound queue, campaigns, claims) and the call records
 * plug in behind them without the providers knowing their shape.
 */

/** Which provider carried a call. */
export type ProviderName = 'sip' | 'twilio' | 'manual';

/** Why a ring attempt to a volunteer failed. */
export type RingFailure = 'busy' | 'no-answer' | 'declined' | 'unavailable';

/** Chooses who an inbound call rings: the routing core (inbound queue) behind it. */
export interface CallRouter {
  /**
   * The volunteer the call should ring now, or null when nobody is free. The first question for a
   * call enters it into the queue; later ones return the current offer.
   */
  chooseVolunteer(callId: string): Promise<string | null>;
  /** The volunteer's phone did not take the call; the queue moves on. */
  ringFailed(callId: string, volunteerId: string, reason: RingFailure): Promise<void>;
  /** The volunteer answered. */
  answered(callId: string, volunteerId: string): Promise<void>;
  /** The call is over (hang-up, abandon, or the caller asked for a callback). */
  ended(callId: string): Promise<void>;
}

/** Why an outbound call was refused; the console translates the code. */
export type OutboundRefusal = 'NOT_ASSIGNED' | 'OUTSIDE_CALLING_WINDOW' | 'DO_NOT_CALL' | 'INVALID_NUMBER';

/** The answer to "may this volunteer dial this target?". */
export type OutboundDecision = { allowed: true; e164: string } | { allowed: false; reason: OutboundRefusal };

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

/** One call event reported by a provider. Numbers are plaintext here and encrypted by the sink. */
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
  /** Only for callback requests: the number to call back (E.164). */
  partyNumber?: string;
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
