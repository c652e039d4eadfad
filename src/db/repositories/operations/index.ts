import type { Executor } from '../../store';
import { CallListsRepository } from './call-lists.repository';
import { CampaignsRepository } from './campaigns.repository';
import { ShiftsRepository } from './shifts.repository';

/** Repositories of the operations area, bound to one executor (database or transaction). */
export class OperationsRepositories {
  constructor(private readonly db: Executor) {}

  /** Call lists, staged imports, do-not-call. */
  get callLists(): CallListsRepository {
    return new CallListsRepository(this.db);
  }

  /** Campaigns, call tasks, claims, attempts. */
  get campaigns(): CampaignsRepository {
    return new CampaignsRepository(this.db);
  }

  /** Shift slots, minimums, presence. */
  get shifts(): ShiftsRepository {
    return new ShiftsRepository(this.db);
  }

  /** The executor, for repositories added to this area. */
  protected get executor(): Executor {
    return this.db;
  }
}
