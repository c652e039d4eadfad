import type { AgentState } from './agent-pool';
import type { QueuedCall } from './call-queue';
import type { AgentView, CallView, RoutingSnapshot } from './routing.types';

/** A copy of an agent's state for the live view, so the view cannot change the core. */
export function presentAgent(agent: AgentState): AgentView {
  const view: AgentView = {
    agentId: agent.agentId,
    role: agent.role,
    languages: [...agent.languages],
    presence: agent.presence,
    presenceSince: agent.presenceSince,
    idleSince: agent.idleSince,
    consecutiveMisses: agent.consecutiveMisses,
  };
  if (agent.offeredCallId !== undefined) view.offeredCallId = agent.offeredCallId;
  if (agent.activeCallId !== undefined) view.activeCallId = agent.activeCallId;
  if (agent.wrapUpUntil !== undefined) view.wrapUpUntil = agent.wrapUpUntil;
  return view;
}

/** A copy of a call's state for the live view. */
export function presentCall(call: QueuedCall): CallView {
  const view: CallView = {
    callId: call.callId,
    arrivedAt: call.arrivedAt,
    tier: call.tier,
    state: call.state,
    isCallbackOffered: call.isCallbackOffered,
  };
  if (call.language !== undefined) view.language = call.language;
  if (call.agentId !== undefined) view.agentId = call.agentId;
  if (call.offerExpiresAt !== undefined) view.offerExpiresAt = call.offerExpiresAt;
  if (call.answeredAt !== undefined) view.answeredAt = call.answeredAt;
  return view;
}

/** The coordinators' live view: on-duty agents by id, calls in progress oldest first. */
export function buildSnapshot(
  asOf: number,
  agents: Iterable<AgentState>,
  calls: Iterable<QueuedCall>,
  freeAgents: number,
): RoutingSnapshot {
  const agentViews = [...agents]
    .filter((agent) => agent.presence !== 'offline')
    .sort((a, b) => (a.agentId < b.agentId ? -1 : a.agentId > b.agentId ? 1 : 0))
    .map(presentAgent);
  const callList = [...calls].sort((a, b) => a.arrivedAt - b.arrivedAt || a.seq - b.seq);
  return {
    asOf,
    agents: agentViews,
    calls: callList.map(presentCall),
    freeAgents,
    waitingCalls: callList.filter((call) => call.state === 'waiting').length,
  };
}
