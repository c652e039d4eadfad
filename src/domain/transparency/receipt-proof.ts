import { formatProof } from '../../tlog/proof';
import type { Deps } from '../deps';
import { receiptHash } from '../statements/statement-fields';
import { type LogHead, proveInclusion } from './sequencer';

/** A published statement's place in the log, for whoever holds its receipt code. */
export type ReceiptProof =
  | { kind: 'proof'; index: number; sequence: number; entry: Buffer; proofFile: string; checkpointSize: number }
  /** Published, but not in a signed checkpoint yet (a second or two). */
  | { kind: 'not-yet' }
  /** The code opens nothing published. */
  | { kind: 'none' };

/**
 * The `c2sp.org/tlog-proof@v1` file of the statement a receipt code opens: its entry's index, the
 * inclusion proof in the latest checkpoint, the checkpoint itself (signed, with cosignatures), and
 * the entry's bytes as the proof's extra data, so that it is checked offline with nothing else.
 */
export async function receiptProof(deps: Deps, code: string, head: LogHead | undefined, edge?: Map<string, Buffer>): Promise<ReceiptProof> {
  const found = await deps.store.registry.receipts.findStatus(receiptHash(deps.keyring, code));
  if (found?.status !== 'published' || found.sequence === null) return { kind: 'none' };
  const current = await deps.store.transparency.currentEntryOf(found.sequence);
  if (!current || current.withdrawal) return { kind: 'none' };
  if (!head || current.idx >= head.size) return { kind: 'not-yet' };
  const { proof } = await proveInclusion(deps, current.idx, head.size, edge);
  return {
    kind: 'proof',
    index: current.idx,
    sequence: found.sequence,
    entry: current.entry,
    proofFile: formatProof({ extra: current.entry, index: current.idx, proof, checkpoint: head.note }),
    checkpointSize: head.size,
  };
}
