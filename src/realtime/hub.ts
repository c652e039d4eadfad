/** A listener for one topic. */
export type HubListener = (event: unknown) => void;

/**
 * Live state fan-out (counters, presence, offers): publish on a topic, subscribe to it. Adapters
 * (SSE, WebSocket) subscribe; domain code publishes. The in-memory hub serves one process; a Redis
 * hub with the same interface joins several server instances.
 */
export interface Hub {
  /** To every subscriber of every server instance (through Redis when several share the work). */
  publish(topic: string, event: unknown): void;
  /**
   * To this instance's subscribers only: for events every instance computes itself (the inbound
   * queue is replicated, so each instance tells its own consoles).
   */
  publishLocal(topic: string, event: unknown): void;
  subscribe(topic: string, listener: HubListener): () => void;
  /** How many listeners a topic has (for tests and metrics). */
  listenerCount(topic: string): number;
}

/** The single-process hub. Listeners that throw are isolated from each other. */
export class MemoryHub implements Hub {
  private readonly topics = new Map<string, Set<HubListener>>();

  publish(topic: string, event: unknown): void {
    const listeners = this.topics.get(topic);
    if (!listeners) return;
    for (const listener of [...listeners]) {
      try {
        listener(event);
      } catch {
        // One broken subscriber (a closed socket) must not stop the others.
      }
    }
  }

  publishLocal(topic: string, event: unknown): void {
    this.publish(topic, event);
  }

  subscribe(topic: string, listener: HubListener): () => void {
    let listeners = this.topics.get(topic);
    if (!listeners) {
      listeners = new Set();
      this.topics.set(topic, listeners);
    }
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0) this.topics.delete(topic);
    };
  }

  listenerCount(topic: string): number {
    return this.topics.get(topic)?.size ?? 0;
  }
}
