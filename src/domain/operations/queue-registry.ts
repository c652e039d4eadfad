import type { Deps } from '../deps';
import { InboundQueue, type QueueScheduler } from './inbound-queue';

const queues = new WeakMap<Deps, Promise<InboundQueue>>();

/**
 * The one InboundQueue of a running server (keyed by its deps), created and restored from the
 * database on first use. HTTP routes, the WebSocket adapter and telephony providers all use this.
 */
export function inboundQueueFor(deps: Deps, options: { scheduler?: QueueScheduler } = {}): Promise<InboundQueue> {
  let queue = queues.get(deps);
  if (!queue) {
    const created = new InboundQueue(deps, options);
    queue = created.start().then(() => created);
    queues.set(deps, queue);
  }
  return queue;
}

/** Stops a server's queue (on shutdown). */
export async function stopInboundQueue(deps: Deps): Promise<void> {
  const queue = queues.get(deps);
  queues.delete(deps);
  if (queue) await (await queue).stop();
}
