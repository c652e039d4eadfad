import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { formatCheckpoint, parseCheckpoint } from './checkpoint';
import { EMPTY_ROOT, MemoryHashes, consistencyProof, inclusionProof, leafHash, treeRoot, verifyConsistency, verifyInclusion } from './merkle';
import { generateNoteKey, openNote, parseNote, parseSignerKey, parseVerifierKey, signNote } from './note';
import { generateCosignerKey, parseCosignatureVerifierKey, parseCosignerKey } from './cosignature';
import { formatProof, parseProof } from './proof';
import { withTiles } from './tile-reader';
import { MemoryTileStore, TiledHashes, tilesToAppend } from './tiled-tree';
import { entryBundle, indexPath, parseEntryBundle, parseTilePath, tilePath, tilesAt } from './tiles';

/** RFC 6962's test leaves (certificate-transparency's merkle tree tests). */
const RFC6962_LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'];

const leavesOf = (count: number) => Array.from({ length: count }, (_, index) => leafHash(Buffer.from(`entry ${index}`)));

describe('the Merkle tree (RFC 6962 / 9162)', () => {
  it('gives RFC 6962’s roots for its test leaves', () => {
    const leaves = RFC6962_LEAVES.map((hex) => leafHash(Buffer.from(hex, 'hex')));
    expect(leaves[0]?.toString('hex')).toBe('6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d');
    expect(treeRoot(new MemoryHashes(leaves), 8).toString('hex')).toBe('5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328');
    expect(treeRoot(new MemoryHashes([]), 0).equals(EMPTY_ROOT)).toBe(true);
    expect(EMPTY_ROOT.toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('proves every leaf of every tree up to 70 leaves, and no proof of a changed leaf, index, size or path verifies', () => {
    const leaves = leavesOf(70);
    const hashes = new MemoryHashes(leaves);
    for (let size = 1; size <= 70; size += 1) {
      const root = treeRoot(hashes, size);
      for (let index = 0; index < size; index += 1) {
        const proof = inclusionProof(hashes, index, size);
        expect(verifyInclusion(leaves[index] as Buffer, index, size, proof, root), `${index} of ${size}`).toBe(true);
        if (size > 1) {
          expect(verifyInclusion(leaves[(index + 1) % size] as Buffer, index, size, proof, root)).toBe(false);
          expect(verifyInclusion(leaves[index] as Buffer, (index + 1) % size, size, proof, root)).toBe(false);
          expect(verifyInclusion(leaves[index] as Buffer, index, size, proof.slice(1), root)).toBe(false);
        }
      }
    }
    expect(() => inclusionProof(hashes, 5, 5)).toThrow(RangeError);
  });

  it('proves every tree up to 40 leaves consistent with every earlier one, and a proof for other roots fails', () => {
    const hashes = new MemoryHashes(leavesOf(40));
    for (let to = 1; to <= 40; to += 1) {
      const toRoot = treeRoot(hashes, to);
      for (let from = 1; from <= to; from += 1) {
        const fromRoot = treeRoot(hashes, from);
        const proof = consistencyProof(hashes, from, to);
        expect(verifyConsistency(from, to, proof, fromRoot, toRoot), `${from} -> ${to}`).toBe(true);
        if (from < to) {
          expect(verifyConsistency(from, to, proof, toRoot, toRoot)).toBe(false);
          expect(verifyConsistency(from, to, proof, fromRoot, fromRoot)).toBe(false);
          expect(verifyConsistency(from, to, [], fromRoot, toRoot)).toBe(false);
        }
      }
    }
    // A forked log: same size, one entry changed.
    const forked = new MemoryHashes(leavesOf(40).map((leaf, index) => (index === 3 ? leafHash(Buffer.from('changed')) : leaf)));
    expect(verifyConsistency(10, 40, consistencyProof(forked, 10, 40), treeRoot(hashes, 10), treeRoot(forked, 40))).toBe(false);
  });
});

describe('tiles (C2SP tlog-tiles)', () => {
  it('names tiles as the spec does and reads back only well-formed names', () => {
    expect(indexPath(1234067)).toBe('x001/x234/067');
    expect(indexPath(0)).toBe('000');
    expect(tilePath({ level: 0, index: 1234067, width: 256 })).toBe('tile/0/x001/x234/067');
    expect(tilePath({ level: 'entries', index: 5, width: 17 })).toBe('tile/entries/005.p/17');
    expect(parseTilePath('tile/0/x001/x234/067')).toEqual({ level: 0, index: 1234067, width: 256 });
    expect(parseTilePath('tile/entries/005.p/17')).toEqual({ level: 'entries', index: 5, width: 17 });
    for (const bad of ['tile/0/1234067', 'tile/0/x000/067', 'tile/01/000', 'tile/0/000.p/0', 'tile/0/000.p/256', 'tile/0/000.p/017', 'tile/entries/x1/000', '/tile/0/000']) {
      expect(parseTilePath(bad), bad).toBeUndefined();
    }
  });

  it('lists the full tiles and the partial one of each level', () => {
    expect(tilesAt(0, 600)).toEqual([
      { level: 0, index: 0, width: 256 },
      { level: 0, index: 1, width: 256 },
      { level: 0, index: 2, width: 88 },
    ]);
    expect(tilesAt(1, 600)).toEqual([{ level: 1, index: 0, width: 2 }]);
    expect(tilesAt(1, 255)).toEqual([]);
  });

  it('bundles entries with their lengths, and refuses a truncated bundle', () => {
    const entries = [Buffer.from('a'), Buffer.alloc(0), Buffer.from('退党')];
    const bundle = entryBundle(entries);
    expect(bundle.toString('hex')).toBe(`00016100000006${Buffer.from('退党').toString('hex')}`);
    expect(parseEntryBundle(bundle)).toEqual(entries);
    expect(parseEntryBundle(bundle.subarray(0, bundle.length - 1))).toBeUndefined();
  });
});

describe('signed notes and checkpoints (C2SP signed-note, tlog-checkpoint)', () => {
  it('signs as Go’s sumdb/note does (its test key and text give its signature)', () => {
    const signer = parseSignerKey('PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz');
    const verifier = parseVerifierKey('PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW');
    const text = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
    const note = signNote(text, [signer]);
    expect(note).toBe(`${text}\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`);
    expect(openNote(note, verifier).text).toBe(text);
    expect(() => openNote(note.replace('problem,', 'problem;'), verifier)).toThrow(/does not verify/);
  });

  it('makes keys that round-trip, ignores other signers, and refuses a note without its signer', () => {
    const log = generateNoteKey('hotline.example/log');
    const witness = generateNoteKey('witness.example');
    const checkpoint = formatCheckpoint({ origin: 'hotline.example/log', size: 8, root: Buffer.alloc(32, 7), extensions: [] });
    const note = signNote(checkpoint, [parseSignerKey(log.signerKey), parseSignerKey(witness.signerKey)]);
    expect(parseNote(note).signatures.map((signature) => signature.name)).toEqual(['hotline.example/log', 'witness.example']);
    expect(parseCheckpoint(openNote(note, parseVerifierKey(log.verifierKey)).text)).toEqual({ origin: 'hotline.example/log', size: 8, root: Buffer.alloc(32, 7), extensions: [] });
    const other = generateNoteKey('hotline.example/log');
    expect(() => openNote(note, parseVerifierKey(other.verifierKey))).toThrow(/not signed by/);
    expect(() => parseVerifierKey(log.verifierKey.replace(/\+[0-9a-f]{8}\+/, '+00000000+'))).toThrow(/does not match/);
  });

  it('refuses malformed checkpoints', () => {
    const root = Buffer.alloc(32, 1).toString('base64');
    expect(parseCheckpoint(`o\n10\n${root}\nextension line\n`).extensions).toEqual(['extension line']);
    for (const bad of [`o\n010\n${root}\n`, `o\n-1\n${root}\n`, `o\n10\n${root}`, `\n10\n${root}\n`, `o\n10\nAAAA\n`, `o\n10\n${root}\n\n`]) {
      expect(() => parseCheckpoint(bad), JSON.stringify(bad)).toThrow();
    }
  });
});

describe('the tree kept as tiles', () => {
  it('gives the same roots and proofs as the whole tree, appended in batches of any size, touching only the growing tiles', () => {
    const count = 70_000;
    const leaves = leavesOf(count);
    const whole = new MemoryHashes(leaves);
    const store = new MemoryTileStore();
    let size = 0;
    let batch = 1;
    while (size < count) {
      const next = Math.min(count, size + batch);
      const writes = tilesToAppend(store, size, leaves.slice(size, next));
      // One growing tile per level, plus the tiles it filled.
      expect(writes.filter((write) => write.tile.width < 256).length).toBeLessThanOrEqual(3);
      store.write(writes);
      size = next;
      const tiled = new TiledHashes(store, size);
      expect(treeRoot(tiled, size).equals(treeRoot(whole, size)), `root at ${size}`).toBe(true);
      const index = (size * 7919) % size;
      expect(verifyInclusion(leaves[index] as Buffer, index, size, inclusionProof(tiled, index, size), treeRoot(whole, size))).toBe(true);
      batch = (batch * 3 + 1) % 5000;
    }
    expect(store.tiles.get('2/0')?.length).toBe(Math.floor(count / 65536) * 32);
    const tiled = new TiledHashes(store, count);
    expect(verifyConsistency(1000, count, consistencyProof(tiled, 1000, count), treeRoot(whole, 1000), treeRoot(whole, count))).toBe(true);
  });

  it('agrees with Go’s golang.org/x/mod/sumdb/tlog (its StoredHashes, TreeHash, ProveRecord and ProveTree gave these for the leaves "entry 0".."entry 69999")', () => {
    const leaves = leavesOf(70_000);
    const store = new MemoryTileStore();
    for (let size = 0; size < leaves.length; size += 4096) store.write(tilesToAppend(store, size, leaves.slice(size, size + 4096)));
    const roots: [number, string][] = [
      [1, '773885a613489e24ce2cf76199d6a423f042e4bbf12d7eecee912ef276c65701'],
      [2, '5a47662fd8a317d96049a3f9f47c55dc67ca66051baa3683dbb19b2fe09a07b0'],
      [255, 'cf66793e6329dff242eb3cee0a6f36ad3e3a196dcc573a1ec775e102be863f1c'],
      [256, 'da6596d95369f5fef322ab8e4e0da3b0b50236aa9c8a3b1d246f7411c9e2e32e'],
      [257, '5c1fdfe835358022f2392de478dbe053fc130cfe1d3a082879a90cf6bf14bf7e'],
      [65536, '07b1a377960a4e12e3348d6e9329ae6316a95b02fb1c22e909231b3aa44861a7'],
      [65537, 'b99c570aaf13b96e026383e8e252e69c7142b3ad7e6e0264f3dc10dfd884d8c5'],
      [70000, 'a3920fba7f239a071a9bd10721f1341addefbaededb41c7e24437a9d16bdf00a'],
    ];
    for (const [size, root] of roots) expect(treeRoot(new TiledHashes(store, size), size).toString('hex'), `root at ${size}`).toBe(root);
    const digest = (hashes: Buffer[]) => createHash('sha256').update(Buffer.concat(hashes)).digest('hex');
    const tiled = new TiledHashes(store, 70_000);
    const proof = inclusionProof(tiled, 12_345, 70_000);
    expect([proof.length, digest(proof)]).toEqual([17, 'c2c267fa58479cfddaafb588b128dd83de6fe1b84c1979b8e5651fe0318cd8e6']);
    const consistency = consistencyProof(tiled, 1000, 70_000);
    expect([consistency.length, digest(consistency)]).toEqual([15, '0950bff0b4c6d244d010f7af0628cbcc94a5c7190f013765024265d151ce6c09']);
  });
});

describe('cosignatures, proofs and tiles fetched on demand', () => {
  it('cosign a checkpoint as C2SP cosignature/v1 (Ed25519, key type 0x04, timestamped), verifiable only with the right key and text', () => {
    const { signerKey, verifierKey } = generateCosignerKey('witness.example/w1');
    const cosigner = parseCosignerKey(signerKey);
    expect(cosigner.verifierKey).toBe(verifierKey);
    const text = 'example.com/log\n5\n' + Buffer.alloc(32, 1).toString('base64') + '\n';
    const line = cosigner.cosign(text, 1_700_000_000);
    const verifier = parseCosignatureVerifierKey(verifierKey);
    expect(verifier.verify(text, line)).toBe(1_700_000_000);
    expect(verifier.verify(text.replace('\n5\n', '\n6\n'), line)).toBeUndefined();
    expect(parseCosignatureVerifierKey(generateCosignerKey('witness.example/w1').verifierKey).verify(text, line)).toBeUndefined();
    // A signed-note (0x01) key is not a cosigner key.
    expect(() => parseCosignatureVerifierKey(generateNoteKey('witness.example/w1').verifierKey)).toThrow(/type 0x04/);
  });

  it('write and read c2sp.org/tlog-proof@v1 files, refusing malformed ones', () => {
    const proof = { extra: Buffer.from('entry'), index: 12, proof: [Buffer.alloc(32, 2), Buffer.alloc(32, 3)], checkpoint: 'example.com/log\n13\nAAAA\n\n— example.com/log AAAA\n' };
    const text = formatProof(proof);
    expect(text.split('\n').slice(0, 3)).toEqual(['c2sp.org/tlog-proof@v1', 'extra ZW50cnk=', 'index 12']);
    expect(parseProof(text)).toEqual(proof);
    expect(() => parseProof(text.replace('index 12', 'index 012'))).toThrow(/index/);
    expect(() => parseProof(text.replace('c2sp.org/tlog-proof@v1', 'tlog-proof'))).toThrow(/starts with/);
  });

  it('fetch exactly the tiles a computation asks for', async () => {
    const leaves = leavesOf(70_000);
    const store = new MemoryTileStore();
    store.write(tilesToAppend(store, 0, leaves));
    const asked: string[] = [];
    const { result, fetched } = await withTiles(
      async (level, index) => {
        asked.push(`${level}/${index}`);
        return store.readHashes(level, index);
      },
      (tiles) => inclusionProof(new TiledHashes(tiles, 70_000), 12_345, 70_000),
    );
    expect(result).toEqual(inclusionProof(new MemoryHashes(leaves), 12_345, 70_000));
    expect(fetched).toBe(asked.length);
    expect(new Set(asked).size).toBe(asked.length);
  });
});
