/**
 * How the softphone tells the call workspace about a real call, without either knowing the other:
 * the workspace starts its call record (and timer) when a call is answered or dialed, marks it
 * answered and ends it. Events wait (a few seconds at most) until a workspace is listening, since
 * the softphone opens the workspace page first.
 */
export type SoftphoneCallEvent =
  | { type: 'dialing' }
  | { type: 'answered'; direction: 'inbound' | 'outbound' }
  | { type: 'ended' };

const MAX_WAIT_MS = 5000;
let listener: ((event: SoftphoneCallEvent) => void) | null = null;
let pending: { event: SoftphoneCallEvent; at: number }[] = [];

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
