import type { AgentState } from './agent-pool';
import { IndexedHeap } from './indexed-heap';
import type { AgentId, CallId, CallState, RoutingTier } from './routing.types';

/** Routing state of one call from arrival until it ends; mutated only by the routing core. */
export interface QueuedCall {
  readonly callId: CallId;
  readonly language: string | undefined;
  readonly arrivedAt: number;
  /** Breaks ties between equal arrival times: first reported, first served. */
  readonly seq: number;
  tier: RoutingTier;
  state: CallState;
  agentId: AgentId | undefined;
  offerExpiresAt: number | undefined;
  answeredAt: number | undefined;
  /** When each agent last refused or missed this call; they are passed over for a while. */
  readonly refusals: Map<AgentId, number>;
  isCallbackOffered: boolean;
}

function arrivedEarlier(a: QueuedCall, b: QueuedCall): boolean {
  return a.arrivedAt < b.arrivedAt || (a.arrivedAt === b.arrivedAt && a.seq < b.seq);
}

function newWaitingHeap(): IndexedHeap<QueuedCall> {
  return new IndexedHeap<QueuedCall>((call) => call.callId, arrivedEarlier);
}

function earliestOf(a: QueuedCall | undefined, b: QueuedCall | undefined): QueuedCall | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return arrivedEarlier(b, a) ? b : a;
}

/**
 * Calls in progress, plus arrival-ordered indexes of those waiting without an offer, split the way
 * agents can take them: tier 0 by language, "any volunteer" (tier 1, or tier 0 with no known
 * language), and "anyone" (tier 2). An agent who becomes free looks only at the heads of the
 * indexes it may serve, so the oldest call it can take is found without scanning the queue.
 */
export class CallQueue {
  private readonly calls = new Map<CallId, QueuedCall>();
  private readonly waitingByLanguage = new Map<string, IndexedHeap<QueuedCall>>();
  private readonly waitingForFrontline = newWaitingHeap();
  private readonly waitingForAnyone = newWaitingHeap();

  /** The call with this id while it is in progress. */
  get(callId: CallId): QueuedCall | undefined {
    return this.calls.get(callId);
  }

  /** Every call in progress. */
  all(): IterableIterator<QueuedCall> {
    return this.calls.values();
  }

  /** How many calls wait without an offer. */
  get waitingCount(): number {
    let count = this.waitingForFrontline.size + this.waitingForAnyone.size;
    for (const heap of this.waitingByLanguage.values()) count += heap.size;
    return count;
  }

  /** Starts tracking a call. */
  add(call: QueuedCall): void {
    this.calls.set(call.callId, call);
  }

  /** Stops tracking a call (it must not be waiting any more). */
  delete(call: QueuedCall): void {
    this.dequeueWaiting(call);
    this.calls.delete(call.callId);
  }

  /** Puts a call without an offer into the index its tier and language select. */
  enqueueWaiting(call: QueuedCall): void {
    this.waitingHeapFor(call, true)?.push(call);
  }

  /** Takes a call out of the waiting indexes; must be done before its tier changes. */
  dequeueWaiting(call: QueuedCall): void {
    this.waitingHeapFor(call, false)?.remove(call);
  }

  /** The oldest waiting call `agent` may take, passing over those `isExcluded` names. */
  pickOldestFor(agent: AgentState, isExcluded: (call: QueuedCall) => boolean): QueuedCall | undefined {
    const accept = (call: QueuedCall): boolean => !isExcluded(call);
    let oldest = this.waitingForAnyone.peekWhere(accept);
    if (!agent.isFrontline) return oldest;
    oldest = earliestOf(oldest, this.waitingForFrontline.peekWhere(accept));
    for (const language of agent.languages) {
      oldest = earliestOf(oldest, this.waitingByLanguage.get(language)?.peekWhere(accept));
    }
    return oldest;
  }

  private waitingHeapFor(call: QueuedCall, create: boolean): IndexedHeap<QueuedCall> | undefined {
    if (call.tier === 2) return this.waitingForAnyone;
    if (call.tier === 1 || call.language === undefined) return this.waitingForFrontline;
    let heap = this.waitingByLanguage.get(call.language);
    if (heap === undefined && create) {
      heap = newWaitingHeap();
      this.waitingByLanguage.set(call.language, heap);
    }
    return heap;
  }
}
