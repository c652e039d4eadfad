import type { Executor } from '../../store';

/** Repositories of the telephony area, bound to one executor (database or transaction). */
export class TelephonyRepositories {
  constructor(private readonly db: Executor) {}

  /** The executor, for repositories added to this area. */
  protected get executor(): Executor {
    return this.db;
  }
}
