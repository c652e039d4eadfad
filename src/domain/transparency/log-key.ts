import type { Keyring } from '../../crypto/keyring';
import { type NoteSigner, noteKeyFromSeed, parseSignerKey, parseVerifierKey } from '../../tlog/note';

/**
 * The log's origin (C2SP tlog-tiles: the scheme-less URL prefix of the log, no trailing slash),
 * from the configured public URL: `https://hotline.example.org` serves its log at
 * `https://hotline.example.org/log/`, origin `hotline.example.org/log`.
 */
export function logOrigin(publicUrl: string): string {
  return `${publicUrl.replace(/^[a-z]+:\/\//i, '').replace(/\/+$/, '')}/log`;
}

/** The log's signer and its verifier key (signed-note format), from the keyring. */
export function logSigner(keyring: Keyring, origin: string): { signer: NoteSigner; verifierKey: string } {
  const key = keyring.logSigningKey(origin);
  if ('seed' in key) {
    const { signerKey, verifierKey } = noteKeyFromSeed(origin, key.seed);
    return { signer: parseSignerKey(signerKey), verifierKey };
  }
  const signer = parseSignerKey(key.signerKey);
  if (signer.name !== origin) throw new Error(`the key file's logSignerKey is named ${signer.name}, but the log's origin is ${origin} (HOTLINE_PUBLIC_URL)`);
  const verifierKey = `${signer.name}+${signer.id.toString('hex')}+${Buffer.concat([Buffer.from([1]), signer.publicKey]).toString('base64')}`;
  parseVerifierKey(verifierKey);
  return { signer, verifierKey };
}
