import type { Deps } from './deps';

/** Throws unless the database answers (what a load balancer's health check asks). */
export async function checkDatabase(deps: Deps): Promise<void> {
  await deps.store.meta.get('keyring_id');
}
