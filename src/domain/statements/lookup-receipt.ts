import type { Deps } from '../deps';
import { receiptHash } from './statement-fields';

/** What a receipt code shows: the status only (held reads as pending; a duplicate as rejected). */
export interface ReceiptStatus {
  status: 'pending' | 'published' | 'rejected';
  sequence?: number;
  publishedAt?: number;
  rejectionReason?: string;
}

/**
 * The status of the statement a receipt code belongs to, or undefined. A wrong code takes the same
 * path (one keyed hash, one indexed query) as a right one, so neither the answer nor its timing
 * tells anything about other statements.
 */
export async function lookupReceipt(deps: Deps, code: string): Promise<ReceiptStatus | undefined> {
  const found = await deps.store.registry.receipts.findStatus(receiptHash(deps.keyring, code));
  if (!found) return undefined;
  if (found.status === 'published') {
    return { status: 'published', ...(found.sequence === null ? {} : { sequence: found.sequence }), ...(found.published_at === null ? {} : { publishedAt: found.published_at }) };
  }
  if (found.status === 'rejected') return { status: 'rejected', ...(found.rejection_reason === null ? {} : { rejectionReason: found.rejection_reason }) };
  if (found.status === 'duplicate') return { status: 'rejected', rejectionReason: 'duplicate' };
  // 'held' is shown as pending: a threatening submitter is not told they were noticed.
  return { status: 'pending' };
}
