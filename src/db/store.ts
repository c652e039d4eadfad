import { type Kysely, type Transaction, sql } from 'kysely';
import { type DialectName, appliedMigrations, migrateToLatest, migrateUpTo } from './database';
import { AuditRepository } from './repositories/audit.repository';
import { BackupRepository } from './repositories/backup.repository';
import { CallsRepositories } from './repositories/calls/index';
import { EncryptedFieldRepository } from './repositories/encrypted-field.repository';
import { MetaRepository } from './repositories/meta.repository';
import { OperationsRepositories } from './repositories/operations/index';
import { RegistryRepositories } from './repositories/registry/index';
import { ReportsRepository } from './repositories/reports/index';
import { SessionRepository } from './repositories/session.repository';
import { TelephonyRepositories } from './repositories/telephony/index';
import { TransparencyRepository } from './repositories/transparency.repository';
import { UserRepository } from './repositories/user.repository';
import type { Database } from './schema';

/** A Kysely handle: the database itself or an open transaction. */
export type Executor = Kysely<Database> | Transaction<Database>;

/**
 * The domain's only door to the database: repositories bound to one executor, and transactions.
 * Domain code never sees Kysely; it calls `store.transaction(tx => ...)` and the repositories of `tx`.
 */
export class Store {
  private readonly commitCallbacks: (() => void)[] = [];

  constructor(
    readonly db: Executor,
    readonly dialect: DialectName,
    readonly inTransaction = false,
  ) {}

  /** Runs `work` in one transaction; nested calls join the outer one. */
  async transaction<T>(work: (tx: Store) => Promise<T>): Promise<T> {
    if (this.inTransaction) return work(this);
    const tx = await (this.db as Kysely<Database>).transaction().execute(async (trx) => {
      const inner = new Store(trx, this.dialect, true);
      return { inner, result: await work(inner) };
    });
    for (const callback of tx.inner.commitCallbacks) {
      try {
        callback();
      } catch {
        // A failing listener must not turn a committed write into an error for the caller.
      }
    }
    return tx.result;
  }

  /**
   * Runs `work` in one read-only transaction that sees the database as it was when it began, while
   * other writers go on (PostgreSQL REPEATABLE READ; SQLite's WAL keeps the reader's snapshot).
   */
  async readSnapshot<T>(work: (tx: Store) => Promise<T>): Promise<T> {
    if (this.inTransaction) return work(this);
    const begin = (this.db as Kysely<Database>).transaction();
    const transaction = this.dialect === 'postgres' ? begin.setIsolationLevel('repeatable read').setAccessMode('read only') : begin.setAccessMode('read only');
    return transaction.execute((trx) => work(new Store(trx, this.dialect, true)));
  }

  /**
   * Runs `callback` once the outermost transaction has committed (at once outside a transaction);
   * never when it rolls back. Live events (counters, the hub) are published this way.
   */
  onCommit(callback: () => void): void {
    if (this.inTransaction) this.commitCallbacks.push(callback);
    else callback();
  }

  /**
   * Serializes writers of one kind (the audit chain, counters) across processes. SQLite already
   * serializes writers; PostgreSQL takes a transaction-scoped advisory lock, several in the order
   * given with one query, and none again that this transaction holds. `shared` holders run
   * together and only exclude an exclusive holder (counter writers vs. a counter rebuild).
   */
  async lock(names: string | readonly string[], options: { shared?: boolean } = {}): Promise<void> {
    if (this.dialect !== 'postgres') return;
    const wanted = (typeof names === 'string' ? [names] : names).filter((name) => !this.heldLocks.has(name));
    if (wanted.length === 0) return;
    const take = options.shared ? sql`pg_advisory_xact_lock_shared` : sql`pg_advisory_xact_lock`;
    // A select list is evaluated left to right: the locks are taken in the order given.
    await sql`select ${sql.join(wanted.map((name) => sql`${take}(hashtext(${name}))`))}`.execute(this.db);
    // Only inside a transaction does a lock outlive its statement.
    if (this.inTransaction && !options.shared) for (const name of wanted) this.heldLocks.add(name);
  }

  /** The end (last index + 1) of the transparency log entries this transaction appended, if any. */
  private appendedLogEnd: number | undefined;

  /** Notes that this transaction appended log entries up to `end` (exclusive). */
  noteLogEnd(end: number): void {
    this.appendedLogEnd = Math.max(end, this.appendedLogEnd ?? 0);
  }

  /**
   * The end of the log entries this transaction appended: its counter changes are public once a
   * checkpoint holds that many entries (see `CounterCache`). Undefined when it appended none.
   */
  get logEnd(): number | undefined {
    return this.appendedLogEnd;
  }

  /** Exclusive advisory locks this transaction holds (they last until it ends). */
  private readonly heldLocks = new Set<string>();

  /**
   * Pushes overwritten pages out of places a copy of the database would still find them, after an
   * erasure: SQLite (which zeroes freed space, `secure_delete`) moves the WAL into the main file and
   * truncates it. PostgreSQL's dumps and replicas show only current rows; nothing to do there.
   */
  async flushErased(): Promise<void> {
    if (this.dialect === 'postgres' || this.inTransaction) return;
    await sql`pragma wal_checkpoint(TRUNCATE)`.execute(this.db);
  }

  /** Hotline's own settings. */
  get meta(): MetaRepository {
    return new MetaRepository(this.db);
  }

  /** Staff accounts, invitations and recovery codes. */
  get users(): UserRepository {
    return new UserRepository(this.db);
  }

  /** Login sessions. */
  get sessions(): SessionRepository {
    return new SessionRepository(this.db);
  }

  /** The audit chain. */
  get audit(): AuditRepository {
    return new AuditRepository(this.db);
  }

  /** Encrypted columns, for key rotation. */
  get encryptedFields(): EncryptedFieldRepository {
    return new EncryptedFieldRepository(this.db);
  }

  /** Statements, counters, receipts. */
  get registry(): RegistryRepositories {
    return new RegistryRepositories(this.db);
  }

  /** Calls, registrations in calls, follow-up contacts, scripts. */
  get calls(): CallsRepositories {
    return new CallsRepositories(this.db);
  }

  /** Call lists, campaigns, shifts, presence, callbacks. */
  get operations(): OperationsRepositories {
    return new OperationsRepositories(this.db);
  }

  /** Telephony providers' state. */
  get telephony(): TelephonyRepositories {
    return new TelephonyRepositories(this.db);
  }

  /** The transparency log: entries, tiles, head, witnesses. */
  get transparency(): TransparencyRepository {
    return new TransparencyRepository(this.db);
  }

  /** Stories, and the sums reports read from calls. */
  get reports(): ReportsRepository {
    return new ReportsRepository(this.db);
  }

  /** Names of the migrations applied to this database, in order. */
  appliedMigrations(): Promise<string[]> {
    return appliedMigrations(this.db);
  }

  /** Applies the migrations this database lacks, up to and including `name`. */
  migrateUpTo(name: string): Promise<void> {
    return migrateUpTo(this.db, name);
  }

  /** Applies every pending migration. */
  async migrateToLatest(): Promise<void> {
    await migrateToLatest(this.db);
  }

  /** Every table, page by page: backups and restores. */
  get backup(): BackupRepository {
    return new BackupRepository(this.db, this.dialect);
  }

  /** Raw Kysely for repositories added by later modules; domain code must not use it. */
  get kysely(): Executor {
    return this.db;
  }
}
