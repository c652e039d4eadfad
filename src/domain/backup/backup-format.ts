import { z } from 'zod';
import type { BackupRow } from '../../db/repositories/backup.repository';
import { AppError } from '../../shared/app-error';

/**
 * A Hotline backup file:
 *
 *     HOTLINE-BACKUP 1\n
 *     {header JSON}\n
 *     sealed chunks (src/crypto/sealed-stream.ts) of gzip(JSON lines)
 *
 * The header says which keyring the backup is sealed for and which migrations its rows belong to;
 * it holds no data and is bound to every chunk, so changing it breaks the seal. Inside, each line
 * is one row (`{"t":table,"r":row}`) and the last line counts the rows of every table
 * (`{"end":true,"counts":{...}}`), so a restore knows it received everything.
 */
export const BACKUP_MAGIC = 'HOTLINE-BACKUP 1\n';

/** The header line. */
export const BackupHeader = z.object({
  format: z.literal('hotline-backup/1'),
  keyringId: z.string().min(1),
  createdAt: z.string(),
  database: z.enum(['sqlite', 'postgres']),
  migrations: z.array(z.string()).min(1),
  noncePrefix: z.string(),
});
export type BackupHeader = z.infer<typeof BackupHeader>;

/** Longest header accepted, in bytes. */
export const MAX_HEADER_BYTES = 16 * 1024;

/** One line of a backup's content. */
export type BackupLine = { t: string; r: BackupRow } | { end: true; counts: Record<string, number> };

/** Bytes in a row become `{"$b": base64}`: JSON has no bytes, and no column holds such an object. */
export function encodeRow(row: BackupRow): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(row)) out[column] = value instanceof Uint8Array ? { $b: Buffer.from(value).toString('base64') } : value;
  return out;
}

/** The row `encodeRow` encoded, with its bytes as Buffers. */
export function decodeRow(encoded: Record<string, unknown>, line: number): BackupRow {
  const row: BackupRow = {};
  for (const [column, value] of Object.entries(encoded)) {
    if (value === null || typeof value === 'string' || typeof value === 'number') row[column] = value;
    else if (typeof value === 'object' && typeof (value as { $b?: unknown }).$b === 'string') row[column] = Buffer.from((value as { $b: string }).$b, 'base64');
    else throw new AppError('VALIDATION_FAILED', `The backup's line ${line} holds a value of an unknown kind in column ${column}`);
  }
  return row;
}

/** Splits a file's beginning into its header and where the sealed chunks start. */
export function parseHeader(head: Buffer): { header: BackupHeader; aad: Buffer; bodyOffset: number } {
  const magic = Buffer.from(BACKUP_MAGIC, 'utf8');
  if (!head.subarray(0, magic.length).equals(magic)) throw new AppError('VALIDATION_FAILED', 'This is not a Hotline backup file (it does not begin with HOTLINE-BACKUP 1)');
  const end = head.indexOf(0x0a, magic.length);
  if (end < 0) throw new AppError('VALIDATION_FAILED', 'The backup file is damaged: its header line is missing or too long');
  let header: BackupHeader;
  try {
    header = BackupHeader.parse(JSON.parse(head.subarray(magic.length, end).toString('utf8')));
  } catch {
    throw new AppError('VALIDATION_FAILED', 'The backup file is damaged: its header is not a Hotline backup header');
  }
  return { header, aad: head.subarray(0, end + 1), bodyOffset: end + 1 };
}
