import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { logExistingStatements } from '../../domain/transparency/backfill';
import { EntryAuditor, EntryProblem } from '../../domain/transparency/entry-audit';
import { logOrigin, logSigner } from '../../domain/transparency/log-key';
import { addWitness, listWitnesses, logIdentity, removeWitness, rotateLogKey } from '../../domain/transparency/manage-log';
import { LogSequencer } from '../../domain/transparency/sequencer';
import { AppError } from '../../shared/app-error';
import { LogDisagreement, type MonitorState, verifyLog } from '../../tlog/monitor';
import { verifyProofFile } from '../../tlog/proof';
import { Witness } from '../../tlog/witness';
import { progressBar } from '../progress';
import { reportFailure, withRuntime } from '../run-command';

const out = (line: string) => process.stdout.write(`${line}\n`);
const fmt = (v: { statements?: number; people: number; party: number; league: number; pioneers: number }) =>
  `${v.statements === undefined ? '' : `statements ${v.statements}, `}people ${v.people}, party ${v.party}, league ${v.league}, pioneers ${v.pioneers}`;

/** The state a monitor keeps: JSON (origin, size, root) and, beside it, every leaf hash when entries were checked. */
function readState(file: string): MonitorState | undefined {
  if (!existsSync(file)) return undefined;
  const data = JSON.parse(readFileSync(file, 'utf8')) as { origin: string; size: number; root: string };
  const leavesFile = `${file}.leaves`;
  return {
    origin: data.origin,
    size: data.size,
    root: Buffer.from(data.root, 'base64'),
    ...(existsSync(leavesFile) ? { leaves: readFileSync(leavesFile) } : {}),
  };
}

function writeState(file: string, state: { origin: string; size: number; root: Buffer; checkpoint: string }, leaves: Buffer | undefined): void {
  writeFileSync(file, `${JSON.stringify({ origin: state.origin, size: state.size, root: state.root.toString('base64'), checkpoint: state.checkpoint }, null, 2)}\n`, { mode: 0o600 });
  if (leaves) writeFileSync(`${file}.leaves`, leaves, { mode: 0o600 });
}

/** A GET below the log's URL prefix, gzip accepted; undefined for 404. */
function httpFetcher(prefix: string): (path: string) => Promise<Buffer | undefined> {
  const base = prefix.replace(/\/+$/, '');
  return async (path) => {
    const response = await fetch(`${base}/${path}`, { headers: { 'accept-encoding': 'gzip, identity' }, signal: AbortSignal.timeout(30_000) });
    if (response.status === 404) return undefined;
    if (!response.ok) throw new LogDisagreement(`${base}/${path} answered ${response.status}`, { tile: path });
    return Buffer.from(await response.arrayBuffer());
  };
}

