import type { Lease } from '../../cluster/cluster';
import { parseCosignatureVerifierKey } from '../../tlog/cosignature';
import type { NoteSigner } from '../../tlog/note';
import type { Deps } from '../deps';
import { isBackfillPending, logExistingStatements } from './backfill';
import { type LogHead, LogSequencer, proveConsistency, readLogHead } from './sequencer';

/** How often the lease holder looks for new entries (a statement is in a signed checkpoint within about this long). */
export const SEQUENCE_INTERVAL_MS = 250;
/** How long a witness has to answer. */
const WITNESS_TIMEOUT_MS = 5_000;

/**
 * The running transparency log of one server: the sequencer on the instance holding the cluster
 * lease, sequencing at least every `SEQUENCE_INTERVAL_MS`, then asking each witness to cosign the new
 * checkpoint (C2SP tlog-witness add-checkpoint) and serving their cosignatures with it; and, on
 * every instance, the latest head for the `/log/` routes, re-read at most once a second.
 */
export class TransparencyLog {
  readonly sequencer: LogSequencer;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private witnessing: Promise<void> | undefined;
  private cachedHead: { at: number; head: LogHead | undefined } | undefined;
  /** The partial tiles of the latest head's tree, which every proof in it reads (see `proveInclusion`). */
  private edge: { size: number; tiles: Map<string, Buffer> } = { size: -1, tiles: new Map() };
  /** Whether statements published before the log existed may still wait to be logged. */
  private mayBackfill = true;

  constructor(
    private readonly deps: Deps,
    readonly origin: string,
    readonly signer: NoteSigner,
    readonly verifierKey: string,
    private readonly options: { onError?: (error: Error, what: string) => void } = {},
  ) {
    this.sequencer = new LogSequencer(deps, { origin, signer });
  }

  /** Starts sequencing while `lease` is held here. */
  start(lease: Lease): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (lease.isHeld()) void this.sequenceNow();
    }, SEQUENCE_INTERVAL_MS);
    this.timer.unref();
  }

  /** Stops the timer and waits for a step under way. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
    await this.witnessing;
  }

  /** Sequences what is waiting (one run at a time), then asks the witnesses; resolves when sequenced. */
  sequenceNow(): Promise<void> {
    this.running ??= (async () => {
      try {
        if (this.mayBackfill) {
          if (await isBackfillPending(this.deps)) await logExistingStatements(this.deps);
          this.mayBackfill = false;
        }
        const added = await this.sequencer.catchUp();
        if (added > 0) {
          this.cachedHead = undefined;
          this.witnessing ??= this.witnessUntilCurrent().finally(() => {
            this.witnessing = undefined;
          });
        }
      } catch (error) {
        this.options.onError?.(error as Error, 'sequencing the transparency log');
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  /** Waits for the witnesses' round under way, if any (tests, the CLI). */
  async witnessed(): Promise<void> {
    await this.witnessing;
  }

  /** The right-edge tiles of the tree of `size` entries, kept for its proofs until the head moves on. */
  edgeTiles(size: number): Map<string, Buffer> {
    if (this.edge.size !== size) this.edge = { size, tiles: new Map() };
    return this.edge.tiles;
  }

  /** The latest head (read from the database at most once a second). */
  async head(): Promise<LogHead | undefined> {
    const now = Date.now();
    if (this.cachedHead && now - this.cachedHead.at < 1_000) return this.cachedHead.head;
    const head = await readLogHead(this.deps);
    this.cachedHead = { at: now, head };
    return head;
  }

  /**
   * Sends the head to every witness with a consistency proof from the size each last cosigned, and
   * stores the cosignatures that verify against the witness's key. A witness that cosigned another
   * size (409) is asked again from the size it names; one that refuses or fails is recorded and
   * asked again with the next checkpoint.
   */
  /** Asks the witnesses until the checkpoint they cosigned is the latest (checkpoints signed meanwhile included). */
  private async witnessUntilCurrent(): Promise<void> {
    for (let round = 0; round < 10; round++) {
      const size = await this.askWitnesses();
      if (size === undefined || size === (await readLogHead(this.deps))?.size) return;
    }
  }

  /** Asks every witness to cosign the head; returns its size (undefined when there is nothing to ask). */
  async askWitnesses(): Promise<number | undefined> {
    const head = await readLogHead(this.deps);
    const witnesses = await this.deps.store.transparency.witnesses();
    if (!head || witnesses.length === 0) return undefined;
    const results = await Promise.all(witnesses.map((witness) => this.askWitness(witness.url, witness.verifier_key, witness.cosigned_size ?? 0, head)));
    const lines = results.filter((line): line is string => line !== undefined).join('');
    await this.deps.store.transparency.setCosignatures(head.size, head.signed, lines);
    this.cachedHead = undefined;
    return head.size;
  }

  private async askWitness(url: string, verifierKey: string, knownSize: number, head: LogHead): Promise<string | undefined> {
    const now = this.deps.clock();
    let oldSize = Math.min(knownSize, head.size);
    try {
      const verifier = parseCosignatureVerifierKey(verifierKey);
      for (let attempt = 0; attempt < 2; attempt++) {
        const proof = oldSize === 0 ? [] : await proveConsistency(this.deps, oldSize, head.size);
        const body = `old ${oldSize}\n${proof.map((hash) => `${hash.toString('base64')}\n`).join('')}\n${head.signed}`;
        const response = await fetch(`${url.replace(/\/+$/, '')}/add-checkpoint`, {
          method: 'POST',
          body,
          headers: { 'content-type': 'text/plain; charset=utf-8' },
          signal: AbortSignal.timeout(WITNESS_TIMEOUT_MS),
        });
        const text = await response.text();
        if (response.status === 409 && attempt === 0 && /^(0|[1-9][0-9]*)\n$/.test(text)) {
          oldSize = Number(text.trim());
          if (oldSize > head.size) throw new Error(`the witness has cosigned ${oldSize} entries, more than the log's ${head.size}`);
          continue;
        }
        if (response.status !== 200) throw new Error(`the witness answered ${response.status}: ${text.trim().slice(0, 200)}`);
        const lines = text.split('\n').filter((line) => line !== '');
        const valid = lines.filter((line) => verifier.verify(head.text, line) !== undefined);
        if (valid.length === 0) throw new Error('the witness sent no cosignature that verifies with its key');
        await this.deps.store.transparency.recordWitnessAttempt(url, { cosignedSize: head.size, error: null, at: now });
        return valid.map((line) => `${line}\n`).join('');
      }
      throw new Error('the witness kept naming another size');
    } catch (error) {
      const message = (error as Error).message;
      await this.deps.store.transparency.recordWitnessAttempt(url, { cosignedSize: knownSize === 0 ? null : knownSize, error: message, at: now });
      this.options.onError?.(error as Error, `asking the witness ${url}`);
      return undefined;
    }
  }
}
