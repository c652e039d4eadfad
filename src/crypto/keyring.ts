import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../shared/app-error';

const FORMAT = 'hotline-keyring/1';
const CIPHER_VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

const base64Key = z
  .string()
  .refine((value) => Buffer.from(value, 'base64').length === 32, 'expected 32 bytes in base64');

const KeyringFileSchema = z.object({
  format: z.literal(FORMAT),
  id: z.string().min(8),
  createdAt: z.string(),
  activeDataKey: z.string().min(1),
  dataKeys: z.record(z.string().regex(/^[A-Za-z0-9_-]{1,32}$/), base64Key),
  indexKey: base64Key,
  auditKey: base64Key,
  /**
   * The transparency log's signing key (a signed-note signer key), when the operator set one
   * (`hotline log key --rotate`); without it the key is derived from the index key and the origin.
   */
  logSignerKey: z.string().optional(),
});

/** The key file's content: data keys by id, the blind-index key and the audit-chain key. */
export type KeyringFile = z.infer<typeof KeyringFileSchema>;

/** Why a keyring could not be loaded; the message says what to do. */
export class KeyringError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyringError';
  }
}

/** A new key id: short, unique, and sortable by creation date for humans reading the key file. */
function newKeyId(now: Date): string {
  return `k${now.toISOString().slice(0, 10).replaceAll('-', '')}${randomBytes(3).toString('hex')}`;
}

/** Makes the content of a new key file. */
export function generateKeyringFile(now = new Date()): KeyringFile {
  const id = newKeyId(now);
  return {
    format: FORMAT,
    id: randomBytes(8).toString('hex'),
    createdAt: now.toISOString(),
    activeDataKey: id,
    dataKeys: { [id]: randomBytes(32).toString('base64') },
    indexKey: randomBytes(32).toString('base64'),
    auditKey: randomBytes(32).toString('base64'),
  };
}

