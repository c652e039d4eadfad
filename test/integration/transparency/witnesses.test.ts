import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatCheckpoint, parseCheckpoint } from '../../../src/tlog/checkpoint';
import { parseCosignatureVerifierKey } from '../../../src/tlog/cosignature';
import { generateNoteKey, parseNote, parseSignerKey, signNote } from '../../../src/tlog/note';
import { verifyLog } from '../../../src/tlog/monitor';
import { runCli } from '../../support/cli';
import { type StaffSession, signUpStaff } from '../../support/staff';
import { type TestHotline, startTestHotline } from '../../support/test-runtime';
import { registryTestEnv } from '../registry/helpers';

const BIN = path.resolve(import.meta.dirname, '../../../bin/hotline.js');

/** A `hotline witness serve` process: its URL and key once it listens. */
interface RunningWitness {
  url: string;
  key: string;
  child: ChildProcess;
}

function startWitness(name: string, dir: string, logKey: string): Promise<RunningWitness> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'witness', 'serve', '--name', name, '--dir', dir, '--log', logKey, '--port', '0'], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const listening = /listening on (http:\/\/\S+)\n/.exec(output);
      const key = /its key: (\S+)\n/.exec(output);
      if (listening && key) resolve({ url: listening[1] as string, key: key[1] as string, child });
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => reject(new Error(`witness exited ${code}: ${output}`)));
  });
}

const statement = (clientId: string, name: string) => ({
  clientId,
  nameKind: 'pseudonym',
  name,
  cohorts: [{ count: 2, organizations: ['league'] }],
  region: '430000',
  channel: 'outbound',
  text: '',
  provenance: { kind: 'volunteer', callId: 'call-witness', consent: 'personal' },
});

describe('witnesses', () => {
  let t: TestHotline;
  let volunteer: StaffSession;
  let logKey: string;
  const witnesses: RunningWitness[] = [];
  const dir = mkdtempSync(path.join(tmpdir(), 'hotline-witnesses-'));

  beforeAll(async () => {
    t = await startTestHotline({ env: registryTestEnv });
    volunteer = await signUpStaff(t, 'volunteer');
    logKey = (await t.app.inject({ method: 'GET', url: '/log/key' })).body.trim();
    for (const name of ['w1.example.org/hotline', 'w2.example.net/witness']) witnesses.push(await startWitness(name, path.join(dir, name.split('/')[0] as string), logKey));
  });
  afterAll(async () => {
    for (const witness of witnesses) witness.child.kill('SIGTERM');
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const fetchLog = async (logPath: string) => {
    const response = await t.app.inject({ method: 'GET', url: `/log/${logPath}` });
    return response.statusCode === 200 ? response.rawPayload : undefined;
  };
  const register = async (clientId: string, name: string) => {
    const response = await volunteer.request('POST', '/api/statements', { statements: [statement(clientId, name)] });
    expect(response.statusCode).toBe(201);
    await t.app.services.log.sequenceNow();
    await t.app.services.log.witnessed();
  };

  it('two witness processes, added with `hotline log witness add`, cosign every checkpoint: the checkpoint served carries both', async () => {
    for (const witness of witnesses) {
      const added = await runCli(['log', 'witness', 'add', witness.url, witness.key], t.env);
      expect(added.code, added.stderr).toBe(0);
    }
    await register('witness-stmt-0001', '吉祥');
    await register('witness-stmt-0002', '如意');
    const note = (await fetchLog('checkpoint'))!.toString();
    const { text, signatures } = parseNote(note);
    for (const witness of witnesses) {
      const verifier = parseCosignatureVerifierKey(witness.key);
      expect(signatures.some((signature) => verifier.verify(text, signature.line) !== undefined), verifier.name).toBe(true);
    }
    const verified = await verifyLog({ fetch: fetchLog, verifierKey: logKey, witnessKeys: witnesses.map((witness) => witness.key) });
    expect(verified.witnesses).toEqual(['w1.example.org/hotline', 'w2.example.net/witness']);
    expect(verified.checkpoint.size).toBe(2);
    const listed = await runCli(['log', 'witness', 'list'], t.env);
    expect(listed.stdout).toContain(`${witnesses[0]!.url}  ${witnesses[0]!.key}  cosigned 2`);
  });

  it('a forked checkpoint (same size, another root), though signed by the log, is refused by both; an unknown log is 404, a bad signature 403, a stale old size 409', async () => {
    const note = (await fetchLog('checkpoint'))!.toString();
    const { text } = parseNote(note);
    const checkpoint = parseCheckpoint(text);
    const forkedRoot = Buffer.alloc(32, 7);
    const forked = signNote(formatCheckpoint({ ...checkpoint, root: forkedRoot }), [t.app.services.log.signer]);
    const post = (witness: RunningWitness, body: string) => fetch(`${witness.url}/add-checkpoint`, { method: 'POST', body });
    for (const witness of witnesses) {
      const refused = await post(witness, `old ${checkpoint.size}\n\n${forked}`);
      expect(refused.status).toBe(422);
      expect(await refused.text()).toContain('forks the log');
      const stale = await post(witness, `old 0\n\n${note}`);
      expect(stale.status).toBe(409);
      expect(stale.headers.get('content-type')).toBe('text/x.tlog.size');
      expect(await stale.text()).toBe(`${checkpoint.size}\n`);
      const other = parseSignerKey(generateNoteKey('elsewhere.example/log').signerKey);
      const unknown = await post(witness, `old 0\n\n${signNote(formatCheckpoint({ ...checkpoint, origin: 'elsewhere.example/log' }), [other])}`);
      expect(unknown.status).toBe(404);
      const badSignature = note.replace(/— (\S+) (\S+)\n/, (_whole, name: string, signature: string) => `— ${name} ${Buffer.from(Buffer.from(signature, 'base64').map((byte, at) => (at === 10 ? byte ^ 1 : byte))).toString('base64')}\n`);
      expect((await post(witness, `old ${checkpoint.size}\n\n${badSignature}`)).status).toBe(403);
    }
    // The witnesses kept what they cosigned: the log goes on growing, consistently, and is cosigned again.
    await register('witness-stmt-0003', '平安');
    const verified = await verifyLog({ fetch: fetchLog, verifierKey: logKey, witnessKeys: witnesses.map((witness) => witness.key) });
    expect(verified.checkpoint.size).toBe(3);
  });
});
