import { createHash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import path from 'node:path';
import { parseCheckpoint } from './checkpoint';
import { type Cosigner, generateCosignerKey, parseCosignerKey } from './cosignature';
import { EMPTY_ROOT, HASH_SIZE, verifyConsistency } from './merkle';
import { type NoteVerifier, parseNote, parseVerifierKey } from './note';

/**
 * A witness (C2SP tlog-witness): keeps, for each log it follows, the latest checkpoint it cosigned,
 * and cosigns a new one only when a consistency proof shows it extends that one. Checking the old
 * size and storing the new checkpoint happen as one step (requests are handled one at a time, and
 * the state is flushed to disk before the answer), so no request can roll another back.
 */

/** What the witness remembers of one log. */
interface LogRecord {
  size: number;
  root: string;
  /** The checkpoint with the log's signature and this witness's cosignature (for monitors). */
  checkpoint: string;
}

/** The witness's answer to a request. */
interface Answer {
  status: number;
  body: string;
  type?: string;
}

const MAX_BODY = 64 * 1024;

export class Witness {
  private readonly logs = new Map<string, NoteVerifier[]>();
  private state: Record<string, LogRecord>;
  private queue: Promise<unknown> = Promise.resolve();

  /**
   * `directory` holds the witness's key (`witness.key`, made on first use under `name`) and its
   * state (`state.json`); `logs` are the verifier keys of the logs it follows (their names are the origins).
   */
  constructor(
    readonly directory: string,
    name: string,
    logKeys: readonly string[],
    private readonly clock: () => number = Date.now,
  ) {
    mkdirSync(directory, { recursive: true, mode: 0o700 });
    const keyFile = path.join(directory, 'witness.key');
    if (!existsSync(keyFile)) writeDurably(keyFile, `${generateCosignerKey(name).signerKey}\n`);
    this.cosigner = parseCosignerKey(readFileSync(keyFile, 'utf8').trim());
    if (this.cosigner.name !== name) throw new Error(`${keyFile} holds the key of ${this.cosigner.name}, not ${name}`);
    for (const text of logKeys) {
      const verifier = parseVerifierKey(text);
      this.logs.set(verifier.name, [...(this.logs.get(verifier.name) ?? []), verifier]);
    }
    const stateFile = path.join(directory, 'state.json');
    this.state = existsSync(stateFile) ? (JSON.parse(readFileSync(stateFile, 'utf8')) as Record<string, LogRecord>) : {};
  }

  readonly cosigner: Cosigner;

  /** The witness's verifier key (name+id+base64(0x04 || public key)). */
  get verifierKey(): string {
    return this.cosigner.verifierKey;
  }

  /** Handles an add-checkpoint request body, one at a time. */
  addCheckpoint(body: string): Promise<Answer> {
    const next = this.queue.then(() => this.add(body));
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** The latest cosigned checkpoint of the log whose origin hashes (SHA-256, hex) to `originHash`. */
  checkpointOf(originHash: string): string | undefined {
    for (const [origin, record] of Object.entries(this.state)) {
      if (createHash('sha256').update(origin).digest('hex') === originHash) return record.checkpoint;
    }
    return undefined;
  }

  private add(body: string): Answer {
    const split = body.indexOf('\n\n');
    if (split < 0) return { status: 400, body: 'the body is an old size line, proof lines, a blank line and a checkpoint\n' };
    const [oldLine = '', ...proofLines] = body.slice(0, split).split('\n');
    const oldMatch = /^old (0|[1-9][0-9]*)$/.exec(oldLine);
    if (!oldMatch) return { status: 400, body: 'the first line is "old <size>"\n' };
    if (proofLines.length > 63) return { status: 400, body: 'at most 63 proof lines\n' };
    const proof = proofLines.map((line) => Buffer.from(line, 'base64'));
    if (proof.some((hash, at) => hash.length !== HASH_SIZE || hash.toString('base64') !== proofLines[at])) return { status: 400, body: 'a proof line is not a base64 SHA-256 hash\n' };
    const note = body.slice(split + 2);
    let parsed;
    let checkpoint;
    try {
      parsed = parseNote(note);
      checkpoint = parseCheckpoint(parsed.text);
    } catch (error) {
      return { status: 400, body: `not a checkpoint: ${(error as Error).message}\n` };
    }
    const verifiers = this.logs.get(checkpoint.origin);
    if (!verifiers) return { status: 404, body: `this witness does not follow ${checkpoint.origin}\n` };
    let isSigned = false;
    for (const signature of parsed.signatures) {
      const verifier = verifiers.find((known) => known.name === signature.name && known.id.equals(signature.id));
      if (!verifier) continue;
      if (!verifier.verify(Buffer.from(parsed.text), signature.signature)) return { status: 403, body: 'a signature by the log key does not verify\n' };
      isSigned = true;
    }
    if (!isSigned) return { status: 403, body: 'the checkpoint is not signed by a key this witness trusts for its origin\n' };
    const oldSize = Number(oldMatch[1]);
    if (oldSize > checkpoint.size) return { status: 400, body: 'the old size is larger than the checkpoint size\n' };
    const known = this.state[checkpoint.origin];
    const knownSize = known?.size ?? 0;
    if (oldSize !== knownSize) return { status: 409, body: `${knownSize}\n`, type: 'text/x.tlog.size' };
    if (checkpoint.size === 0 && !checkpoint.root.equals(EMPTY_ROOT)) return { status: 422, body: 'a checkpoint of size 0 has the empty root\n' };
    if (oldSize === 0 && proof.length > 0) return { status: 422, body: 'no proof is sent from size 0\n' };
    if (known && oldSize === checkpoint.size && known.root !== checkpoint.root.toString('base64')) {
      return { status: 422, body: `another tree of size ${oldSize} was cosigned before: this checkpoint forks the log\n` };
    }
    if (known && oldSize > 0 && oldSize < checkpoint.size && !verifyConsistency(oldSize, checkpoint.size, proof, Buffer.from(known.root, 'base64'), checkpoint.root)) {
      return { status: 422, body: `the consistency proof from ${oldSize} to ${checkpoint.size} does not verify\n` };
    }
    const time = Math.floor(this.clock() / 1000);
    const line = this.cosigner.cosign(parsed.text, time);
    const logLines = parsed.signatures.filter((signature) => verifiers.some((known) => known.name === signature.name && known.id.equals(signature.id))).map((signature) => signature.line);
    this.state[checkpoint.origin] = { size: checkpoint.size, root: checkpoint.root.toString('base64'), checkpoint: `${parsed.text}\n${logLines.join('')}${line}` };
    writeDurably(path.join(this.directory, 'state.json'), `${JSON.stringify(this.state, null, 2)}\n`);
    return { status: 200, body: line };
  }

  /** Serves the witness over HTTP at `prefix` (submission and monitoring alike). */
  listen(port: number, host: string): Promise<Server> {
    const server = createServer((request, response) => void this.handle(request, response));
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => { resolve(server); });
    });
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const send = (answer: Answer) => {
      response.writeHead(answer.status, { 'content-type': answer.type ?? 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
      response.end(answer.body);
    };
    try {
      const url = new URL(request.url ?? '/', 'http://witness');
      if (request.method === 'POST' && url.pathname.endsWith('/add-checkpoint')) {
        const chunks: Buffer[] = [];
        let length = 0;
        for await (const chunk of request) {
          length += (chunk as Buffer).length;
          if (length > MAX_BODY) { send({ status: 413, body: 'the request is too large\n' }); return; }
          chunks.push(chunk as Buffer);
        }
        send(await this.addCheckpoint(Buffer.concat(chunks).toString('utf8'))); return;
      }
      const monitoring = /\/([0-9a-f]{64})\/checkpoint$/.exec(url.pathname);
      if (request.method === 'GET' && monitoring) {
        const checkpoint = this.checkpointOf(monitoring[1] as string);
        send(checkpoint ? { status: 200, body: checkpoint } : { status: 404, body: 'this witness has not cosigned that log\n' }); return;
      }
      send({ status: 404, body: 'POST /add-checkpoint, or GET /<origin hash>/checkpoint\n' }); return;
    } catch (error) {
      send({ status: 500, body: `${(error as Error).message}\n` }); return;
    }
  }
}

/** Writes a file so that a crash leaves the old content or the new, never part of it. */
function writeDurably(file: string, content: string): void {
  const temporary = `${file}.tmp-${process.pid}`;
  const fd = openSync(temporary, 'w', 0o600);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, file);
}
