import type { Keyring } from '../crypto/keyring';
import type { Store } from '../db/store';
import type { Hub } from '../realtime/hub';
import type { Clock } from '../shared/clock';
import type { AuditHeadStore } from './audit/audit-head';

/** What every use case takes: the store (or a transaction of it), the keys, the time and the live hub. */
export interface Deps {
  store: Store;
  keyring: Keyring;
  clock: Clock;
  /** Publish live events here only after the transaction that caused them committed. */
  hub: Hub;
  /** Where the newest audit head is kept outside the database (absent: only the copy in `meta`). */
  auditHead?: AuditHeadStore;
}

/** The same deps bound to a transaction. */
export function inTransaction(deps: Deps, tx: Store): Deps {
  return { ...deps, store: tx };
}
