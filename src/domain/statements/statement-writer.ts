import type { Deps } from '../deps';
import { type PreparedStatement, type RegisteredStatement, storePreparedStatement, storePreparedStatements } from './register-statement';

/** Group-commit settings. */
export interface StatementWriterOptions {
  /** How long the first statement of a batch waits for others to join it. */
  windowMs?: number;
  /** Largest batch committed in one transaction. */
  maxBatch?: number;
}

interface Waiting {
  prepared: PreparedStatement;
  resolve(result: RegisteredStatement): void;
  reject(error: unknown): void;
}

/**
 * Group commit for registrations: statements arriving within a couple of milliseconds are stored
 * in one transaction (one fsync on SQLite with synchronous=FULL), and each caller is answered only
 * after that transaction committed, so every acknowledgement is durable. Input errors are caught
 * before the batch (`prepareStatement`); if the batch still fails, each statement is retried in a
 * transaction of its own, so one bad statement never fails the others.
 */
export class StatementWriter {
  private queue: Waiting[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing = false;
  private readonly windowMs: number;
  private readonly maxBatch: number;

  constructor(
    private readonly deps: Deps,
    options: StatementWriterOptions = {},
  ) {
    this.windowMs = options.windowMs ?? 2;
    this.maxBatch = options.maxBatch ?? 500;
  }

  /** Stores a prepared statement with the next batch; resolves once it is durable. */
  write(prepared: PreparedStatement): Promise<RegisteredStatement> {
    // Inside someone else's transaction, join it: its commit is the acknowledgement.
    if (this.deps.store.inTransaction) return storePreparedStatement(this.deps, prepared);
    return new Promise((resolve, reject) => {
      this.queue.push({ prepared, resolve, reject });
      this.schedule();
    });
  }

  /** Writes several prepared statements (all in the same or following batches). */
  writeAll(prepared: PreparedStatement[]): Promise<RegisteredStatement[]> {
    return Promise.all(prepared.map((one) => this.write(one)));
  }

  private schedule(): void {
    if (this.flushing) return;
    if (this.queue.length >= this.maxBatch) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = undefined;
      void this.flush();
      return;
    }
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.windowMs);
  }

  private async flush(): Promise<void> {
    if (this.flushing || this.queue.length === 0) return;
    this.flushing = true;
    const batch = this.queue.splice(0, this.maxBatch);
    try {
      const results = await storePreparedStatements(
        this.deps,
        batch.map((waiting) => waiting.prepared),
      );
      batch.forEach((waiting, i) => {
        waiting.resolve(results[i] as RegisteredStatement);
      });
    } catch {
      for (const waiting of batch) {
        try {
          waiting.resolve(await storePreparedStatement(this.deps, waiting.prepared));
        } catch (error) {
          waiting.reject(error);
        }
      }
    } finally {
      this.flushing = false;
      // Statements that arrived during the commit have waited long enough: go at once.
      if (this.queue.length > 0) void this.flush();
    }
  }
}
