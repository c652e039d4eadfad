import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';

/**
 * C2SP signed-note with Ed25519, as Go's golang.org/x/mod/sumdb/note speaks it: a text ending in a
 * newline, a blank line, and signature lines `— <name> <base64(key id || signature)>`. The key id
 * is the first four bytes of SHA-256(name || 0x0A || 0x01 || public key); keys are written
 * `PRIVATE+KEY+<name>+<hex id>+<base64(0x01 || seed)>` and `<name>+<hex id>+<base64(0x01 || public key)>`.
 */

const ED25519 = 0x01;
const SIGNATURE_PREFIX = '\u2014 ';
/** PKCS #8 and SPKI prefixes of a raw Ed25519 seed and public key. */
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** Whether `text` holds an ASCII control character (below U+0020), a newline allowed or not. */
export function hasControlCharacter(text: string, isNewlineAllowed: boolean): boolean {
  for (let at = 0; at < text.length; at += 1) {
    const code = text.charCodeAt(at);
    if (code < 0x20 && !(isNewlineAllowed && code === 0x0a)) return true;
  }
  return false;
}

/** A key text's `+`-separated fields; the last one, base64, may hold `+` itself. */
export function splitKey(text: string, fields: number): string[] {
  const parts = text.trim().split('+');
  return parts.length <= fields ? parts : [...parts.slice(0, fields - 1), parts.slice(fields - 1).join('+')];
}

/** A key name: non-empty, no spaces, no plus signs, no control characters. */
export function isKeyName(name: string): boolean {
  return name.length > 0 && !/[\s+]/u.test(name) && !hasControlCharacter(name, false);
}

/** The 4-byte key id of an Ed25519 public key under `name`. */
export function keyId(name: string, publicKey: Uint8Array): Buffer {
  return createHash('sha256').update(name).update(Buffer.from([0x0a, ED25519])).update(publicKey).digest().subarray(0, 4);
}

/** A signer: its name, key id, raw public key, and the key that signs. */
export interface NoteSigner {
  name: string;
  id: Buffer;
  publicKey: Buffer;
  sign(message: Uint8Array): Buffer;
}

/** A verifier: its name, key id, and the check of a signature. */
export interface NoteVerifier {
  name: string;
  id: Buffer;
  verify(message: Uint8Array, signature: Uint8Array): boolean;
}

/** The Ed25519 private key of a 32-byte seed. */
export function ed25519PrivateKey(seed: Uint8Array): KeyObject {
  return createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

/** The Ed25519 public key of 32 raw bytes. */
export function ed25519PublicKey(raw: Uint8Array): KeyObject {
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
}

/** A new Ed25519 key pair under `name`, as signer-key and verifier-key texts. */
export function generateNoteKey(name: string): { signerKey: string; verifierKey: string } {
  const { privateKey } = generateKeyPairSync('ed25519');
  return noteKeyFromSeed(name, privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(PKCS8_PREFIX.length));
}

/** The Ed25519 key pair of a 32-byte seed under `name`, as signer-key and verifier-key texts. */
export function noteKeyFromSeed(name: string, seed: Uint8Array): { signerKey: string; verifierKey: string } {
  if (!isKeyName(name)) throw new Error(`not a key name: ${JSON.stringify(name)}`);
  if (seed.length !== 32) throw new Error('an Ed25519 seed is 32 bytes');
  const publicKey = rawPublicKey(ed25519PrivateKey(seed));
  const id = keyId(name, publicKey).toString('hex');
  return {
    signerKey: `PRIVATE+KEY+${name}+${id}+${Buffer.concat([Buffer.from([ED25519]), seed]).toString('base64')}`,
    verifierKey: `${name}+${id}+${Buffer.concat([Buffer.from([ED25519]), publicKey]).toString('base64')}`,
  };
}

/** The raw 32-byte public key of an Ed25519 private key. */
export function rawPublicKey(privateKey: KeyObject): Buffer {
  return createPublicKey(privateKey).export({ format: 'der', type: 'spki' }).subarray(SPKI_PREFIX.length);
}

/** The signer a signer-key text describes; throws when it is malformed or its id does not match. */
export function parseSignerKey(text: string): NoteSigner {
  const parts = splitKey(text, 5);
  if (parts.length !== 5 || parts[0] !== 'PRIVATE' || parts[1] !== 'KEY') throw new Error('not a signer key (PRIVATE+KEY+name+id+key)');
  const [, , name = '', id = '', encoded = ''] = parts;
  const key = Buffer.from(encoded, 'base64');
  if (!isKeyName(name) || !/^[0-9a-f]{8}$/.test(id) || key.length !== 33 || key[0] !== ED25519) throw new Error('not a signer key (PRIVATE+KEY+name+id+key)');
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, key.subarray(1)]), format: 'der', type: 'pkcs8' });
  const publicKey = rawPublicKey(privateKey);
  if (keyId(name, publicKey).toString('hex') !== id) throw new Error('the signer key does not match its id');
  return { name, id: Buffer.from(id, 'hex'), publicKey, sign: (message) => sign(null, message, privateKey) };
}

