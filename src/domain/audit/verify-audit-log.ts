import { Keyring } from '../../crypto/keyring';
import type { Deps } from '../deps';
import { GENESIS_MAC, auditMessage } from './append-audit';

/** The outcome of checking the audit chain. */
export type AuditVerification =
  | { ok: true; rows: number; headSeq: number }
  | { ok: false; rows: number; seq: number; problem: 'altered' | 'missing' | 'chain-broken' | 'head-mismatch'; message: string };

/**
 * Walks the audit chain in order and reports the first row that was altered, removed or reordered.
 * `onProgress` is told how many rows were checked, for a progress bar.
 */
export async function verifyAuditLog(deps: Pick<Deps, 'store' | 'keyring'>, onProgress?: (checked: number) => void): Promise<AuditVerification> {
  let expectedSeq = 1;
  let prevMac = GENESIS_MAC;
  let checked = 0;
  for (;;) {
    const rows = await deps.store.audit.page(expectedSeq - 1, 2000);
    if (rows.length === 0) break;
    for (const row of rows) {
      if (row.seq !== expectedSeq) {
        return {
          ok: false,
          rows: checked,
          seq: expectedSeq,
          problem: 'missing',
          message: `audit row ${expectedSeq} is missing (the next row present is ${row.seq})`,
        };
      }
      if (!Keyring.macEquals(deps.keyring.auditMac(auditMessage(row)), row.mac)) {
        return { ok: false, rows: checked, seq: row.seq, problem: 'altered', message: `audit row ${row.seq} was altered (its MAC does not match its content)` };
      }
      if (row.prev_mac !== prevMac) {
        return {
          ok: false,
          rows: checked,
          seq: row.seq,
          problem: 'chain-broken',
          message: `audit row ${row.seq} does not follow row ${row.seq - 1} (the chain is broken before it)`,
        };
      }
      prevMac = row.mac;
      expectedSeq += 1;
      checked += 1;
    }
    onProgress?.(checked);
  }
  const head = await deps.store.meta.get('audit_head');
  const lastSeq = expectedSeq - 1;
  if (head !== undefined) {
    const [headSeqText, headMac] = head.split(':');
    const headSeq = Number(headSeqText);
    if (headSeq > lastSeq) {
      return { ok: false, rows: checked, seq: lastSeq + 1, problem: 'missing', message: `audit rows ${lastSeq + 1} to ${headSeq} are missing (deleted from the end)` };
    }
    if (headSeq !== lastSeq || headMac !== prevMac) {
      return { ok: false, rows: checked, seq: headSeq, problem: 'head-mismatch', message: `the recorded head of the audit chain (row ${headSeq}) does not match its last row ${lastSeq}` };
    }
  } else if (lastSeq > 0) {
    return { ok: false, rows: checked, seq: lastSeq, problem: 'head-mismatch', message: 'the recorded head of the audit chain is missing' };
  }
  return { ok: true, rows: checked, headSeq: lastSeq };
}