/** Adds `hotline log ...` and `hotline witness ...`. */
export function registerLogCommands(program: Command): void {
  const log = program.command('log').description('the transparency log of published statements (docs/transparency-log.md)');

  log
    .command('key')
    .description("print the log's origin and verifier key (signed-note format), for monitors, witnesses and the public site")
    .option('--rotate', 'give the log a new signing key in the key file (then restart the servers and publish the new key)')
    .action((options: { rotate?: boolean }) =>
      withRuntime({ createKeysIfNew: false, migrate: false }, async (runtime) => {
        if (options.rotate) {
          const rotated = await rotateLogKey(runtime, runtime.config.publicUrl, null);
          out(`New log key for ${rotated.origin}:\n${rotated.verifierKey}\nThe previous key was ${rotated.previousKey}; checkpoints signed before now verify only with it.`);
          out('Restart the servers, then give the new key to every monitor and witness.');
          return;
        }
        const { origin, verifierKey } = logIdentity(runtime, runtime.config.publicUrl);
        out(`origin: ${origin}`);
        out(verifierKey);
      }),
    );

  log
    .command('build')
    .description('log the statements published before the log existed, then sequence and sign everything waiting (servers do this on their own)')
    .action(() =>
      withRuntime({ createKeysIfNew: false, migrate: true }, async (runtime) => {
        const bar = progressBar('Logging existing statements');
        const appended = await logExistingStatements(runtime, (done, total) => {
          bar.progress(done, total);
        });
        bar.stop();
        const origin = logOrigin(runtime.config.publicUrl);
        const sequencer = new LogSequencer(runtime, { origin, signer: logSigner(runtime.keyring, origin).signer });
        const sequenced = await sequencer.catchUp();
        const head = await runtime.store.transparency.head();
        out(`Appended ${appended} existing statement(s); sequenced ${sequenced} entr${sequenced === 1 ? 'y' : 'ies'}; the signed checkpoint holds ${head?.size ?? 0}.`);
      }),
    );

  log
    .command('verify')
    .description(
      "check a log over HTTP as any outsider can: the checkpoint's signature, the root recomputed from the tiles, consistency with the state kept from the last run; " +
        'with --entries every entry against the tiles and the state, and the totals. Exits 1 naming the first index or size that disagrees',
    )
    .requiredOption('--url <url>', "the log's URL prefix, such as https://hotline.example.org/log")
    .requiredOption('--key <vkey>', "the log's verifier key (hotline log key)")
    .option('--state <file>', 'where to keep what was verified, to check the next run against it')
    .option('--entries', 'fetch and check every entry, recompute every tile and the totals')
    .option('--witness <vkey...>', 'require a valid cosignature from each of these witnesses')
    .action(async (options: { url: string; key: string; state?: string; entries?: boolean; witness?: string[] }) => {
      try {
        const state = options.state ? readState(options.state) : undefined;
        const auditor = new EntryAuditor();
        const bar = progressBar('Checking entries');
        const verified = await verifyLog({
          fetch: httpFetcher(options.url),
          verifierKey: options.key,
          ...(options.witness ? { witnessKeys: options.witness } : {}),
          ...(state ? { state } : {}),
          ...(options.entries ? { onEntry: (index: number, entry: Buffer) => { auditor.add(index, entry); }, onProgress: (done: number, total: number) => { bar.progress(done, total); } } : {}),
        });
        bar.stop();
        const { checkpoint } = verified;
        out(`checkpoint: ${checkpoint.origin}, ${checkpoint.size} entries, root ${checkpoint.root.toString('base64')}; signature verified`);
        if (verified.witnesses.length > 0) out(`cosigned by: ${verified.witnesses.join(', ')}`);
        out(`root recomputed from the tiles (${verified.tilesFetched} tile(s) read)`);
        if (state) out(state.size === checkpoint.size ? `same tree as at the last run (${state.size} entries)` : `consistent with the ${state.size} entries seen at the last run`);
        if (options.entries) {
          out(`entries: ${checkpoint.size} hashed and checked against the tiles${state?.leaves ? ' and the last run' : ''}; every tile recomputed`);
          out(`totals: ${fmt(auditor.totals)}`);
        }
        if (options.state) writeState(options.state, { origin: checkpoint.origin, size: checkpoint.size, root: checkpoint.root, checkpoint: verified.note }, verified.leaves);
      } catch (error) {
        if (error instanceof LogDisagreement || error instanceof EntryProblem) {
          process.stderr.write(`hotline: the log does not verify: ${error.message}\n`);
          process.exitCode = 1;
          return;
        }
        reportFailure(error);
      }
    });

  log
    .command('check-proof <file>')
    .description('check a receipt\'s .tlog-proof file offline against the log key (and witnesses\' keys), and print the entry it proves')
    .requiredOption('--key <vkey>', "the log's verifier key")
    .option('--witness <vkey...>', 'require a valid cosignature from each of these witnesses')
    .action((file: string, options: { key: string; witness?: string[] }) => {
      try {
        const checked = verifyProofFile(readFileSync(file, 'utf8'), options.key, options.witness ? { witnessKeys: options.witness } : {});
        out(`verified: entry ${checked.index} is in ${checked.checkpoint.origin} at its checkpoint of ${checked.checkpoint.size} entries${checked.witnesses.length > 0 ? `, cosigned by ${checked.witnesses.join(', ')}` : ''}`);
        process.stdout.write(checked.entry);
      } catch (error) {
        process.stderr.write(`hotline: the proof does not verify: ${(error as Error).message}\n`);
        process.exitCode = 1;
      }
    });

  const witness = log.command('witness').description('the witnesses asked to cosign each checkpoint (C2SP tlog-witness)');
  witness
    .command('add <url> <vkey>')
    .description("ask the witness at URL (its submission prefix) to cosign every checkpoint; VKEY is the witness's key")
    .action((url: string, vkey: string) =>
      withRuntime({ createKeysIfNew: false, migrate: true }, async (runtime) => {
        const { name } = await addWitness(runtime, url, vkey, null);
        out(`Witness ${name} at ${url} added; running servers ask it from the next checkpoint on.`);
      }),
    );
  witness
    .command('list')
    .description('the witnesses and what they last cosigned')
    .action(() =>
      withRuntime({ createKeysIfNew: false, migrate: true }, async (runtime) => {
        const witnesses = await listWitnesses(runtime);
        if (witnesses.length === 0) out('No witness is configured (hotline log witness add URL KEY).');
        for (const w of witnesses) out(`${w.url}  ${w.verifierKey}  cosigned ${w.cosignedSize ?? 'nothing yet'}${w.lastError ? `  last error: ${w.lastError}` : ''}`);
      }),
    );
  witness
    .command('remove <url>')
    .description('stop asking this witness')
    .action((url: string) =>
      withRuntime({ createKeysIfNew: false, migrate: true }, async (runtime) => {
        await removeWitness(runtime, url, null);
        out(`Witness at ${url} removed.`);
      }),
    );

  const witnessServer = program.command('witness').description('run a witness for a Hotline log (or any C2SP log), as an outside organization');
  witnessServer
    .command('serve')
    .description('cosign checkpoints of the logs given, refusing any that is not consistent with one it cosigned (C2SP tlog-witness)')
    .requiredOption('--name <name>', 'the witness name, a schema-less URL such as witness.example.org/hotline')
    .requiredOption('--dir <dir>', 'where its key (made on first start) and its state are kept')
    .requiredOption('--log <vkey...>', 'verifier key of each log it follows (hotline log key prints it)')
    .option('--port <port>', 'port to listen on', '7380')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .action(async (options: { name: string; dir: string; log: string[]; port: string; host: string }) => {
      try {
        const port = Number(options.port);
        if (!Number.isInteger(port) || port < 0 || port > 65535) throw new AppError('VALIDATION_FAILED', `--port: not a port number: ${options.port}`);
        const server = new Witness(options.dir, options.name, options.log);
        const listening = await server.listen(port, options.host);
        const address = listening.address();
        const actualPort = typeof address === 'object' && address !== null ? address.port : port;
        out(`Witness ${options.name} listening on http://${options.host}:${actualPort}`);
        out(`its key: ${server.verifierKey}`);
        const stop = () => listening.close(() => process.exit(0));
        process.once('SIGTERM', stop);
        process.once('SIGINT', stop);
      } catch (error) {
        reportFailure(error);
      }
    });
}
