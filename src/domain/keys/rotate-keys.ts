import { Keyring, KeyringError, withNewActiveKey, withoutKey, writeKeyringFile } from '../../crypto/keyring';
import { encryptedColumns } from '../../db/encrypted-columns';
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
}

const BATCH = 500;

/**
 * Re-encrypts every value that is not under the active key, in small transactions so a running
 * server keeps serving. Repeats until a whole pass finds nothing left, which catches values a server
 * wrote under the old key before it noticed the new one. Returns how many values it rewrote.
 */
export async function reencryptAll(deps: Deps, progress: RotationProgress = {}): Promise<{ reencrypted: number; passes: number }> {
  let total = 0;
  for (const column of encryptedColumns) total += await deps.store.encryptedFields.count(column);
  progress.start?.(total);
  let reencrypted = 0;
  let passes = 0;
  for (;;) {
    passes += 1;
    let changedThisPass = 0;
    for (const column of encryptedColumns) {
      let after: string | number | null = null;
      for (;;) {
        const rows = await deps.store.encryptedFields.page(column, after, BATCH);
        if (rows.length === 0) break;
        after = rows[rows.length - 1]!.id;
        await deps.store.transaction(async (tx) => {
          for (const row of rows) {
            if (Keyring.keyIdOf(row.value) === deps.keyring.activeKeyId) continue;
            const plaintext = deps.keyring.decrypt(row.value, column.context);
            if (await tx.encryptedFields.replace(column, row.id, row.value, deps.keyring.encrypt(plaintext, column.context))) changedThisPass += 1;
          }
        });
        if (passes === 1) progress.advance?.(rows.length);
      }
    }
    reencrypted += changedThisPass;
    if (changedThisPass === 0 || passes >= 10) break;
  }
  return { reencrypted, passes };
}

/**
 * `hotline keys rotate`: adds a new data key to the key file and makes it active, gives running
 * servers time to notice, then re-encrypts everything under it. The old keys stay in the file until
 * `removeKey` confirms nothing uses them.
 */
export async function rotateKeys(deps: Deps, options: { graceMs: number; actorId: string | null; progress?: RotationProgress }): Promise<RotationResult> {
  const file = deps.keyring.file;
  if (!file) throw new KeyringError('Keys come from HOTLINE_KEYRING; rotate by writing a key file instead (see the README)');
  const previousKeyIds = deps.keyring.dataKeyIds;
  const { content, keyId } = withNewActiveKey(deps.keyring.snapshot());
  writeKeyringFile(file, content);
  deps.keyring.reload();
  await appendAudit(deps, { actorId: options.actorId, action: 'keys.rotated', entityType: 'key', entityId: keyId, details: { previousKeyIds } });
  // Servers re-read the key file about once a second; wait so that they encrypt under the new key.
  await new Promise((resolve) => setTimeout(resolve, options.graceMs));
  const { reencrypted, passes } = await reencryptAll(deps, options.progress);
  return { newKeyId: keyId, previousKeyIds, reencrypted, passes };
}

/** How many stored values each data key still encrypts. */
export async function keyUsage(deps: Deps): Promise<Map<string, number>> {
  const usage = new Map<string, number>(deps.keyring.dataKeyIds.map((id) => [id, 0]));
  for (const column of encryptedColumns) {
    let after: string | number | null = null;
    for (;;) {
      const rows = await deps.store.encryptedFields.page(column, after, 2000);
      if (rows.length === 0) break;
      after = rows[rows.length - 1]!.id;
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
  if (!file) throw new KeyringError('Keys come from HOTLINE_KEYRING; edit that variable instead');
  if (options.keyId === deps.keyring.activeKeyId) throw new KeyringError(`Key ${options.keyId} is the active key and cannot be removed`);
  if (!deps.keyring.dataKeyIds.includes(options.keyId)) throw new KeyringError(`Key ${options.keyId} is not in the key file`);
  const stillUsed = (await keyUsage(deps)).get(options.keyId) ?? 0;
  if (stillUsed > 0) throw new KeyringError(`Key ${options.keyId} still encrypts ${stillUsed} values; run "hotline keys rotate" first`);
  writeKeyringFile(file, withoutKey(deps.keyring.snapshot(), options.keyId));
  deps.keyring.reload();
  await appendAudit(deps, { actorId: options.actorId, action: 'keys.removed', entityType: 'key', entityId: options.keyId });
}
