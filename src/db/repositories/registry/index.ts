import type { Executor } from '../../store';
import { CounterRepository } from './counter.repository';
import { ReceiptRepository } from './receipt.repository';
import { StatementRepository } from './statement.repository';

export type { StatementRow, PublicStatementRow } from './statement.repository';
export type { CounterEntry, CounterValues } from './counter.repository';

/** Repositories of the registry area, bound to one executor (database or transaction). */
export class RegistryRepositories {
  constructor(private readonly db: Executor) {}

  /** The executor, for repositories added to this area. */
  protected get executor(): Executor {
    return this.db;
  }

  /** Statements. */
  get statements(): StatementRepository {
    return new StatementRepository(this.db);
  }

  /** Counter rollups. */
  get counters(): CounterRepository {
    return new CounterRepository(this.db);
  }

  /** Receipt-code hashes. */
  get receipts(): ReceiptRepository {
    return new ReceiptRepository(this.db);
  }
}