/** The verifier a verifier-key text describes; throws when it is malformed or its id does not match. */
export function parseVerifierKey(text: string): NoteVerifier {
  const parts = splitKey(text, 3);
  const [name = '', id = '', encoded = ''] = parts;
  const key = Buffer.from(encoded, 'base64');
  if (parts.length !== 3 || !isKeyName(name) || !/^[0-9a-f]{8}$/.test(id) || key.length !== 33 || key[0] !== ED25519) {
    throw new Error('not a verifier key (name+id+key)');
  }
  const publicKey = key.subarray(1);
  if (keyId(name, publicKey).toString('hex') !== id) throw new Error('the verifier key does not match its id');
  const object = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' });
  return { name, id: Buffer.from(id, 'hex'), verify: (message, signature) => signature.length === 64 && verify(null, message, object, signature) };
}

/** A signature line for `text` (which must end in a newline) by `signer`. */
export function signatureLine(text: string, signer: NoteSigner): string {
  checkText(text);
  return `${SIGNATURE_PREFIX}${signer.name} ${Buffer.concat([signer.id, signer.sign(Buffer.from(text))]).toString('base64')}\n`;
}

/** `text` signed by each signer: the text, a blank line, one signature line each. */
export function signNote(text: string, signers: readonly NoteSigner[]): string {
  if (signers.length === 0) throw new Error('a note needs at least one signature');
  return `${text}\n${signers.map((signer) => signatureLine(text, signer)).join('')}`;
}

/** A note split into its text and signatures (name, key id, signature), unverified. */
export interface ParsedNote {
  text: string;
  signatures: { name: string; id: Buffer; signature: Buffer; line: string }[];
}

/** Splits a signed note; throws when it is malformed. */
export function parseNote(note: string): ParsedNote {
  if (hasControlCharacter(note, true)) throw new Error('a note must not hold control characters other than newline');
  if (!note.endsWith('\n')) throw new Error('a note ends with a newline');
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw new Error('a note has a blank line before its signatures');
  const text = note.slice(0, split + 1);
  const lines = note.slice(split + 2, -1).split('\n');
  if (lines.length > 100) throw new Error('a note has too many signatures');
  const signatures = lines.map((line) => {
    if (!line.startsWith(SIGNATURE_PREFIX)) throw new Error('a signature line starts with an em dash and a space');
    const [name = '', encoded = '', ...rest] = line.slice(SIGNATURE_PREFIX.length).split(' ');
    const bytes = Buffer.from(encoded, 'base64');
    if (rest.length > 0 || !isKeyName(name) || bytes.length < 5 || bytes.toString('base64') !== encoded) throw new Error('a malformed signature line');
    return { name, id: bytes.subarray(0, 4), signature: bytes.subarray(4), line: `${line}\n` };
  });
  return { text, signatures };
}

/**
 * The note's text when `verifier` signed it; throws otherwise (a signature by that key that does
 * not verify rejects the whole note). Signatures by other keys are ignored.
 */
export function openNote(note: string, verifier: NoteVerifier): { text: string; signatures: ParsedNote['signatures'] } {
  const parsed = parseNote(note);
  const mine = parsed.signatures.find((signature) => signature.name === verifier.name && signature.id.equals(verifier.id));
  if (mine === undefined) throw new Error(`the note is not signed by ${verifier.name}`);
  if (!verifier.verify(Buffer.from(parsed.text), mine.signature)) throw new Error(`the signature of ${verifier.name} does not verify`);
  return parsed;
}

function checkText(text: string): void {
  if (!text.endsWith('\n') || text.includes('\n\n') || hasControlCharacter(text, true)) throw new Error('a note text ends in a newline and has no blank line and no control characters');
}
