import { mkdirSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { CompiledQuery, Kysely, Migrator, PostgresDialect, SqliteDialect, type SqliteDatabase, type SqliteStatement, sql } from 'kysely';
import pg from 'pg';
import { describeDatabase, type Config } from '../config/config';
import { allowCopyIn } from './copy-in';
import { migrations } from './migrations/index';
import type { Database } from './schema';

// BIGINT columns hold millisecond timestamps and counters, all far below 2^53: read them as numbers.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

/** Which engine a connection talks to. */
export type DialectName = 'sqlite' | 'postgres';

/** An open database: the Kysely instance, which engine it is, and how to close it. */
export interface DatabaseConnection {
  db: Kysely<Database>;
  dialect: DialectName;
  /** Human description without secrets, for messages. */
  description: string;
  close(): Promise<void>;
}

/** The database could not be opened or reached; the message says which and why. */
export class DatabaseUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DatabaseUnavailableError';
  }
}

/**
 * Opens the configured database and checks that it answers. SQLite runs in WAL mode with
 * synchronous=FULL so an acknowledged write survives a crash or power loss. `readOnly` (for
 * `doctor`) creates nothing and refuses every write: SQLite opens an existing file read-only,
 * PostgreSQL sessions start read-only.
 */
export async function openDatabase(database: Config['database'], options: { poolSize?: number; readOnly?: boolean } = {}): Promise<DatabaseConnection> {
  const description = describeDatabase(database);
  if (database.kind === 'sqlite') {
    let handle: BetterSqlite3.Database;
    try {
      if (options.readOnly) {
        handle = new BetterSqlite3(database.file, { readonly: true, fileMustExist: true });
      } else {
        mkdirSync(path.dirname(database.file), { recursive: true, mode: 0o700 });
        handle = new BetterSqlite3(database.file);
        handle.pragma('journal_mode = WAL');
        handle.pragma('synchronous = FULL');
        handle.pragma('foreign_keys = ON');
        // Deleted and overwritten content is zeroed in the file, so an erased statement leaves no trace.
        handle.pragma('secure_delete = ON');
      }
      handle.pragma('busy_timeout = 10000');
    } catch (error) {
      throw new DatabaseUnavailableError(`Cannot open the ${description}: ${sqliteReason(error, database.file)}`, { cause: error });
    }
    const db = new Kysely<Database>({ dialect: immediateWrites(new SqliteDialect({ database: withStatementCache(handle) })) });
    return { db, dialect: 'sqlite', description, close: () => db.destroy() };
  }
  const pool = new pg.Pool({
    connectionString: database.url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: 5000,
    ...(options.readOnly ? { options: '-c default_transaction_read_only=on' } : {}),
  });
  // An idle client losing its connection must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  // Bulk imports send their rows with COPY through the same connections (src/db/copy-in.ts).
  pool.on('connect', (client) => {
    allowCopyIn(client);
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    await sql`select 1`.execute(db);
  } catch (error) {
    await db.destroy().catch(() => undefined);
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new DatabaseUnavailableError(`Cannot reach the ${description}: ${reason}. Check HOTLINE_DATABASE_URL and that PostgreSQL is running.`, {
      cause: error,
    });
  }
  return { db, dialect: 'postgres', description, close: () => db.destroy() };
}

/** Why a SQLite file could not be opened, in words that say what to fix. */
function sqliteReason(error: unknown, file: string): string {
  const code = (error as NodeJS.ErrnoException).code;
  const folder = path.dirname(file);
  if (code === 'EEXIST' || code === 'ENOTDIR') return `${folder} is not a folder. Check HOTLINE_DATA_DIR (or HOTLINE_DATABASE_URL).`;
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return `no permission to write in ${folder}. Check HOTLINE_DATA_DIR and the folder's owner.`;
  if (code === 'SQLITE_CANTOPEN') return `the file cannot be opened (missing, or its folder is not writable). Check HOTLINE_DATA_DIR (or HOTLINE_DATABASE_URL).`;
  if (code === 'SQLITE_NOTADB') return 'the file is not a SQLite database. Check HOTLINE_DATA_DIR (or HOTLINE_DATABASE_URL).';
  return (error as Error).message;
}

/**
 * SQLite transactions that may write begin IMMEDIATE: they take the write lock at once, waiting for
 * it (busy_timeout) while another process writes. A deferred one that read first and wrote later
 * could not wait: once another process (the server's sequencer, a CLI import) had written since it
 * began, its first write failed at once with SQLITE_BUSY. Read-only transactions (`readSnapshot`)
 * still begin deferred and never hold writers up.
 */
function immediateWrites(dialect: SqliteDialect): SqliteDialect {
  const createDriver = dialect.createDriver.bind(dialect);
  dialect.createDriver = () => {
    const driver = createDriver();
    driver.beginTransaction = async (connection, settings) => {
      await connection.executeQuery(CompiledQuery.raw(settings.accessMode === 'read only' ? 'begin' : 'begin immediate'));
    };
    return driver;
  };
  return dialect;
}

/** Prepared statements kept per connection: enough for every query shape the app runs. */
const STATEMENT_CACHE_SIZE = 500;

/** Marks a query that runs one SQLite statement once per row of parameters (see `eachRowQuery`). */
const EACH_ROW = '/* each row */ ';

/**
 * A query that runs `text` once for each row of `parameterRows`, in one call into SQLite, and
 * answers one `{ changes }` per row, in order. A bulk INSERT of single rows pays one Kysely round
 * trip (a promise, the connection mutex, result objects) per batch instead of per row. SQLite only;
 * inside a transaction, like every query of it.
 */
export function eachRowQuery(text: string, parameterRows: readonly (readonly unknown[])[]): CompiledQuery<{ changes: number }> {
  return CompiledQuery.raw(EACH_ROW + text, parameterRows as unknown[]);
}

/**
 * Kysely asks better-sqlite3 to prepare every query it runs, and preparing costs more than running
 * most of them (a bulk import's multi-row INSERT above all). This keeps the most recently used
 * statements by SQL text. A statement still being iterated (a streamed query) is never handed out
 * twice; a fresh one is prepared instead. It also runs the queries of `eachRowQuery`.
 */
function withStatementCache(handle: BetterSqlite3.Database): SqliteDatabase {
  const cache = new Map<string, BetterSqlite3.Statement>();
  const prepare = (text: string): BetterSqlite3.Statement => {
    const cached = cache.get(text);
    if (cached && !cached.busy) {
      // Move to the back: the Map's order is the eviction order.
      cache.delete(text);
      cache.set(text, cached);
      return cached;
    }
    const statement = handle.prepare(text);
    if (!cached) {
      cache.set(text, statement);
      if (cache.size > STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    }
    return statement;
  };
  return {
    close: () => handle.close(),
    prepare: (text: string): SqliteStatement => (text.startsWith(EACH_ROW) ? eachRowStatement(prepare(text.slice(EACH_ROW.length))) : prepare(text)),
  };
}

/** The statement Kysely sees for an `eachRowQuery`: a reader whose rows say what each run changed. */
function eachRowStatement(statement: BetterSqlite3.Statement): SqliteStatement {
  const refuse = (): never => {
    throw new Error('an each-row query only runs through executeQuery');
  };
  return {
    reader: true,
    all: (parameterRows) => (parameterRows as readonly unknown[][]).map((values) => ({ changes: statement.run(values).changes })),
    run: refuse,
    iterate: refuse,
  };
}

/** Runs every pending migration; throws with the failing migration's name. */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: () => Promise.resolve(migrations) } });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((result) => result.status === 'Error');
  if (error) {
    throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${(error as Error).message}`, { cause: error });
  }
  return (results ?? []).filter((result) => result.status === 'Success').map((result) => result.migrationName);
}

/** Names of migrations not yet applied (for `doctor`). */
export async function pendingMigrations(db: Kysely<Database>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: () => Promise.resolve(migrations) } });
  const list = await migrator.getMigrations();
  return list.filter((migration) => migration.executedAt === undefined).map((migration) => migration.name);
}

/** Whether Hotline's tables exist yet (a fresh database has none). Reads only. */
export async function isInitialized(db: Kysely<Database>): Promise<boolean> {
  const tables = await db.introspection.getTables();
  return tables.some((table) => table.name === 'meta');
}

/** Names of the migrations applied to this database, in order. */
export async function appliedMigrations(db: Kysely<Database>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: () => Promise.resolve(migrations) } });
  return (await migrator.getMigrations()).filter((migration) => migration.executedAt !== undefined).map((migration) => migration.name);
}

/** Names of every migration this version of Hotline knows, in order. */
export function knownMigrations(): string[] {
  return Object.keys(migrations).sort();
}

/** Runs the pending migrations up to and including `name` (a restore rebuilds a backup's schema first). */
export async function migrateUpTo(db: Kysely<Database>, name: string): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: () => Promise.resolve(migrations) } });
  const { error, results } = await migrator.migrateTo(name);
  if (error) {
    const failed = results?.find((result) => result.status === 'Error');
    throw new Error(`Migration ${failed?.migrationName ?? name} failed: ${(error as Error).message}`, { cause: error });
  }
}
