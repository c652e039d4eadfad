import type { RoutingConfig } from '../routing/routing.types';
import type { Deps } from '../deps';
import { InboundQueue, type QueueScheduler } from './inbound-queue';

/** How a server's queue is built: routing tunables and (in tests) the timers. */
export interface InboundQueueOptions {
  config?: Partial<RoutingConfig>;
  scheduler?: QueueScheduler;
}

const queues = new WeakMap<Deps, Promise<InboundQueue>>();
const settings = new WeakMap<Deps, InboundQueueOptions>();

/**
 * Sets how a server's queue will be built (before its first use): the telephony providers give
 * the offer time their phones ring for. Later calls merge into earlier ones.
 */
export function configureInboundQueue(deps: Deps, options: InboundQueueOptions): void {
  const current = settings.get(deps) ?? {};
  settings.set(deps, { ...current, ...options, config: { ...current.config, ...options.config } });
}

/**
 * The one InboundQueue of a running server (keyed by its deps), created and restored from the
 * database on first use. HTTP routes, the WebSocket adapter and telephony providers all use this.
 */
export function inboundQueueFor(deps: Deps, options: InboundQueueOptions = {}): Promise<InboundQueue> {
  let queue = queues.get(deps);
  if (!queue) {
    const configured = settings.get(deps) ?? {};
    const created = new InboundQueue(deps, { ...configured, ...options, config: { ...configured.config, ...options.config } });
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
