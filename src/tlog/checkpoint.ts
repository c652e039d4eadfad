import { HASH_SIZE, type Hash } from './merkle';
import { hasControlCharacter } from './note';

/**
 * C2SP tlog-checkpoint: the note text a log signs for each tree it publishes. Three lines, the
 * log's origin, the tree size in decimal and the root hash in base64, then optional extension
 * lines.
 */
export interface Checkpoint {
  origin: string;
  size: number;
  root: Hash;
  extensions: string[];
}

/** The note text of a checkpoint. */
export function formatCheckpoint(checkpoint: Checkpoint): string {
  if (checkpoint.origin === '' || hasControlCharacter(checkpoint.origin, false)) throw new Error('a checkpoint origin is one non-empty line');
  if (!Number.isSafeInteger(checkpoint.size) || checkpoint.size < 0) throw new Error('a checkpoint size is a whole number');
  if (checkpoint.root.length !== HASH_SIZE) throw new Error('a checkpoint root is 32 bytes');
  const extensions = checkpoint.extensions.map((line) => {
    if (line === '' || line.includes('\n')) throw new Error('a checkpoint extension is one non-empty line');
    return `${line}\n`;
  });
  return `${checkpoint.origin}\n${checkpoint.size}\n${checkpoint.root.toString('base64')}\n${extensions.join('')}`;
}

/** The checkpoint a note text holds; throws when it is malformed. */
export function parseCheckpoint(text: string): Checkpoint {
  if (!text.endsWith('\n')) throw new Error('a checkpoint ends with a newline');
  const [origin = '', size = '', root = '', ...extensions] = text.slice(0, -1).split('\n');
  const hash = Buffer.from(root, 'base64');
  if (origin === '') throw new Error('a checkpoint starts with its origin');
  if (!/^(0|[1-9][0-9]*)$/.test(size) || !Number.isSafeInteger(Number(size))) throw new Error('a checkpoint size is a decimal number without leading zeros');
  if (hash.length !== HASH_SIZE || hash.toString('base64') !== root) throw new Error('a checkpoint root is 32 bytes in base64');
  if (extensions.some((line) => line === '')) throw new Error('a checkpoint has no empty lines');
  return { origin, size: Number(size), root: hash, extensions };
}
