import { IndexedHeap } from './indexed-heap';

/** What a deadline is for; each subject (call or agent) has at most one deadline per kind. */
export type DeadlineKind = 'offer-expiry' | 'overflow' | 'reoffer' | 'wrap-up-end' | 'max-wait';

/** One pending deadline. */
export interface Deadline {
  readonly key: string;
  readonly kind: DeadlineKind;
  readonly subjectId: string;
  readonly at: number;
  /** Keeps deadlines due at the same instant in the order they were set. */
  readonly seq: number;
}

/**
 * The core's timers as data: the adapter asks `next()` and calls `tick` then, so the core itself
 * never sets a timer or reads a clock on its own.
 */
export class DeadlineQueue {
  private readonly heap = new IndexedHeap<Deadline>(
    (deadline) => deadline.key,
    (a, b) => a.at < b.at || (a.at === b.at && a.seq < b.seq),
  );
  private readonly byKey = new Map<string, Deadline>();
  private nextSeq = 0;

  /** Sets (or moves) the deadline of this kind for this subject. */
  set(kind: DeadlineKind, subjectId: string, at: number): void {
    this.clear(kind, subjectId);
    const deadline: Deadline = { key: `${kind}:${subjectId}`, kind, subjectId, at, seq: this.nextSeq++ };
    this.byKey.set(deadline.key, deadline);
    this.heap.push(deadline);
  }

  /** Drops the deadline of this kind for this subject, if any. */
  clear(kind: DeadlineKind, subjectId: string): void {
    const key = `${kind}:${subjectId}`;
    const deadline = this.byKey.get(key);
    if (deadline === undefined) return;
    this.byKey.delete(key);
    this.heap.remove(deadline);
  }

  /** When the earliest deadline is due, or null when none is pending. */
  next(): number | null {
    return this.heap.peek()?.at ?? null;
  }

  /** Removes and returns the earliest deadline if it is due at or before `now`. */
  popDue(now: number): Deadline | undefined {
    const first = this.heap.peek();
    if (first === undefined || first.at > now) return undefined;
    this.heap.pop();
    this.byKey.delete(first.key);
    return first;
  }
}
