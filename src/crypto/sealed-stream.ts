import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** Plaintext bytes per sealed chunk: small enough to verify before use, large enough to be cheap. */
const CHUNK_BYTES = 64 * 1024;
const NONCE_PREFIX_BYTES = 7;
const TAG_BYTES = 16;
const FINAL_FLAG = 0x8000_0000;

/** Sealed data was changed, cut short, or made with another key; the message says where. */
export class SealError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SealError';
  }
}

/** A fresh random nonce prefix for one sealed stream (stored in its header). */
export function newNoncePrefix(): Buffer {
  return randomBytes(NONCE_PREFIX_BYTES);
}

/** Each chunk's nonce: the stream's prefix, the chunk's number, and whether it is the last one. */
function nonceOf(prefix: Buffer, index: number, isFinal: boolean): Buffer {
  const nonce = Buffer.alloc(12);
  prefix.copy(nonce, 0, 0, NONCE_PREFIX_BYTES);
  nonce.writeUInt32BE(index, NONCE_PREFIX_BYTES);
  nonce[11] = isFinal ? 1 : 0;
  return nonce;
}

function sealChunk(key: Buffer, prefix: Buffer, aad: Buffer, index: number, plaintext: Buffer, isFinal: boolean): Buffer {
  const cipher = createCipheriv('aes-256-gcm', key, nonceOf(prefix, index, isFinal));
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const header = Buffer.alloc(4);
  header.writeUInt32BE((isFinal ? FINAL_FLAG : 0) + plaintext.length);
  return Buffer.concat([header, body, cipher.getAuthTag()]);
}

/**
 * Encrypts a byte stream in authenticated chunks (AES-256-GCM, the STREAM construction): each
 * chunk's nonce holds its number and whether it is the last, and every chunk is bound to `aad`
 * (the file's header), so a reordered, removed, appended or cut-off chunk fails to open, and each
 * chunk is checked before any of its bytes are used.
 */
export async function* seal(source: AsyncIterable<Buffer>, key: Buffer, noncePrefix: Buffer, aad: Buffer): AsyncGenerator<Buffer> {
  let pending: Buffer = Buffer.alloc(0);
  let index = 0;
  for await (const piece of source) {
    pending = pending.length === 0 ? piece : Buffer.concat([pending, piece]);
    // Keep at least one byte back: the last chunk is only known once the source has ended.
    while (pending.length > CHUNK_BYTES) {
      yield sealChunk(key, noncePrefix, aad, index++, pending.subarray(0, CHUNK_BYTES), false);
      pending = pending.subarray(CHUNK_BYTES);
    }
  }
  yield sealChunk(key, noncePrefix, aad, index, pending, true);
}

/** Opens what `seal` produced; throws SealError at the first chunk that does not authenticate. */
export async function* open(source: AsyncIterable<Buffer>, key: Buffer, noncePrefix: Buffer, aad: Buffer): AsyncGenerator<Buffer> {
  let buffered: Buffer = Buffer.alloc(0);
  let index = 0;
  let isDone = false;
  for await (const piece of source) {
    buffered = buffered.length === 0 ? piece : Buffer.concat([buffered, piece]);
    for (;;) {
      if (buffered.length === 0) break;
      if (isDone) throw new SealError(`data follows the last chunk (chunk ${index}): the file was altered`);
      if (buffered.length < 4) break;
      const word = buffered.readUInt32BE(0);
      // Arithmetic, not bitwise: JavaScript's bitwise operators work on signed 32-bit numbers.
      const isFinal = word >= FINAL_FLAG;
      const length = isFinal ? word - FINAL_FLAG : word;
      if (length > CHUNK_BYTES) throw new SealError(`chunk ${index} has an impossible length: the file is damaged`);
      const frame = 4 + length + TAG_BYTES;
      if (buffered.length < frame) break;
      const decipher = createDecipheriv('aes-256-gcm', key, nonceOf(noncePrefix, index, isFinal));
      decipher.setAAD(aad);
      decipher.setAuthTag(buffered.subarray(4 + length, frame));
      let plaintext: Buffer;
      try {
        plaintext = Buffer.concat([decipher.update(buffered.subarray(4, 4 + length)), decipher.final()]);
      } catch {
        throw new SealError(`chunk ${index} does not authenticate: the file is damaged or was made with another key`);
      }
      buffered = buffered.subarray(frame);
      index += 1;
      isDone = isFinal;
      if (plaintext.length > 0) yield plaintext;
    }
  }
  if (!isDone) throw new SealError(`the file ends after chunk ${index - 1} without its last chunk: it was cut short`);
}
