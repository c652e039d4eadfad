import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { describeDatabase, loadConfig, type Config } from '../config/config';
import { Keyring } from '../crypto/keyring';
import { isInitialized, openDatabase, pendingMigrations } from '../db/database';
import { Store } from '../db/store';
import { keyUsage } from '../domain/keys/rotate-keys';
import { MemoryHub } from '../realtime/hub';
import { systemClock } from '../shared/clock';

/**
 * `hotline doctor`: checks configuration, database and keys without changing anything, printing one
 * line per check. Returns whether everything is fine.
 */
export async function runDoctor(print: (line: string) => void): Promise<boolean> {
  let ok = true;
  const good = (line: string) => { print(`ok    ${line}`); };
  const bad = (line: string) => {
    ok = false;
    print(`FAIL  ${line}`);
  };
  const warn = (line: string) => { print(`warn  ${line}`); };

  let config: Config;
  try {
    config = loadConfig();
    good(`configuration is valid (port ${config.PORT}, data folder ${config.dataDir})`);
  } catch (error) {
    bad((error as Error).message);
    return false;
  }

  let keyring: Keyring | undefined;
  const hasKeyFile = existsSync(config.keyFile);
  const isMissingSqliteFile = config.database.kind === 'sqlite' && !existsSync(config.database.file);
  if (config.HOTLINE_KEYRING) {
    try {
      keyring = Keyring.fromEnvironment(config.HOTLINE_KEYRING);
      good(`keys come from HOTLINE_KEYRING (${keyring.dataKeyIds.length} data key(s), active ${keyring.activeKeyId})`);
    } catch (error) {
      bad((error as Error).message);
    }
  } else if (hasKeyFile) {
    try {
      keyring = Keyring.fromFile(config.keyFile);
      const mode = statSync(config.keyFile).mode & 0o777;
      good(`key file ${config.keyFile} (mode ${mode.toString(8)}, ${keyring.dataKeyIds.length} data key(s), active ${keyring.activeKeyId})`);
      if (mode !== 0o600) warn(`the key file's mode is ${mode.toString(8)}, not 600 (owner read and write only); run chmod 600 ${config.keyFile}`);
      if (config.keyFile.startsWith(config.dataDir + path.sep)) warn('the key file is inside the data folder; a copy of the data would carry its key. Move it (HOTLINE_KEY_FILE).');
    } catch (error) {
      bad((error as Error).message);
    }
  }

  // A missing key file is fine only for a database that was never set up; that is known further down.
  const isMissingKeyFile = !config.HOTLINE_KEYRING && !hasKeyFile;
  const reportMissingKeyFile = (isFreshInstall: boolean) => {
    if (!isMissingKeyFile) return;
    if (isFreshInstall) warn(`key file ${config.keyFile} not found; the first "hotline serve" or "hotline migrate" creates it`);
    else bad(`key file ${config.keyFile} not found`);
  };

  // Nothing is created: a missing SQLite file is reported, not made, and the database is opened read-only.
  if (isMissingSqliteFile) {
    reportMissingKeyFile(true);
    if (!isMissingKeyFile) {
      bad(`${describeDatabase(config.database)} not found, but keys exist, so this install was set up: check HOTLINE_DATA_DIR (${config.dataDir}) or HOTLINE_DATABASE_URL`);
    } else {
      warn(`${describeDatabase(config.database)} does not exist yet; "hotline serve" or "hotline migrate" will create it`);
    }
    return ok;
  }
  let connection;
  try {
    connection = await openDatabase(config.database, { poolSize: 2, readOnly: true });
    good(`database reachable: ${connection.description}`);
  } catch (error) {
    reportMissingKeyFile(false);
    bad((error as Error).message);
    return false;
  }
  try {
    const store = new Store(connection.db, connection.dialect);
    const isFresh = !(await isInitialized(connection.db));
    reportMissingKeyFile(isFresh);
    if (isFresh) {
      warn('the database is empty; "hotline serve" or "hotline migrate" will set it up');
      return ok;
    }
    const pending = await pendingMigrations(connection.db);
    if (pending.length > 0) warn(`${pending.length} migration(s) pending: ${pending.join(', ')}`);
    else good('database schema is up to date');
    const recorded = await store.meta.get('keyring_id');
    if (keyring && recorded && recorded !== keyring.id) bad(`the key file holds keyring ${keyring.id} but the database was set up with ${recorded}`);
    else if (keyring && recorded) good(`key file matches the database (keyring ${recorded})`);
    if (keyring && (!recorded || recorded === keyring.id)) {
      const usage = await keyUsage({ store, keyring, clock: systemClock, hub: new MemoryHub() });
      const missing = [...usage.entries()].filter(([id, count]) => count > 0 && !keyring.dataKeyIds.includes(id));
      if (missing.length > 0) bad(`stored values use key(s) missing from the key file: ${missing.map(([id, n]) => `${id} (${n})`).join(', ')}`);
      else good(`every stored encrypted value has its key (${[...usage.values()].reduce((a, b) => a + b, 0)} values)`);
    }
  } catch (error) {
    bad(`database check failed: ${(error as Error).message}`);
  } finally {
    await connection.close();
  }
  return ok;
}
