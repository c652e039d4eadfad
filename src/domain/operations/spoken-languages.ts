import type { AgentRole } from '../routing/routing.types';
import { SpokenLanguagesInput } from '../../shared/schemas/operations';
import { type Actor, authorize } from '../auth/policy';
import type { Deps } from '../deps';
import type { InboundQueue } from './inbound-queue';

/** What a staff member who never chose is assumed to speak. */
export const DEFAULT_LANGUAGES: readonly string[] = ['zh'];

const roleOf = (actor: Actor): AgentRole => (actor.role === 'volunteer' ? 'volunteer' : 'coordinator');

/** The languages a staff member takes calls in: the ones they saved last, or DEFAULT_LANGUAGES. */
export async function spokenLanguagesOf(deps: Deps, options: { actor: Actor }): Promise<string[]> {
  authorize(options.actor, 'presence.set-own', undefined, deps.clock());
  const row = await deps.store.operations.shifts.findPresence(options.actor.id);
  const saved = row ? SpokenLanguagesInput.shape.languages.safeParse(JSON.parse(row.languages)) : undefined;
  return saved?.success ? saved.data : [...DEFAULT_LANGUAGES];
}

/**
 * Sets the languages a staff member takes calls in: stored for the next time they go on duty, and
 * applied at once by the inbound queue when they are on duty (the routing core matches them with
 * the caller's language). Returns the languages kept.
 */
export async function setSpokenLanguages(deps: Deps, options: { actor: Actor; languages: string[]; queue: InboundQueue }): Promise<string[]> {
  authorize(options.actor, 'presence.set-own', undefined, deps.clock());
  const { languages } = SpokenLanguagesInput.parse({ languages: options.languages });
  await options.queue.setLanguages(options.actor.id, roleOf(options.actor), languages);
  await options.queue.flush();
  return languages;
}

/** The routing role a staff member goes on duty with. */
export function agentRoleOf(actor: Actor): AgentRole {
  return roleOf(actor);
}
