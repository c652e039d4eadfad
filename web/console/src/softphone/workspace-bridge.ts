import type { DraftTask } from '../draft';

/**
 * How the softphone and the call workspace talk without either knowing the other: the softphone
 * tells the workspace when a real call is dialed, answered and ended (the workspace keeps the call
 * record); the workspace asks the softphone to dial a claimed number. Events wait (a few seconds
 * at most) until a workspace is listening, since the softphone opens the workspace page first.
 */
export type SoftphoneCallEvent =
  | { type: 'dialing'; task?: DraftTask; telephonyCallId?: string }
  | { type: 'answered'; direction: 'inbound' | 'outbound'; telephonyCallId?: string }
  | { type: 'ended' };

const MAX_WAIT_MS = 5000;
let listener: ((event: SoftphoneCallEvent) => void) | null = null;
let pending: { event: SoftphoneCallEvent; at: number }[] = [];
let dialer: ((task: DraftTask) => void) | null = null;

/** Sends a call event to the workspace (now, or as soon as one is shown). */
export function tellWorkspace(event: SoftphoneCallEvent): void {
  if (listener) listener(event);
  else pending.push({ event, at: Date.now() });
}

/** The workspace listens (while mounted); returns the function that stops listening. */
export function listenToSoftphone(handle: (event: SoftphoneCallEvent) => void): () => void {
  listener = handle;
  const waiting = pending.filter((item) => Date.now() - item.at <= MAX_WAIT_MS);
  pending = [];
  for (const item of waiting) handle(item.event);
  return () => {
    if (listener === handle) listener = null;
  };
}

/** The softphone offers to dial claimed numbers (while it is registered); returns the function that withdraws it. */
export function offerDialer(dial: (task: DraftTask) => void): () => void {
  dialer = dial;
  return () => {
    if (dialer === dial) dialer = null;
  };
}

/** The softphone's dialer, when a softphone is ready to dial. */
export function softphoneDialer(): ((task: DraftTask) => void) | null {
  return dialer;
}
