import { randomBytes } from 'node:crypto';
import { KeyringError, writeKeyringFile } from '../../crypto/keyring';
import { parseCosignatureVerifierKey } from '../../tlog/cosignature';
import { noteKeyFromSeed } from '../../tlog/note';
import { AppError } from '../../shared/app-error';
import { appendAudit } from '../audit/append-audit';
import type { Deps } from '../deps';
import { decodeEntry } from './log-entry';
import { logOrigin, logSigner } from './log-key';
import { type LogTotals, ZERO_TOTALS, addToTotals } from './sequencer';

/** The log's origin and verifier key, as `hotline log key` prints them. */
export function logIdentity(deps: Deps, publicUrl: string): { origin: string; verifierKey: string } {
  const origin = logOrigin(publicUrl);
  return { origin, verifierKey: logSigner(deps.keyring, origin).verifierKey };
}

/**
 * Gives the log a new signing key, kept in the key file (`logSignerKey`): checkpoints signed from
 * then on verify only with the new verifier key, which must be published to monitors and witnesses
 * (older checkpoints stay verifiable with the old one). Audited.
 */
export async function rotateLogKey(deps: Deps, publicUrl: string, actorId: string | null): Promise<{ origin: string; verifierKey: string; previousKey: string }> {
  const file = deps.keyring.file;
  if (!file) throw new KeyringError('The keys come from HOTLINE_KEYRING: put the key file content there with a new logSignerKey instead (see docs/transparency-log.md)');
  const { origin, verifierKey: previousKey } = logIdentity(deps, publicUrl);
  const { signerKey, verifierKey } = noteKeyFromSeed(origin, randomBytes(32));
  writeKeyringFile(file, { ...deps.keyring.snapshot(), logSignerKey: signerKey });
  deps.keyring.reload();
  await appendAudit(deps, { actorId, action: 'log.key-rotated', entityType: 'log', entityId: origin, details: { previousKey, verifierKey } });
  return { origin, verifierKey, previousKey };
}

/** Adds (or re-keys) a witness the sequencer asks to cosign each checkpoint. Audited. */
export async function addWitness(deps: Deps, url: string, verifierKey: string, actorId: string | null): Promise<{ name: string }> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new AppError('VALIDATION_FAILED', `Not a URL: ${url} (the witness's submission prefix, such as https://witness.example.org)`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new AppError('VALIDATION_FAILED', 'A witness URL starts with https:// (or http:// on a private network)');
  let name: string;
  try {
    name = parseCosignatureVerifierKey(verifierKey).name;
  } catch (error) {
    throw new AppError('VALIDATION_FAILED', `Not a witness key: ${(error as Error).message}`);
  }
  const clean = parsed.toString().replace(/\/+$/, '');
  await deps.store.transparency.addWitness(clean, verifierKey, deps.clock());
  await appendAudit(deps, { actorId, action: 'log.witness-added', entityType: 'log-witness', entityId: clean, details: { name } });
  return { name };
}

/** Removes a witness. Audited. */
export async function removeWitness(deps: Deps, url: string, actorId: string | null): Promise<void> {
  const clean = url.replace(/\/+$/, '');
  if (!(await deps.store.transparency.removeWitness(clean))) throw new AppError('NOT_FOUND', `No witness at ${clean}`);
  await appendAudit(deps, { actorId, action: 'log.witness-removed', entityType: 'log-witness', entityId: clean, details: {} });
}

/** The configured witnesses and how asking them went last. */
export async function listWitnesses(deps: Deps): Promise<{ url: string; verifierKey: string; cosignedSize: number | null; lastError: string | null; lastAttemptAt: number | null }[]> {
  return (await deps.store.transparency.witnesses()).map((row) => ({
    url: row.url,
    verifierKey: row.verifier_key,
    cosignedSize: row.cosigned_size,
    lastError: row.last_error,
    lastAttemptAt: row.last_attempt_at,
  }));
}

/**
 * What all the log's entries add up to, signed or not: the latest checkpoint's totals plus the
 * entries after it. The stored counters must equal it (`hotline stats rebuild` reports otherwise).
 */
export async function logTotals(deps: Deps): Promise<{ totals: LogTotals; entries: number; signed: number }> {
  return deps.store.readSnapshot(async (tx) => {
    const head = await tx.transparency.head();
    const totals: LogTotals = head ? (JSON.parse(head.totals) as LogTotals) : { ...ZERO_TOTALS };
    let at = head?.size ?? 0;
    for (;;) {
      const entries = await tx.transparency.entries(at, at + 10_000);
      for (const stored of entries) addToTotals(totals, decodeEntry(stored.entry));
      at += entries.length;
      if (entries.length < 10_000) return { totals, entries: at, signed: head?.size ?? 0 };
    }
  });
}
