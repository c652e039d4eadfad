import type { Keyring } from '../crypto/keyring';
import type { Store } from '../db/store';
import type { Clock } from '../shared/clock';

/** What every use case takes: the store (or a transaction of it), the keys and the time. */
export interface Deps {
  store: Store;
  keyring: Keyring;
  clock: Clock;
}

/** The same deps bound to a transaction. */
export function inTransaction(deps: Deps, tx: Store): Deps {
  return { ...deps, store: tx };
}
