import { type Kysely, type Transaction, sql } from 'kysely';
import type { DialectName } from './database';
import { AuditRepository } from './repositories/audit.repository';
import { CallsRepositories } from './repositories/calls/index';
import { EncryptedFieldRepository } from './repositories/encrypted-field.repository';
import { MetaRepository } from './repositories/meta.repository';
import { OperationsRepositories } from './repositories/operations/index';
import { RegistryRepositories } from './repositories/registry/index';
import { SessionRepository } from './repositories/session.repository';
import { TelephonyRepositories } from './repositories/telephony/index';
import { UserRepository } from './repositories/user.repository';
import type { Database } from './schema';

/** A Kysely handle: the database itself or an open transaction. */
export type Executor = Kysely<Database> | Transaction<Database>;

/**
 * The domain's only door to the database: repositories bound to one executor, and transactions.
 * Domain code never sees Kysely; it calls `store.transaction(tx => ...)` and the repositories of `tx`.
 */
export class Store {
  constructor(
    readonly db: Executor,
    readonly dialect: DialectName,
    readonly inTransaction = false,
  ) {}

  /** Runs `work` in one transaction; nested calls join the outer one. */
  async transaction<T>(work: (tx: Store) => Promise<T>): Promise<T> {
    if (this.inTransaction) return work(this);
    return (this.db as Kysely<Database>).transaction().execute((trx) => work(new Store(trx, this.dialect, true)));
  }

  /**
   * Serializes writers of one kind (the audit chain, counters) across processes. SQLite already
   * serializes writers; PostgreSQL takes a transaction-scoped advisory lock.
   */
  async lock(name: string): Promise<void> {
    if (this.dialect === 'postgres') await sql`select pg_advisory_xact_lock(hashtext(${name}))`.execute(this.db);
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

  /** Raw Kysely for repositories added by later modules; domain code must not use it. */
  get kysely(): Executor {
    return this.db;
  }
}
