import type { Executor } from '../../store';

/** Repositories of the calls area, bound to one executor (database or transaction). */
export class CallsRepositories {
  constructor(private readonly db: Executor) {}

  /** The executor, for repositories added to this area. */
  protected get executor(): Executor {
    return this.db;
  }
}