/** Parses key file content, naming the source in the error. */
export function parseKeyringFile(text: string, source: string): KeyringFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new KeyringError(`${source} is not a Hotline key file (not JSON)`);
  }
  const parsed = KeyringFileSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new KeyringError(`${source} is not a valid Hotline key file: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim());
  }
  if (!(parsed.data.activeDataKey in parsed.data.dataKeys)) {
    throw new KeyringError(`${source}: the active data key ${parsed.data.activeDataKey} is not among its data keys`);
  }
  return parsed.data;
}

/** Writes a key file atomically with mode 0600 in a folder of mode 0700. */
export function writeKeyringFile(file: string, content: KeyringFile): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, file);
}

/**
 * The keys that protect personal data: AES-256-GCM data keys (one active, older ones kept to read
 * until rotation has re-encrypted everything), an HMAC key for blind indexes, and an HMAC key that
 * seals the audit chain. Keys never enter the database. When loaded from a file, an unknown key id
 * makes it re-read the file once, so a server picks up a key added by `hotline keys rotate`.
 */
/** Random bytes for nonces, drawn from the system's generator a few kilobytes at a time: asking it for 12 bytes per encryption cost more than the encryption. */
const IV_POOL_BYTES = 4096;
let ivPool = Buffer.alloc(0);
let ivPoolOffset = 0;

/** A fresh random nonce (never one handed out before: the pool only moves forward). */
function freshIv(): Buffer {
  if (ivPoolOffset + IV_BYTES > ivPool.length) {
    ivPool = randomBytes(IV_POOL_BYTES);
    ivPoolOffset = 0;
  }
  ivPoolOffset += IV_BYTES;
  return ivPool.subarray(ivPoolOffset - IV_BYTES, ivPoolOffset);
}

export class Keyring {
  private content: KeyringFile;
  private dataKeys = new Map<string, Buffer>();
  private indexKey: Buffer;
  private auditKey: Buffer;
  private fileMtimeMs = 0;

  constructor(
    content: KeyringFile,
    readonly file?: string,
  ) {
    this.content = content;
    this.indexKey = Buffer.alloc(0);
    this.auditKey = Buffer.alloc(0);
    this.install(content);
    if (file) this.fileMtimeMs = statSync(file).mtimeMs;
  }

  /** Loads the key file; throws KeyringError when it is missing or damaged. */
  static fromFile(file: string): Keyring {
    if (!existsSync(file)) throw new KeyringError(`Key file ${file} not found`);
    const mode = statSync(file).mode & 0o777;
    if ((mode & 0o077) !== 0) {
      throw new KeyringError(`Key file ${file} is readable by other users (mode ${mode.toString(8)}); run chmod 600 ${file}`);
    }
    return new Keyring(parseKeyringFile(readFileSync(file, 'utf8'), file), file);
  }

  /** Loads keys passed in HOTLINE_KEYRING: the key file's JSON, or base64 of it. */
  static fromEnvironment(value: string): Keyring {
    const text = value.trim().startsWith('{') ? value : Buffer.from(value, 'base64').toString('utf8');
    return new Keyring(parseKeyringFile(text, 'HOTLINE_KEYRING'));
  }

  /** The keyring's own id, recorded in the database to catch a wrong key file. */
  get id(): string {
    return this.content.id;
  }

  /** The id of the key new ciphertexts use. */
  get activeKeyId(): string {
    return this.content.activeDataKey;
  }

  /** Ids of every data key this keyring can decrypt with. */
  get dataKeyIds(): string[] {
    return [...this.dataKeys.keys()];
  }

  /** A copy of the file content, for rotation. */
  snapshot(): KeyringFile {
    return structuredClone(this.content);
  }

  /** Re-reads the key file when it changed on disk. Returns whether anything changed. */
  reload(): boolean {
    if (!this.file || !existsSync(this.file)) return false;
    const mtime = statSync(this.file).mtimeMs;
    if (mtime === this.fileMtimeMs) return false;
    const next = parseKeyringFile(readFileSync(this.file, 'utf8'), this.file);
    if (next.id !== this.content.id) throw new KeyringError(`Key file ${this.file} was replaced by a different keyring`);
    this.install(next);
    this.fileMtimeMs = mtime;
    return true;
  }

  /**
   * Encrypts one personal field. `context` (such as "users.phone") is bound as associated data so a
   * ciphertext copied into another column fails to decrypt.
   */
  encrypt(plaintext: string, context: string): Buffer {
    const keyId = this.content.activeDataKey;
    const key = this.dataKeys.get(keyId) as Buffer;
    const iv = freshIv();
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const idBytes = Buffer.from(keyId, 'ascii');
    return Buffer.concat([Buffer.from([CIPHER_VERSION, idBytes.length]), idBytes, iv, cipher.getAuthTag(), body]);
  }

  /** Decrypts what `encrypt` produced with the same context. */
  decrypt(ciphertext: Uint8Array, context: string): string {
    const data = Buffer.from(ciphertext);
    const keyId = Keyring.keyIdOf(data);
    let key = this.dataKeys.get(keyId);
    if (!key && this.reload()) key = this.dataKeys.get(keyId);
    if (!key) throw new AppError('KEY_MISSING', `Data key ${keyId} is not in the key file`);
    const offset = 2 + keyId.length;
    const iv = data.subarray(offset, offset + IV_BYTES);
    const tag = data.subarray(offset + IV_BYTES, offset + IV_BYTES + TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(data.subarray(offset + IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  }

  /** The key id written in a ciphertext's header. */
  static keyIdOf(ciphertext: Uint8Array): string {
    const data = Buffer.from(ciphertext);
    if (data.length < 2 || data[0] !== CIPHER_VERSION) throw new AppError('INTERNAL', 'Unknown ciphertext format');
    const length = data[1] as number;
    return data.subarray(2, 2 + length).toString('ascii');
  }

  /**
   * A keyed blind index: the same normalized value always gives the same 16 bytes, so equal values can
   * be found without decrypting, while the index alone reveals nothing without the key. `kind`
   * separates domains (a phone number and a name never collide).
   */
  blindIndex(kind: string, normalized: string): Buffer {
    return createHmac('sha256', this.indexKey).update(`${kind}\u0000${normalized}`, 'utf8').digest().subarray(0, 16);
  }

  /** HMAC used to chain audit rows; keyed so that a database thief cannot rewrite the chain. */
  auditMac(message: string): string {
    return createHmac('sha256', this.auditKey).update(message, 'utf8').digest('hex');
  }

  /**
   * The key that seals backups, derived from the blind-index key (which, unlike data keys, is never
   * rotated away): a backup stays readable with the key file it was made under.
   */
  backupKey(): Buffer {
    return Buffer.from(hkdfSync('sha256', this.indexKey, Buffer.from(this.content.id, 'utf8'), 'hotline backup/1', 32));
  }

  /**
   * The transparency log's signing key for `origin`: the key file's `logSignerKey` when set, else
   * an Ed25519 seed derived from the index key (never rotated away, like the backup key) and the
   * origin, returned as `{ seed }`.
   */
  logSigningKey(origin: string): { signerKey: string } | { seed: Buffer } {
    if (this.content.logSignerKey !== undefined) return { signerKey: this.content.logSignerKey };
    return { seed: Buffer.from(hkdfSync('sha256', this.indexKey, Buffer.from(this.content.id, 'utf8'), `hotline transparency log/1\n${origin}`, 32)) };
  }

  /** Constant-time comparison of two audit MACs. */
  static macEquals(a: string, b: string): boolean {
    const left = Buffer.from(a, 'hex');
    const right = Buffer.from(b, 'hex');
    return left.length === right.length && timingSafeEqual(left, right);
  }

  private install(content: KeyringFile): void {
    this.content = content;
    this.dataKeys = new Map(Object.entries(content.dataKeys).map(([id, key]) => [id, Buffer.from(key, 'base64')]));
    this.indexKey = Buffer.from(content.indexKey, 'base64');
    this.auditKey = Buffer.from(content.auditKey, 'base64');
  }
}

/** Adds a new data key and makes it active; returns the new content and the new key id. */
export function withNewActiveKey(content: KeyringFile, now = new Date()): { content: KeyringFile; keyId: string } {
  const keyId = newKeyId(now);
  return {
    keyId,
    content: { ...content, activeDataKey: keyId, dataKeys: { ...content.dataKeys, [keyId]: randomBytes(32).toString('base64') } },
  };
}

/** Removes a data key that is no longer active. */
export function withoutKey(content: KeyringFile, keyId: string): KeyringFile {
  if (content.activeDataKey === keyId) throw new KeyringError(`Key ${keyId} is the active key and cannot be removed`);
  if (!(keyId in content.dataKeys)) throw new KeyringError(`Key ${keyId} is not in the key file`);
  const dataKeys = { ...content.dataKeys };
  delete dataKeys[keyId];
  return { ...content, dataKeys };
}
