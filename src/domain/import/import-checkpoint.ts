import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { AppError } from '../../shared/app-error';

/** Totals of an import so far. */
export interface ImportCounts {
  /** Rows stored by this import. */
  imported: number;
  /** Good rows already in the registry (same id): an earlier run or a crash before the checkpoint. */
  skipped: number;
  /** Rows refused, each written to the errors file with its line and reason. */
  bad: number;
}

const CheckpointSchema = z.object({
  version: z.literal(1),
  headSha256: z.string().length(64),
  status: z.enum(['published', 'pending']),
  offset: z.number().int().min(0),
  line: z.number().int().min(0),
  batches: z.number().int().min(0),
  imported: z.number().int().min(0),
  skipped: z.number().int().min(0),
  bad: z.number().int().min(0),
  isComplete: z.boolean(),
  updatedAt: z.string(),
});

/**
 * What a resumed import needs: where the last committed batch ended in the file, and the counts so
 * far. Written after each committed batch; the hash of the file's head refuses a checkpoint that
 * belongs to a different file.
 */
export type Checkpoint = z.infer<typeof CheckpointSchema>;

/** The checkpoint file of an input: `FILE.import-state.json` next to it. */
export function checkpointPathOf(file: string): string {
  return `${file}.import-state.json`;
}

/** The errors file of an input: `FILE.errors.csv` next to it. */
export function errorsPathOf(file: string): string {
  return `${file}.errors.csv`;
}

/** SHA-256 of the file's first bytes (cheap, and enough to notice the file was replaced). */
export function headHash(head: Buffer): string {
  return createHash('sha256').update(head).digest('hex');
}

/** Reads the checkpoint of `file`, if any; refuses one made for a different file or another status. */
export function readCheckpoint(file: string, expected: { headSha256: string; status: string }): Checkpoint | undefined {
  const path = checkpointPathOf(file);
  if (!existsSync(path)) return undefined;
  let parsed: Checkpoint;
  try {
    parsed = CheckpointSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
  } catch {
    throw new AppError('CONFLICT', `The checkpoint ${path} is unreadable; delete it to import from the start (rows already imported are skipped by id).`);
  }
  if (parsed.headSha256 !== expected.headSha256) {
    throw new AppError('CONFLICT', `The checkpoint ${path} belongs to a different file (the start of the file changed); delete it to import from the start.`);
  }
  if (parsed.status !== expected.status) {
    throw new AppError('CONFLICT', `The checkpoint ${path} is for an import with --status ${parsed.status}; resume with the same status or delete it.`);
  }
  return parsed;
}

/** Writes the checkpoint atomically (temporary file, then rename), so a crash never leaves half a file. */
export function writeCheckpoint(file: string, checkpoint: Checkpoint): void {
  const path = checkpointPathOf(file);
  const temporary = `${path}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(checkpoint, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, path);
}

/** Removes the checkpoint (to start over). */
export function removeCheckpoint(file: string): void {
  rmSync(checkpointPathOf(file), { force: true });
}
