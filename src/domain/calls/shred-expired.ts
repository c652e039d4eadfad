import { appendAudit } from '../audit/append-audit';
import { type Deps, inTransaction } from '../deps';

/**
 * Destroys call notes and follow-up details older than the retention period, and receipt codes
 * kept for a retried save past their day. The structured outcome (who answered, region, outcome,
 * people registered) stays for statistics.
 */
export async function shredExpiredCallData(
  deps: Deps,
  args: { retentionDays: number },
): Promise<{ notes: number; followups: number; receiptCodes: number }> {
  const now = deps.clock();
  const cutoff = now - args.retentionDays * 86_400_000;
  return deps.store.transaction(async (tx) => {
    const notes = await tx.calls.calls.shredNotesBefore(cutoff, now);
    const followups = await tx.calls.calls.shredFollowupsBefore(cutoff, now);
    const receiptCodes = await tx.calls.calls.deleteExpiredReceiptCodes(now);
    if (notes + followups > 0) {
      await appendAudit(inTransaction(deps, tx), {
        actorId: null,
        action: 'call.shred-expired',
        details: { notes, followups, retentionDays: args.retentionDays },
      });
    }
    return { notes, followups, receiptCodes };
  });
}
