import { createHash, hash } from 'node:crypto';

/**
 * RFC 6962 / RFC 9162 Merkle tree hashing and proofs, as C2SP tlog-tiles, tlog-checkpoint and
 * tlog-proof use them: a leaf is SHA-256(0x00 || entry), an interior node SHA-256(0x01 || left ||
 * right), and a tree of n leaves splits at the largest power of two below n.
 */

/** A SHA-256 hash: 32 bytes. */
export type Hash = Buffer;

export const HASH_SIZE = 32;

/** The hash of a leaf: SHA-256(0x00 || entry). */
export function leafHash(entry: Uint8Array): Hash {
  // One-shot hashing of one buffer costs about half of a streaming hash's three calls.
  const input = Buffer.allocUnsafe(entry.length + 1);
  input[0] = 0;
  input.set(entry, 1);
  return hash('sha256', input, 'buffer');
}

/** The hash of an interior node: SHA-256(0x01 || left || right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Hash {
  const input = Buffer.allocUnsafe(1 + left.length + right.length);
  input[0] = 1;
  input.set(left, 1);
  input.set(right, 1 + left.length);
  return hash('sha256', input, 'buffer');
}

/** The root of an empty tree: SHA-256 of nothing. */
export const EMPTY_ROOT: Hash = createHash('sha256').digest();


const isPowerOfTwo = (n: number): boolean => n > 0 && 2 ** Math.floor(Math.log2(n)) === n;

/** The largest power of two strictly below `n` (n > 1). */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * Where the hashes of subtrees come from: `hash(start, end)` is the root of the leaves
 * [start, end), a range that is always a subtree some proof needs (stored tiles answer the
 * aligned ones at once).
 */
export interface SubtreeHashes {
  hash(start: number, end: number): Hash;
}

/** The root of the tree of the first `size` leaves. */
export function treeRoot(hashes: SubtreeHashes, size: number): Hash {
  return size === 0 ? EMPTY_ROOT : hashes.hash(0, size);
}

/** RFC 9162 2.1.3.1: the inclusion proof of leaf `index` in the tree of `size` leaves. */
export function inclusionProof(hashes: SubtreeHashes, index: number, size: number): Hash[] {
  if (!Number.isSafeInteger(index) || index < 0 || index >= size) throw new RangeError(`leaf ${index} is not in a tree of ${size}`);
  const path = (m: number, start: number, end: number): Hash[] => {
    if (end - start === 1) return [];
    const k = splitPoint(end - start);
    return m < k ? [...path(m, start, start + k), hashes.hash(start + k, end)] : [...path(m - k, start + k, end), hashes.hash(start, start + k)];
  };
  return path(index, 0, size);
}

/** RFC 9162 2.1.4.1: the consistency proof between the trees of `from` and `to` leaves. */
export function consistencyProof(hashes: SubtreeHashes, from: number, to: number): Hash[] {
  if (!Number.isSafeInteger(from) || from < 0 || from > to) throw new RangeError(`no consistency proof from ${from} to ${to}`);
  if (from === 0 || from === to) return [];
  const subproof = (m: number, start: number, end: number, isWhole: boolean): Hash[] => {
    const n = end - start;
    if (m === n) return isWhole ? [] : [hashes.hash(start, end)];
    const k = splitPoint(n);
    return m <= k ? [...subproof(m, start, start + k, isWhole), hashes.hash(start + k, end)] : [...subproof(m - k, start + k, end, false), hashes.hash(start, start + k)];
  };
  return subproof(from, 0, to, true);
}

/** RFC 9162 2.1.3.2: whether `proof` shows leaf `index` with hash `leaf` in the tree of `size` leaves with root `root`. */
export function verifyInclusion(leaf: Uint8Array, index: number, size: number, proof: readonly Uint8Array[], root: Uint8Array): boolean {
  if (index < 0 || index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r: Buffer = Buffer.from(leaf);
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && r.equals(root);
}

/** RFC 9162 2.1.4.2: whether `proof` shows the tree of `to` leaves (root `toRoot`) extends the tree of `from` leaves (root `fromRoot`). */
export function verifyConsistency(from: number, to: number, proof: readonly Uint8Array[], fromRoot: Uint8Array, toRoot: Uint8Array): boolean {
  if (from < 0 || from > to) return false;
  if (from === to) return proof.length === 0 && Buffer.compare(fromRoot, toRoot) === 0;
  if (from === 0) return proof.length === 0;
  if (proof.length === 0) return false;
  let path: Uint8Array[] = [...proof];
  // A power-of-two old tree is its own first node.
  if (isPowerOfTwo(from)) path = [Buffer.from(fromRoot), ...path];
  let fn = from - 1;
  let sn = to - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr: Buffer = Buffer.from(path[0] as Uint8Array);
  let sr: Buffer = Buffer.from(path[0] as Uint8Array);
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && fr.equals(fromRoot) && sr.equals(toRoot);
}

/** Subtree hashes of leaves held in memory (tests, small trees): each range hashed once. */
export class MemoryHashes implements SubtreeHashes {
  private readonly known = new Map<string, Hash>();

  constructor(private readonly leaves: readonly Hash[]) {}

  hash(start: number, end: number): Hash {
    if (start < 0 || end > this.leaves.length || start >= end) throw new RangeError(`no subtree [${start}, ${end}) in ${this.leaves.length} leaves`);
    if (end - start === 1) return this.leaves[start] as Hash;
    const key = `${start}:${end}`;
    let hash = this.known.get(key);
    if (hash === undefined) {
      const k = splitPoint(end - start);
      hash = nodeHash(this.hash(start, start + k), this.hash(start + k, end));
      this.known.set(key, hash);
    }
    return hash;
  }
}
