import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config';
import { registerStatement } from '../../src/domain/statements/register-statement';
import { createLogger } from '../../src/logging';
import { type RunningServer, startServer } from '../../src/server';
import { freePort } from '../support/free-port';
import { freshInstallEnv } from '../support/test-runtime';

/** Every file and folder under `folder` with its permission bits. */
function modes(folder: string): [string, string][] {
  const found: [string, string][] = [[folder, (lstatSync(folder).mode & 0o777).toString(8)]];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const file = path.join(folder, entry.name);
    if (entry.isDirectory()) found.push(...modes(file));
    else found.push([file, (lstatSync(file).mode & 0o777).toString(8)]);
  }
  return found;
}

describe('the files Hotline writes are its user’s alone', () => {
  let dir: string;
  let server: RunningServer;
  let drop: (() => Promise<void>) | undefined;
  const log: string[] = [];
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'hotline-modes-'));
    const { env, pg } = await freshInstallEnv(dir);
    drop = pg ? () => pg.drop() : undefined;
    // A data folder left open by hand, with a file in it readable by everyone.
    const dataDir = env.HOTLINE_DATA_DIR ?? '';
    mkdirSync(path.join(dataDir, 'exports'), { recursive: true });
    writeFileSync(path.join(dataDir, 'exports', 'old-export.csv'), 'sequence\n');
    chmodSync(path.join(dataDir, 'exports', 'old-export.csv'), 0o644);
    chmodSync(path.join(dataDir, 'exports'), 0o755);
    chmodSync(dataDir, 0o755);
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        log.push(chunk.toString());
        done();
      },
    });
    process.umask(0o022);
    server = await startServer(loadConfig({ ...env, HOTLINE_HOST: '127.0.0.1', PORT: String(await freePort()) }, dir), {
      print: () => {},
      logger: createLogger('info', { destination }),
    });
    // A statement, so that SQLite has written its WAL too.
    await registerStatement(server.runtime, {
      actor: null,
      input: { nameKind: 'real', name: '王建国', cohorts: [{ count: 1, organizations: ['party'] }], region: '110000', channel: 'outbound', text: '', provenance: { kind: 'volunteer', consent: 'personal' } },
    });
  });
  afterAll(async () => {
    await server.close();
    await drop?.();
    rmSync(dir, { recursive: true, force: true });
  });

  it('leaves every file under the data and key folders 0600 and every folder 0700, fixing looser ones with a line in the log', () => {
    const config = server.runtime.config;
    const all = [...modes(config.dataDir), ...modes(path.dirname(config.keyFile))];
    expect(all.length).toBeGreaterThan(5);
    const files = all.filter(([file]) => !lstatSync(file).isDirectory());
    if (config.database.kind === 'sqlite') expect(files.map(([file]) => path.basename(file))).toEqual(expect.arrayContaining(['hotline.db', 'hotline.db-wal', 'hotline.keys']));
    const loose = all.filter(([file, mode]) => mode !== (lstatSync(file).isDirectory() ? '700' : '600'));
    expect(loose).toEqual([]);
    const warning = log.map((line) => JSON.parse(line) as { msg: string; files?: string[] }).find((line) => line.msg.includes('readable by Hotline'));
    expect(warning?.files).toEqual(expect.arrayContaining([config.dataDir, path.join(config.dataDir, 'exports', 'old-export.csv')]));
  });
});
