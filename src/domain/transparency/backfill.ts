import { lockRegistry } from '../counters/counter-change';
import { type Deps, inTransaction } from '../deps';
import { logPublished } from './log-writer';
import { yieldToEventLoop } from './sequencer';

/** The meta key that says statements published before the log existed still wait to be logged. */
const BACKFILL_KEY = 'log.backfill';
/** Statements logged per transaction. */
const BATCH = 20_000;

/** Whether statements published before the log existed still wait to be appended to it. */
export async function isBackfillPending(deps: Deps): Promise<boolean> {
  return (await deps.store.meta.get(BACKFILL_KEY)) === 'pending';
}

/**
 * Appends an entry for every published statement that has none (published before this version of
 * Hotline kept the log), in public-number order, a batch per transaction under the registry lock, so
 * that publications going on meanwhile are logged by their own transactions and nothing is logged
 * twice. Returns how many were appended; `onProgress` hears the running count and the total.
 */
export async function logExistingStatements(deps: Deps, onProgress?: (done: number, total: number) => void): Promise<number> {
  if (!(await isBackfillPending(deps))) return 0;
  const total = await deps.store.registry.statements.countPublished();
  let after = 0;
  let appended = 0;
  for (;;) {
    const rows = await deps.store.transaction(async (tx) => {
      const txDeps = inTransaction(deps, tx);
      await lockRegistry(txDeps);
      const batch = await tx.registry.statements.publishedWithoutLogEntry(after, BATCH);
      await logPublished(txDeps, batch);
      return batch;
    });
    if (rows.length === 0) break;
    appended += rows.length;
    after = rows.at(-1)?.sequence ?? after;
    onProgress?.(appended, total);
    await yieldToEventLoop();
  }
  await deps.store.meta.set(BACKFILL_KEY, 'done');
  return appended;
}
