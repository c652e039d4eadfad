import type { Executor } from '../../store';
import { CallEventRepository } from './call-event.repository';

export type { CallEventRow, NewCallEvent } from './call-event.repository';

/** Repositories of the telephony area, bound to one executor (database or transaction). */
export class TelephonyRepositories {
  constructor(private readonly db: Executor) {}

  /** What providers reported about calls (ring, answer, end, failures, IVR choices). */
  get callEvents(): CallEventRepository {
    return new CallEventRepository(this.db);
  }
}
