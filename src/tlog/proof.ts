import { type Checkpoint, parseCheckpoint } from './checkpoint';
import { parseCosignatureVerifierKey } from './cosignature';
import { HASH_SIZE, type Hash, leafHash, verifyInclusion } from './merkle';
import { openNote, parseVerifierKey } from './note';

/**
 * C2SP tlog-proof (`c2sp.org/tlog-proof@v1`): an offline-checkable proof that an entry is in a
 * log: optional extra data, the entry's index, its inclusion proof (leaf's sibling first), a blank
 * line, and the checkpoint (signed note, cosignatures and all) the proof leads to.
 */

const HEADER = 'c2sp.org/tlog-proof@v1';

/** A proof's parts. */
export interface TlogProof {
  extra?: Buffer;
  index: number;
  proof: Hash[];
  /** The signed checkpoint, verbatim. */
  checkpoint: string;
}

/** The proof file's text. */
export function formatProof(proof: TlogProof): string {
  const lines = [HEADER];
  if (proof.extra !== undefined) lines.push(`extra ${proof.extra.toString('base64')}`);
  lines.push(`index ${proof.index}`);
  for (const hash of proof.proof) lines.push(hash.toString('base64'));
  return `${lines.join('\n')}\n\n${proof.checkpoint}`;
}

/** The parts of a proof file; throws, saying what is wrong, when it is malformed. */
export function parseProof(text: string): TlogProof {
  const split = text.indexOf('\n\n');
  if (split < 0) throw new Error('a tlog proof has a blank line before its checkpoint');
  const lines = text.slice(0, split).split('\n');
  if (lines.shift() !== HEADER) throw new Error(`a tlog proof starts with ${HEADER}`);
  let extra: Buffer | undefined;
  if (lines[0]?.startsWith('extra ')) {
    const encoded = (lines.shift() as string).slice('extra '.length);
    extra = Buffer.from(encoded, 'base64');
    if (extra.toString('base64') !== encoded) throw new Error('a tlog proof extra line is base64');
  }
  const indexLine = lines.shift() ?? '';
  const match = /^index (0|[1-9][0-9]*)$/.exec(indexLine);
  if (!match || !Number.isSafeInteger(Number(match[1]))) throw new Error('a tlog proof names its index (index N)');
  const proof = lines.map((line, at) => {
    const hash = Buffer.from(line, 'base64');
    if (hash.length !== HASH_SIZE || hash.toString('base64') !== line) throw new Error(`tlog proof line ${at + 1} of the inclusion proof is not a base64 SHA-256 hash`);
    return hash;
  });
  if (proof.length > 63) throw new Error('a tlog proof has at most 63 hashes');
  return { ...(extra === undefined ? {} : { extra }), index: Number(match[1]), proof, checkpoint: text.slice(split + 2) };
}

/**
 * Checks a proof file offline: the checkpoint is signed by the log (and cosigned by each witness
 * key given), and the inclusion proof leads from the entry (`extra`, or `entry` when given) to the
 * checkpoint's root. Returns the entry, its index and the checkpoint; throws saying what failed.
 */
export function verifyProofFile(
  text: string,
  verifierKey: string,
  options: { entry?: Buffer; witnessKeys?: readonly string[] } = {},
): { entry: Buffer; index: number; checkpoint: Checkpoint; witnesses: string[] } {
  const proof = parseProof(text);
  const verifier = parseVerifierKey(verifierKey);
  const opened = openNote(proof.checkpoint, verifier);
  const checkpoint = parseCheckpoint(opened.text);
  if (checkpoint.origin !== verifier.name) throw new Error(`the checkpoint is of ${checkpoint.origin}, not of ${verifier.name}`);
  const witnesses: string[] = [];
  for (const key of options.witnessKeys ?? []) {
    const witness = parseCosignatureVerifierKey(key);
    if (!opened.signatures.some((signature) => witness.verify(opened.text, signature.line) !== undefined)) throw new Error(`the checkpoint carries no valid cosignature of ${witness.name}`);
    witnesses.push(witness.name);
  }
  const entry = options.entry ?? proof.extra;
  if (entry === undefined) throw new Error('the proof carries no entry (extra line) and none was given');
  if (proof.index >= checkpoint.size) throw new Error(`index ${proof.index} is not in a checkpoint of ${checkpoint.size} entries`);
  if (!verifyInclusion(leafHash(entry), proof.index, checkpoint.size, proof.proof, checkpoint.root)) throw new Error(`the inclusion proof of entry ${proof.index} does not lead to the checkpoint's root`);
  return { entry, index: proof.index, checkpoint, witnesses };
}
