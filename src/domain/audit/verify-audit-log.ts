import { Keyring } from '../../crypto/keyring';
import type { Deps } from '../deps';
import { GENESIS_MAC, auditMessage } from './append-audit';
import type { AuditHead } from './audit-head';

/** The outcome of checking the audit chain. `anchoredSeq`: the row the head kept outside the database named. */
export type AuditVerification =
  | { ok: true; rows: number; headSeq: number; anchoredSeq?: number }
  | { ok: false; rows: number; seq: number; problem: 'altered' | 'missing' | 'chain-broken' | 'head-mismatch'; message: string };

/**
 * Walks the audit chain in order and reports the first row that was altered, removed or reordered,
 * then checks that the chain still reaches the newest head recorded outside the database: the one
 * given (`hotline audit verify --expect N:mac`), else the one `deps.auditHead` kept. `onProgress`
 * is told how many rows were checked, for a progress bar.
 */
export async function verifyAuditLog(
  deps: Pick<Deps, 'store' | 'keyring' | 'auditHead'>,
  options: { onProgress?: (checked: number) => void; expectedHead?: { head: AuditHead; source: string } } = {},
): Promise<AuditVerification> {
  const anchor = options.expectedHead ?? headKeptOutside(deps);
  let macAtAnchor: string | undefined;
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
      if (row.seq === anchor?.head.seq) macAtAnchor = row.mac;
      prevMac = row.mac;
      expectedSeq += 1;
      checked += 1;
    }
    options.onProgress?.(checked);
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
  if (anchor) {
    const { head, source } = anchor;
    if (head.seq > lastSeq) {
      const missing = head.seq === lastSeq + 1 ? `audit row ${head.seq} is missing` : `audit rows ${lastSeq + 1} to ${head.seq} are missing`;
      return {
        ok: false,
        rows: checked,
        seq: lastSeq + 1,
        problem: 'missing',
        message: `${missing} (deleted from the end): the chain ends at row ${lastSeq}, but ${source} recorded row ${head.seq}`,
      };
    }
    if (macAtAnchor === undefined || !Keyring.macEquals(macAtAnchor, head.mac)) {
      return { ok: false, rows: checked, seq: head.seq, problem: 'head-mismatch', message: `audit row ${head.seq} is not the row ${source} recorded (the rows from ${head.seq} on were replaced)` };
    }
    return { ok: true, rows: checked, headSeq: lastSeq, anchoredSeq: head.seq };
  }
  return { ok: true, rows: checked, headSeq: lastSeq };
}

function headKeptOutside(deps: Pick<Deps, 'auditHead'>): { head: AuditHead; source: string } | undefined {
  const head = deps.auditHead?.read();
  return head && deps.auditHead ? { head, source: `the head file ${deps.auditHead.description}` } : undefined;
}
