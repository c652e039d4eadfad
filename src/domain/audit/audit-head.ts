import { AppError } from '../../shared/app-error';

/** The newest row of the audit chain: its number and its MAC. */
export interface AuditHead {
  seq: number;
  mac: string;
}

/**
 * Where the newest audit head is kept outside the database, so that deleting the newest rows and
 * rewriting the head kept in `meta` is still detected. `record` is called after each commit that
 * appended audit rows.
 */
export interface AuditHeadStore {
  record(head: AuditHead): void;
  /** Overwrites the recorded head, even with an older one (after the database was restored from a backup). */
  replace(head: AuditHead): void;
  /** The newest head recorded, if any. */
  read(): AuditHead | undefined;
  /** Where it is kept, for messages (a file path). */
  readonly description: string;
}

/** Renders a head as `N:mac`, the form `hotline audit head` prints and `--expect` takes. */
export function formatAuditHead(head: AuditHead): string {
  return `${head.seq}:${head.mac}`;
}

/** Parses `N:mac`; throws BAD_REQUEST naming the expected form. */
export function parseAuditHead(text: string): AuditHead {
  const match = /^(\d{1,15}):([0-9a-f]{64})$/.exec(text.trim());
  if (!match) throw new AppError('BAD_REQUEST', `expected an audit head such as 1234:${'0'.repeat(8)}... (a row number, a colon and 64 hex digits, as "hotline audit head" prints it), got "${text.slice(0, 80)}"`);
  return { seq: Number(match[1]), mac: match[2]! };
}
