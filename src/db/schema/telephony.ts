import type { Bytes, Millis } from './foundation';

/**
 * What a telephony provider (SIP, Twilio, manual) reported about one call, one row per event, in
 * arrival order. It is the provider's side of the story; the call record of the calls area is built
 * from these events by the `CallEventSink` adapter, not stored twice here.
 */
export interface TelephonyCallEventsTable {
  id: string;
  provider: string;
  /** The provider's id of the call (Twilio CallSid, SIP Call-ID). */
  call_id: string;
  direction: string;
  kind: string;
  volunteer_id: string | null;
  /** Why a ring attempt failed (busy, no-answer, ...), or the IVR key pressed. */
  reason: string | null;
  hangup_by: string | null;
  campaign_id: string | null;
  /** The other party's number (a callback request needs it); encrypted, never logged. */
  party_number_enc: Bytes | null;
  at: Millis;
}

/** Tables of the telephony area. */
export interface TelephonyTables {
  telephony_call_events: TelephonyCallEventsTable;
}

/** Encrypted columns of the telephony area (key rotation walks them). */
export const telephonyEncryptedColumns: { table: string; idColumn: string; column: string; context: string }[] = [
  { table: 'telephony_call_events', idColumn: 'id', column: 'party_number_enc', context: 'telephony.party_number' },
];
