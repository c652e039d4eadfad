import { type Actor, authorize } from '../auth/policy';
import type { Deps } from '../deps';
import type { RoutingSnapshot } from '../routing/routing.types';
import type { ChosenPresence } from '../routing/routing.types';
import type { InboundQueue } from './inbound-queue';
import { agentRoleOf, setSpokenLanguages, spokenLanguagesOf } from './spoken-languages';

/**
 * A staff member chooses available, break or offline. Languages sent along are saved (and applied at
 * once when on duty); otherwise the saved ones are used. Choosing available or break while off duty
 * puts them on duty first. Resolves with where they stand now.
 */
export async function choosePresence(deps: Deps, queue: InboundQueue, options: { actor: Actor; presence: ChosenPresence; languages?: string[] }): Promise<string> {
  const { actor } = options;
  authorize(actor, 'presence.set-own', undefined, deps.clock());
  const languages = options.languages ? await setSpokenLanguages(deps, { actor, languages: options.languages, queue }) : await spokenLanguagesOf(deps, { actor });
  const current = presenceIn(queue, actor.id);
  if (options.presence !== 'offline' && current === 'offline') await queue.goOnDuty({ agentId: actor.id, role: agentRoleOf(actor), languages });
  await queue.setPresence(actor.id, options.presence);
  await queue.flush();
  return presenceIn(queue, actor.id);
}

/** Where an agent stands in the queue ('offline' when not on duty). */
export function presenceIn(queue: InboundQueue, agentId: string): string {
  return queue.snapshot().agents.find((agent) => agent.agentId === agentId)?.presence ?? 'offline';
}

/** The coordinators' live board: the queue's snapshot with each agent's display name. */
export async function liveBoard(deps: Deps, queue: InboundQueue): Promise<RoutingSnapshot & { agents: (RoutingSnapshot['agents'][number] & { displayName: string })[] }> {
  const names = new Map((await deps.store.operations.shifts.onDuty()).map((row) => [row.user_id, row.display_name]));
  const snapshot = queue.snapshot();
  return { ...snapshot, agents: snapshot.agents.map((agent) => ({ ...agent, displayName: names.get(agent.agentId) ?? agent.agentId })) };
}
