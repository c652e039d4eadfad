import type { AgentId, AgentRole, CallId, ChosenPresence, OfferRefusal, RoutingSnapshot } from '../routing/routing.types';

/**
 * One event of the inbound queue as it travels through the queue log, stamped with the time it
 * happened (`at`, ms): every instance applies the same entries in the same order at those times,
 * and so reaches the same state. JSON only; a caller's number only sealed with the keyring.
 */
export type QueueCommand =
  | { kind: 'on-duty'; at: number; agentId: AgentId; role: AgentRole; languages: string[] }
  | { kind: 'languages'; at: number; agentId: AgentId; role: AgentRole; languages: string[] }
  | { kind: 'presence'; at: number; agentId: AgentId; presence: ChosenPresence }
  | { kind: 'arrived'; at: number; callId: CallId; language?: string; caller?: string }
  | { kind: 'accepted'; at: number; callId: CallId; agentId: AgentId }
  | { kind: 'declined'; at: number; callId: CallId; agentId: AgentId; reason: OfferRefusal }
  | { kind: 'answered'; at: number; callId: CallId; agentId?: AgentId }
  | { kind: 'ended'; at: number; callId: CallId }
  | { kind: 'own-started'; at: number; agentId: AgentId; callId: CallId }
  | { kind: 'own-ended'; at: number; agentId: AgentId; callId: CallId }
  | { kind: 'abandoned'; at: number; callId: CallId }
  | { kind: 'callback'; at: number; callId: CallId }
  /** Time passed: deadlines due by `at` fire (appended by the lease holder only). */
  | { kind: 'tick'; at: number };

/**
 * The entries that rebuild a queue with no call in it: everyone on duty, in the order they have
 * been idle (so the longest idle is still offered first), then on break or on a call of their own.
 * Queue metrics of the past are not carried over (the board's history starts again).
 */
export function compactedCommands(snapshot: RoutingSnapshot, known: ReadonlyMap<AgentId, { role: AgentRole; languages: readonly string[] }>, now: number): QueueCommand[] {
  const agents = [...snapshot.agents].sort((a, b) => a.idleSince - b.idleSince || (a.agentId < b.agentId ? -1 : 1));
  const commands: QueueCommand[] = [];
  for (const agent of agents) {
    const languages = [...(known.get(agent.agentId)?.languages ?? agent.languages)];
    commands.push({ kind: 'on-duty', at: Math.min(agent.idleSince, now), agentId: agent.agentId, role: agent.role, languages });
  }
  for (const agent of agents) {
    if (agent.presence === 'break') commands.push({ kind: 'presence', at: now, agentId: agent.agentId, presence: 'break' });
    if (agent.presence === 'on_call' && agent.activeCallId !== undefined) commands.push({ kind: 'own-started', at: now, agentId: agent.agentId, callId: agent.activeCallId });
  }
  return commands;
}
