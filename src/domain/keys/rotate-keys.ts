import { Keyring, KeyringError, withNewActiveKey, withoutKey, writeKeyringFile } from '../../crypto/keyring';
import { type EncryptedColumn, encryptedColumns } from '../../db/encrypted-columns';
import type { RowKey, StoredCiphertext } from '../../db/repositories/encrypted-field.repository';
import { appendAudit } from '../audit/append-audit';
import type { Deps } from '../deps';

/** Progress callbacks for a long re-encryption. */
export interface RotationProgress {
  start?(total: number): void;
  advance?(count: number): void;
}

/** What a rotation did. */
export interface RotationResult {
  newKeyId: string;
  previousKeyIds: string[];
  reencrypted: number;
  passes: number;
  /** How many stored values each previous key still encrypts once re-encryption ended (0 when done). */
  stillUsing: Map<string, number>;
}

const BATCH = 500;
/** Passes over every column before giving up on values that keep appearing under old keys. */
export const MAX_PASSES = 10;

/** Says how to rotate when the keys come from HOTLINE_KEYRING, which no command can rewrite. */
export const KEYRING_ENV_ROTATION_HELP =
  'Keys come from HOTLINE_KEYRING, which this command cannot change, and running servers would not see a new key in it. To rotate: ' +
  'write the keyring to a file (echo "$HOTLINE_KEYRING" | base64 -d > hotline.keys, or plain JSON as it is; chmod 600 hotline.keys), ' +
  'run the servers and this command with HOTLINE_KEY_FILE=hotline.keys and without HOTLINE_KEYRING, run "hotline keys rotate --remove-old", ' +
  'then store the new file content in your secret store (HOTLINE_KEYRING) and remove the file.';

/** Every stored ciphertext of one column, a page at a time. */
async function* ciphertextsOf(deps: Deps, column: EncryptedColumn, pageSize: number): AsyncGenerator<StoredCiphertext[]> {
  let after: RowKey | null = null;
  for (;;) {
    const rows = await deps.store.encryptedFields.page(column, after, pageSize);
    if (rows.length === 0) return;
    after = rows[rows.length - 1]!.key;
    yield rows;
  }
}

/**
 * Re-encrypts every value that is not under the active key, in small transactions so a running
 * server keeps serving. Repeats until a whole pass finds nothing left, which catches values a server
 * wrote under the old key before it noticed the new one, for at most MAX_PASSES passes.
 */
export async function reencryptAll(deps: Deps, progress: RotationProgress = {}): Promise<{ reencrypted: number; passes: number; isComplete: boolean }> {
  let total = 0;
  for (const column of encryptedColumns) total += await deps.store.encryptedFields.count(column);
  progress.start?.(total);
  let reencrypted = 0;
  for (let passes = 1; passes <= MAX_PASSES; passes += 1) {
    let changedThisPass = 0;
    for (const column of encryptedColumns) {
      for await (const rows of ciphertextsOf(deps, column, BATCH)) {
        await deps.store.transaction(async (tx) => {
          for (const row of rows) {
            if (Keyring.keyIdOf(row.value) === deps.keyring.activeKeyId) continue;
            const plaintext = deps.keyring.decrypt(row.value, column.context);
            if (await tx.encryptedFields.replace(column, row.key, row.value, deps.keyring.encrypt(plaintext, column.context))) changedThisPass += 1;
          }
        });
        if (passes === 1) progress.advance?.(rows.length);
      }
    }
    reencrypted += changedThisPass;
    if (changedThisPass === 0) return { reencrypted, passes, isComplete: true };
  }
  return { reencrypted, passes: MAX_PASSES, isComplete: false };
}

/**
 * `hotline keys rotate`: adds a new data key to the key file and makes it active, gives running
 * servers time to notice, then re-encrypts everything under it. The old keys stay in the file until
 * `removeKey` confirms nothing uses them; the result says how many values each still encrypts.
 */
export async function rotateKeys(deps: Deps, options: { graceMs: number; actorId: string | null; progress?: RotationProgress }): Promise<RotationResult> {
  const file = deps.keyring.file;
  if (!file) throw new KeyringError(KEYRING_ENV_ROTATION_HELP);
  const previousKeyIds = deps.keyring.dataKeyIds;
  const { content, keyId } = withNewActiveKey(deps.keyring.snapshot());
  writeKeyringFile(file, content);
  deps.keyring.reload();
  await appendAudit(deps, { actorId: options.actorId, action: 'keys.rotated', entityType: 'key', entityId: keyId, details: { previousKeyIds } });
  // Servers re-read the key file about once a second; wait so that they encrypt under the new key.
  await new Promise((resolve) => setTimeout(resolve, options.graceMs));
  const { reencrypted, passes } = await reencryptAll(deps, options.progress);
  const usage = await keyUsage(deps);
  const stillUsing = new Map(previousKeyIds.map((id) => [id, usage.get(id) ?? 0]));
  return { newKeyId: keyId, previousKeyIds, reencrypted, passes, stillUsing };
}

/** How many stored values each data key still encrypts (keys missing from the keyring included). */
export async function keyUsage(deps: Deps): Promise<Map<string, number>> {
  const usage = new Map<string, number>(deps.keyring.dataKeyIds.map((id) => [id, 0]));
  for (const column of encryptedColumns) {
    for await (const rows of ciphertextsOf(deps, column, 2000)) {
      for (const row of rows) {
        const id = Keyring.keyIdOf(row.value);
        usage.set(id, (usage.get(id) ?? 0) + 1);
      }
    }
  }
  return usage;
}

/** Removes a data key from the key file, refusing while any stored value still needs it. */
export async function removeKey(deps: Deps, options: { keyId: string; actorId: string | null }): Promise<void> {
  const file = deps.keyring.file;
  if (!file) throw new KeyringError(KEYRING_ENV_ROTATION_HELP);
  if (options.keyId === deps.keyring.activeKeyId) throw new KeyringError(`Key ${options.keyId} is the active key and cannot be removed`);
  if (!deps.keyring.dataKeyIds.includes(options.keyId)) throw new KeyringError(`Key ${options.keyId} is not in the key file`);
  const stillUsed = (await keyUsage(deps)).get(options.keyId) ?? 0;
  if (stillUsed > 0) throw new KeyringError(`Key ${options.keyId} still encrypts ${stillUsed} values; run "hotline keys rotate" first`);
  writeKeyringFile(file, withoutKey(deps.keyring.snapshot(), options.keyId));
  deps.keyring.reload();
  await appendAudit(deps, { actorId: options.actorId, action: 'keys.removed', entityType: 'key', entityId: options.keyId });
}
