import { createHash, generateKeyPairSync, sign, verify } from 'node:crypto';
import { ed25519PrivateKey, ed25519PublicKey, isKeyName, rawPublicKey, splitKey } from './note';

/**
 * C2SP tlog-cosignature, Ed25519 (`cosignature/v1`): a witness's signature line on a checkpoint,
 * `— <name> base64(key id || u64 timestamp || signature)`, over
 * `cosignature/v1\ntime <T>\n<checkpoint text>`. The key id is the first four bytes of
 * SHA-256(name || "\n" || 0x04 || public key); keys are written like signed-note keys with type
 * byte 0x04: `PRIVATE+KEY+<name>+<id>+<base64(0x04 || seed)>` and `<name>+<id>+<base64(0x04 || public key)>`.
 */

const COSIGNATURE_V1 = 0x04;
const SIGNATURE_PREFIX = '\u2014 ';

/** The 4-byte key id of a cosigner's Ed25519 public key under `name`. */
export function cosignerKeyId(name: string, publicKey: Uint8Array): Buffer {
  return createHash('sha256').update(name).update(Buffer.from([0x0a, COSIGNATURE_V1])).update(publicKey).digest().subarray(0, 4);
}

/** A cosigner (a witness's key). */
export interface Cosigner {
  name: string;
  id: Buffer;
  /** Its verifier key text (name+id+base64(0x04 || public key)). */
  verifierKey: string;
  /** The signature line on `checkpointText` at `time` (seconds since the epoch). */
  cosign(checkpointText: string, time: number): string;
}

/** What checks a cosigner's signature lines. */
export interface CosignatureVerifier {
  name: string;
  id: Buffer;
  /** The cosignature's time when `line` is this cosigner's valid signature on `checkpointText`, else undefined. */
  verify(checkpointText: string, line: string): number | undefined;
}

function message(checkpointText: string, time: number): Buffer {
  return Buffer.from(`cosignature/v1\ntime ${time}\n${checkpointText}`);
}

/** A new cosigner key pair under `name`, as signer-key and verifier-key texts. */
export function generateCosignerKey(name: string): { signerKey: string; verifierKey: string } {
  if (!isKeyName(name)) throw new Error(`not a key name: ${JSON.stringify(name)}`);
  const { privateKey } = generateKeyPairSync('ed25519');
  const seed = privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(-32);
  const publicKey = rawPublicKey(privateKey);
  const id = cosignerKeyId(name, publicKey).toString('hex');
  return {
    signerKey: `PRIVATE+KEY+${name}+${id}+${Buffer.concat([Buffer.from([COSIGNATURE_V1]), seed]).toString('base64')}`,
    verifierKey: `${name}+${id}+${Buffer.concat([Buffer.from([COSIGNATURE_V1]), publicKey]).toString('base64')}`,
  };
}

/** The cosigner a signer-key text describes; throws when it is malformed or its id does not match. */
export function parseCosignerKey(text: string): Cosigner {
  const parts = splitKey(text, 5);
  const [, , name = '', id = '', encoded = ''] = parts;
  const key = Buffer.from(encoded, 'base64');
  if (parts.length !== 5 || parts[0] !== 'PRIVATE' || parts[1] !== 'KEY' || !isKeyName(name) || key.length !== 33 || key[0] !== COSIGNATURE_V1) {
    throw new Error('not a cosigner key (PRIVATE+KEY+name+id+key, type 0x04)');
  }
  const privateKey = ed25519PrivateKey(key.subarray(1));
  const publicKey = rawPublicKey(privateKey);
  const keyIdBytes = cosignerKeyId(name, publicKey);
  if (keyIdBytes.toString('hex') !== id) throw new Error('the cosigner key does not match its id');
  return {
    name,
    id: keyIdBytes,
    verifierKey: `${name}+${id}+${Buffer.concat([Buffer.from([COSIGNATURE_V1]), publicKey]).toString('base64')}`,
    cosign(checkpointText, time) {
      const stamp = Buffer.alloc(8);
      stamp.writeBigUInt64BE(BigInt(time));
      const signature = sign(null, message(checkpointText, time), privateKey);
      return `${SIGNATURE_PREFIX}${name} ${Buffer.concat([keyIdBytes, stamp, signature]).toString('base64')}\n`;
    },
  };
}

/** The verifier a cosigner's verifier-key text describes; throws when it is malformed or its id does not match. */
export function parseCosignatureVerifierKey(text: string): CosignatureVerifier {
  const parts = splitKey(text, 3);
  const [name = '', id = '', encoded = ''] = parts;
  const key = Buffer.from(encoded, 'base64');
  if (parts.length !== 3 || !isKeyName(name) || !/^[0-9a-f]{8}$/.test(id) || key.length !== 33 || key[0] !== COSIGNATURE_V1) {
    throw new Error('not a witness verifier key (name+id+key, type 0x04)');
  }
  const keyIdBytes = cosignerKeyId(name, key.subarray(1));
  if (keyIdBytes.toString('hex') !== id) throw new Error('the witness verifier key does not match its id');
  const publicKey = ed25519PublicKey(key.subarray(1));
  return {
    name,
    id: keyIdBytes,
    verify(checkpointText, line) {
      const text = line.endsWith('\n') ? line.slice(0, -1) : line;
      if (!text.startsWith(`${SIGNATURE_PREFIX}${name} `)) return undefined;
      const bytes = Buffer.from(text.slice(SIGNATURE_PREFIX.length + name.length + 1), 'base64');
      if (bytes.length !== 4 + 8 + 64 || !bytes.subarray(0, 4).equals(keyIdBytes)) return undefined;
      const time = bytes.readBigUInt64BE(4);
      if (time === 0n || time > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
      return verify(null, message(checkpointText, Number(time)), publicKey, bytes.subarray(12)) ? Number(time) : undefined;
    },
  };
}
