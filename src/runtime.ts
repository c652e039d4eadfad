import { existsSync } from 'node:fs';
import type { Config } from './config/config';
import { Keyring, KeyringError, generateKeyringFile, writeKeyringFile } from './crypto/keyring';
import { type DatabaseConnection, isInitialized, migrateToLatest, openDatabase } from './db/database';
import { AuditHeadFile } from './db/audit-head-file';
import { Store } from './db/store';
import type { Deps } from './domain/deps';
import { type Hub, MemoryHub } from './realtime/hub';
import { type Clock, systemClock } from './shared/clock';

/** An open Hotline: configuration, database, keys and clock, shared by the server and the CLI. */
export interface Runtime extends Deps {
  config: Config;
  connection: DatabaseConnection;
  /** True when this start created the key file. */
  createdKeyFile: boolean;
  close(): Promise<void>;
}

/** How to open: whether a brand-new install may create its key file and whether to migrate. */
export interface OpenOptions {
  createKeysIfNew: boolean;
  migrate: boolean;
  clock?: Clock;
  poolSize?: number;
  /** Defaults to a single-process hub. */
  hub?: Hub;
  /** Told when the audit head file cannot be written (default: one warning on stderr). */
  onAuditHeadError?: (error: Error) => void;
}

/**
 * Opens the database and the keys in an order that never changes stored data by mistake: the
 * database is read first to learn which keyring it was set up with; a missing key file is only
 * created for a database that has never been initialized; only then are migrations run.
 */
export async function openRuntime(config: Config, options: OpenOptions): Promise<Runtime> {
  const connection = await openDatabase(config.database, options.poolSize === undefined ? {} : { poolSize: options.poolSize });
  try {
    const store = new Store(connection.db, connection.dialect);
    const initialized = await isInitialized(connection.db);
    const recordedId = initialized ? await store.meta.get('keyring_id') : undefined;
    const { keyring, created } = loadKeyring(config, recordedId, options.createKeysIfNew);
    if (recordedId !== undefined && recordedId !== keyring.id) {
      throw new KeyringError(
        `The key file ${keyring.file ?? '(HOTLINE_KEYRING)'} holds keyring ${keyring.id}, but this database was set up with keyring ${recordedId}. Point HOTLINE_KEY_FILE at the right key file.`,
      );
    }
    if (options.migrate) {
      await migrateToLatest(connection.db);
      if (recordedId === undefined) await store.meta.set('keyring_id', keyring.id);
    }
    const auditHead = new AuditHeadFile(config.auditHeadFile, keyring.id, options.onAuditHeadError ?? warnOnceOnStderr(config.auditHeadFile));
    return {
      config,
      connection,
      store,
      keyring,
      clock: options.clock ?? systemClock,
      hub: options.hub ?? new MemoryHub(),
      auditHead,
      createdKeyFile: created,
      close: async () => {
        auditHead.flush();
        await connection.close();
      },
    };
  } catch (error) {
    await connection.close().catch(() => undefined);
    throw error;
  }
}

function warnOnceOnStderr(file: string): (error: Error) => void {
  let hasWarned = false;
  return (error) => {
    if (hasWarned) return;
    hasWarned = true;
    process.stderr.write(`hotline: warning: cannot write the audit head file ${file} (${error.message}); set HOTLINE_AUDIT_HEAD_FILE to a writable place\n`);
  };
}

function loadKeyring(config: Config, recordedId: string | undefined, createIfNew: boolean): { keyring: Keyring; created: boolean } {
  if (config.HOTLINE_KEYRING) return { keyring: Keyring.fromEnvironment(config.HOTLINE_KEYRING), created: false };
  if (existsSync(config.keyFile)) return { keyring: Keyring.fromFile(config.keyFile), created: false };
  if (recordedId !== undefined) {
    throw new KeyringError(
      `Key file ${config.keyFile} not found. This database was set up with keyring ${recordedId}: restore that key file from your backup, or set HOTLINE_KEY_FILE to where it is. Hotline will not make a new key, because everything encrypted under the old one would become unreadable.`,
    );
  }
  if (!createIfNew) throw new KeyringError(`Key file ${config.keyFile} not found. Run "hotline serve" or "hotline migrate" once to create it.`);
  writeKeyringFile(config.keyFile, generateKeyringFile());
  return { keyring: Keyring.fromFile(config.keyFile), created: true };
}
