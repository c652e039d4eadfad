import { IndexedHeap } from './indexed-heap';
import type { AgentId, AgentOnDutyInput, AgentRole, CallId, Presence, RoutingTier } from './routing.types';

/** Routing state of one agent; mutated only by the routing core. */
export interface AgentState {
  readonly agentId: AgentId;
  role: AgentRole;
  languages: readonly string[];
  /** Takes tier-0 and tier-1 calls (volunteers, and coordinators when configured so). */
  isFrontline: boolean;
  presence: Presence;
  presenceSince: number;
  idleSince: number;
  /** Breaks ties between equal idleSince: whoever became available first goes first. */
  availableSeq: number;
  offeredCallId: CallId | undefined;
  activeCallId: CallId | undefined;
  wrapUpUntil: number | undefined;
  consecutiveMisses: number;
}

function isIdleLonger(a: AgentState, b: AgentState): boolean {
  return a.idleSince < b.idleSince || (a.idleSince === b.idleSince && a.availableSeq < b.availableSeq);
}

function newFreeHeap(): IndexedHeap<AgentState> {
  return new IndexedHeap<AgentState>((agent) => agent.agentId, isIdleLonger);
}

/** The earlier of two agents in idle-longest order, either possibly missing. */
function idleLongestOf(a: AgentState | undefined, b: AgentState | undefined): AgentState | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return isIdleLonger(b, a) ? b : a;
}

/**
 * Every agent the core has seen, plus idle-ordered indexes of the free ones ("free" = available
 * with no ringing offer): one per language and one overall for the frontline, one for the
 * coordinators held back for tier 2. Picking the idle-longest eligible agent is then a heap peek,
 * O(log n) even with thousands on duty.
 */
export class AgentPool {
  private readonly agents = new Map<AgentId, AgentState>();
  private readonly freeFrontline = newFreeHeap();
  private readonly freeFrontlineByLanguage = new Map<string, IndexedHeap<AgentState>>();
  private readonly freeBackline = newFreeHeap();
  private nextAvailableSeq = 0;

  /** The agent with this id, on duty or not. */
  get(agentId: AgentId): AgentState | undefined {
    return this.agents.get(agentId);
  }

  /** Every agent ever registered. */
  all(): IterableIterator<AgentState> {
    return this.agents.values();
  }

  /** How many agents could take an offer right now, in any tier. */
  get freeCount(): number {
    return this.freeFrontline.size + this.freeBackline.size;
  }

  /**
   * Creates or refreshes the record of an agent going on duty (role and languages may have changed
   * since last time). The caller must then make the agent available.
   */
  register(input: AgentOnDutyInput, coordinatorsInFirstTiers: boolean, now: number): AgentState {
    const existing = this.agents.get(input.agentId);
    if (existing !== undefined) this.markBusy(existing);
    const agent: AgentState = existing ?? {
      agentId: input.agentId,
      role: input.role,
      languages: [],
      isFrontline: true,
      presence: 'offline',
      presenceSince: now,
      idleSince: now,
      availableSeq: 0,
      offeredCallId: undefined,
      activeCallId: undefined,
      wrapUpUntil: undefined,
      consecutiveMisses: 0,
    };
    agent.role = input.role;
    agent.languages = [...new Set(input.languages)];
    agent.isFrontline = input.role === 'volunteer' || coordinatorsInFirstTiers;
    this.agents.set(agent.agentId, agent);
    return agent;
  }

  /** Records that the agent became available at `at`; this sets their place in the idle order. */
  stampAvailable(agent: AgentState, at: number): void {
    this.markBusy(agent);
    agent.idleSince = at;
    agent.availableSeq = this.nextAvailableSeq++;
  }

  /** Puts the agent into the free indexes (idempotent). */
  markFree(agent: AgentState): void {
    if (!agent.isFrontline) {
      this.freeBackline.push(agent);
      return;
    }
    this.freeFrontline.push(agent);
    for (const language of agent.languages) {
      let heap = this.freeFrontlineByLanguage.get(language);
      if (heap === undefined) {
        heap = newFreeHeap();
        this.freeFrontlineByLanguage.set(language, heap);
      }
      heap.push(agent);
    }
  }

  /** Takes the agent out of the free indexes (idempotent). */
  markBusy(agent: AgentState): void {
    if (this.freeBackline.remove(agent)) return;
    if (!this.freeFrontline.remove(agent)) return;
    for (const language of agent.languages) this.freeFrontlineByLanguage.get(language)?.remove(agent);
  }

  /** True when the agent is in the free indexes. */
  isFree(agent: AgentState): boolean {
    return this.freeFrontline.has(agent) || this.freeBackline.has(agent);
  }

  /**
   * The free agent idle longest who may take a call in `language` at `tier`, passing over those
   * `isExcluded` names (volunteers who just refused this call).
   */
  pickIdleLongest(language: string | undefined, tier: RoutingTier, isExcluded: (agent: AgentState) => boolean): AgentState | undefined {
    const accept = (agent: AgentState): boolean => !isExcluded(agent);
    if (tier === 0 && language !== undefined) {
      return this.freeFrontlineByLanguage.get(language)?.peekWhere(accept);
    }
    const frontline = this.freeFrontline.peekWhere(accept);
    if (tier < 2) return frontline;
    return idleLongestOf(frontline, this.freeBackline.peekWhere(accept));
  }
}
