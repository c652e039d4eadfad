import type { Deps } from '../../domain/deps';
import { AppError } from '../../shared/app-error';
import type { PublicRegistry } from './registry-port';

/** The public pages' view of the statement registry (placeholder until the registry lands). */
export function createPublicRegistry(_deps: Deps): PublicRegistry {
  const zero = { people: 0, party: 0, league: 0, pioneers: 0 };
  return {
    counters: async () => ({ total: zero, today: zero, day: new Date().toISOString().slice(0, 10) }),
    daily: async () => [],
    latest: async () => [],
    issueFormToken: async () => '',
    submit: async () => {
      throw new AppError('INTERNAL', 'the registry is not wired yet');
    },
    lookup: async () => undefined,
  };
}
