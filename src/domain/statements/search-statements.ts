import type { StatementRow } from '../../db/repositories/registry/index';
import { type Actor, authorize, can } from '../auth/policy';
import type { Deps } from '../deps';
import { normalizeReceiptCode, receiptHash } from './statement-fields';

/** What the archive can be searched by (any together). */
export interface StatementSearch {
  /** A receipt code as the person reads it out (any case, with or without dashes). */
  receiptCode?: string;
  /** A day in China time (YYYY-MM-DD): statements received that day. */
  day?: string;
  provinceCode?: string;
  status?: string;
  channel?: string;
}

const CHINA_OFFSET_MS = 8 * 3_600_000;

/** The UTC milliseconds a China day (UTC+8, no daylight saving) starts and ends at. */
export function chinaDayBounds(day: string): { from: number; to: number } {
  const [year = 0, month = 1, date = 1] = day.split('-').map(Number);
  const from = Date.UTC(year, month - 1, date) - CHINA_OFFSET_MS;
  return { from, to: from + 86_400_000 };
}

/**
 * The statement archive for coordinators and admins: newest first, narrowed by receipt code, day
 * received (China time), province, status and channel; `cursor` continues after a page. A receipt
 * code is looked up by its keyed hash, as the public lookup does. Held statements are an admin's.
 */
export async function searchStatements(
  deps: Deps,
  options: { actor: Actor; search: StatementSearch; limit: number; cursor?: string },
): Promise<{ rows: StatementRow[]; next?: string }> {
  const { actor, search } = options;
  const now = deps.clock();
  authorize(actor, 'statement.search', undefined, now);
  const ids = search.receiptCode === undefined ? undefined : await receiptStatement(deps, search.receiptCode);
  const bounds = search.day === undefined ? undefined : chinaDayBounds(search.day);
  const [createdAt, id] = options.cursor?.split(':') ?? [];
  const rows = await deps.store.registry.statements.search(
    {
      ...(ids === undefined ? {} : { ids }),
      ...(bounds === undefined ? {} : { createdFrom: bounds.from, createdTo: bounds.to }),
      ...(search.provinceCode === undefined ? {} : { provinceCode: search.provinceCode }),
      ...(search.status === undefined ? {} : { status: search.status }),
      ...(search.channel === undefined ? {} : { channel: search.channel }),
      withoutHeld: !can(actor, 'statement.review-held', undefined, now),
    },
    options.limit,
    createdAt !== undefined && id !== undefined && /^\d+$/.test(createdAt) ? { createdAt: Number(createdAt), id } : undefined,
  );
  const last = rows[rows.length - 1];
  return { rows, ...(rows.length === options.limit && last ? { next: `${last.created_at}:${last.id}` } : {}) };
}

async function receiptStatement(deps: Deps, code: string): Promise<string[]> {
  if (normalizeReceiptCode(code).length !== 12) return [];
  const id = await deps.store.registry.receipts.findStatementId(receiptHash(deps.keyring, code));
  return id === undefined ? [] : [id];
}
