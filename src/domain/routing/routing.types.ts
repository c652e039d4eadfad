/** Id of a volunteer or coordinator, as the rest of the system knows them. */
export type AgentId = string;

/** Id of one inbound call, given by the telephony adapter. */
export type CallId = string;

/**
 * Where an agent stands. `on_call` and `wrap_up` are set only by the routing core; an agent with a
 * ringing offer is still `available` (the offer is shown separately).
 */
export type Presence = 'offline' | 'available' | 'on_call' | 'wrap_up' | 'break';

/** The presences an agent (or a coordinator for them) may choose; the others follow from calls. */
export type ChosenPresence = 'available' | 'break' | 'offline';

/** Coordinators are kept out of the first tiers so they stay free to supervise. */
export type AgentRole = 'volunteer' | 'coordinator';

/**
 * How far a waiting call has overflowed: 0 = volunteers who speak the caller's language,
 * 1 = any volunteer, 2 = anyone on duty including coordinators.
 */
export type RoutingTier = 0 | 1 | 2;

/** Why an offer was refused by the agent's side (a timeout is handled by the core itself). */
export type OfferRefusal = 'declined' | 'busy';

/** Tunables of the queue; every duration is in seconds, as coordinators think of them. */
export interface RoutingConfig {
  /** N: how long an offer rings before it moves on to the next volunteer. */
  offerTimeoutSeconds: number;
  /** M: consecutive missed offers that put a volunteer on break. */
  missesBeforeAutoBreak: number;
  /** Whether "busy" counts as a miss; default no, the phone being busy is not absence. */
  busyCountsAsMiss: boolean;
  /** Whether an explicit decline counts as a miss; default no, someone was there to decline. */
  declineCountsAsMiss: boolean;
  /** A volunteer who refused or missed a call is not offered that same call again for this long. */
  reofferSameAgentAfterSeconds: number;
  /** X: seconds since arrival after which any volunteer may take the call, whatever the language. */
  overflowAnyLanguageAfterSeconds: number;
  /** Y: seconds since arrival (not since X) after which coordinators may take it too. */
  overflowToCoordinatorsAfterSeconds: number;
  /** Whether coordinators take first-tier calls like volunteers (small teams). */
  coordinatorsInFirstTiers: boolean;
  /** Wrap-up after a call; the agent returns to `available` by itself when it ends. 0 = none. */
  wrapUpSeconds: number;
  /** Service-level threshold: a call answered within this many seconds counts as on time. */
  serviceLevelSeconds: number;
  /**
   * Longest a caller waits (from arrival) without a volunteer accepting: then the call leaves the
   * queue as a callback request (`wait-expired`). 0 = no limit (the provider decides).
   */
  maxWaitSeconds: number;
}

/** An agent going on duty. Languages are compared exactly (the adapter normalizes tags). */
export interface AgentOnDutyInput {
  agentId: AgentId;
  role: AgentRole;
  languages: readonly string[];
}

/** A call entering the queue. `arrivedAt` defaults to the clock and is never later than it. */
export interface CallArrivedInput {
  callId: CallId;
  /** The caller's language when known (from the number dialled or an IVR choice). */
  language?: string;
  arrivedAt?: number;
}

/** An agent's answer to an offer. */
export interface OfferResponseInput {
  callId: CallId;
  agentId: AgentId;
}

/** An agent's refusal of an offer. */
export interface OfferRefusedInput extends OfferResponseInput {
  reason: OfferRefusal;
}

/** Why an event changed nothing; the adapter logs it (ids only) and carries on. */
export type IgnoredReason =
  | 'UNKNOWN_AGENT'
  | 'UNKNOWN_CALL'
  | 'DUPLICATE_CALL'
  | 'ALREADY_ON_DUTY'
  | 'NOT_ON_DUTY'
  | 'AGENT_ON_CALL'
  | 'AGENT_ON_BREAK'
  | 'NOT_OFFERED_TO_AGENT'
  | 'CALL_NOT_OFFERED'
  | 'CALL_ALREADY_ACCEPTED'
  | 'CALL_ALREADY_ANSWERED';

/** What the adapter must do (or may show) after an event; carried out in list order. */
export type RoutingDecision =
  /** Ring `agentId` with `callId` until `expiresAt`. */
  | { type: 'offer'; callId: CallId; agentId: AgentId; tier: RoutingTier; expiresAt: number }
  /** Stop ringing: the offer timed out, the caller left, or the agent went away. */
  | { type: 'cancel-offer'; callId: CallId; agentId: AgentId; reason: 'timeout' | 'caller-gone' | 'agent-unavailable' }
  /** The agent accepted: bridge the caller to the agent. */
  | { type: 'connect'; callId: CallId; agentId: AgentId }
  /** An agent's presence changed (for the live view); `until` is set for a timed wrap-up. */
  | { type: 'agent-presence'; agentId: AgentId; presence: Presence; since: number; until?: number }
  /** The agent missed too many offers in a row and was put on break. */
  | { type: 'agent-auto-break'; agentId: AgentId; consecutiveMisses: number }
  /** A waiting call may now go to a wider set of agents. */
  | { type: 'call-overflowed'; callId: CallId; tier: RoutingTier }
  /** Nobody is free: offer the caller a callback (the adapter creates the task if they take it). */
  | { type: 'offer-callback'; callId: CallId }
  /** Nobody accepted within the longest wait: the call left the queue; the adapter makes it a callback request. */
  | { type: 'wait-expired'; callId: CallId }
  /** The event did not apply (stale, duplicate or out of order). */
  | { type: 'event-ignored'; reason: IgnoredReason; callId?: CallId; agentId?: AgentId };

/** One agent in the coordinators' live view. */
export interface AgentView {
  agentId: AgentId;
  role: AgentRole;
  languages: readonly string[];
  presence: Presence;
  presenceSince: number;
  /** When the agent last became available; the queue favours the smallest. */
  idleSince: number;
  offeredCallId?: CallId;
  activeCallId?: CallId;
  wrapUpUntil?: number;
  consecutiveMisses: number;
}

/** Where a call stands: waiting for an offer, ringing an agent, being bridged, or answered. */
export type CallState = 'waiting' | 'offered' | 'connecting' | 'talking';

/** One call in the coordinators' live view. */
export interface CallView {
  callId: CallId;
  language?: string;
  arrivedAt: number;
  tier: RoutingTier;
  state: CallState;
  agentId?: AgentId;
  offerExpiresAt?: number;
  answeredAt?: number;
  isCallbackOffered: boolean;
}

/** The live view: agents on duty (by id) and calls in progress (oldest first). */
export interface RoutingSnapshot {
  asOf: number;
  agents: AgentView[];
  calls: CallView[];
  freeAgents: number;
  waitingCalls: number;
}

/** Occupancy of one agent over a metrics window. */
export interface AgentOccupancy {
  agentId: AgentId;
  /** Time on a call or in wrap-up. */
  busyMs: number;
  /** Time logged in and not on break (available, on a call or in wrap-up). */
  staffedMs: number;
  occupancy: number | null;
}

/**
 * Queue figures over [from, to). Calls count by arrival in the window, with their outcome as known
 * at `to`; a call still unresolved then is counted in `stillWaiting` and in no rate.
 */
export interface QueueMetrics {
  from: number;
  to: number;
  /** Calls that entered the queue and left it (answered, abandoned or callback). */
  offered: number;
  answered: number;
  abandoned: number;
  callbacks: number;
  stillWaiting: number;
  /** Mean time from arrival to answer over answered calls. */
  averageSpeedOfAnswerMs: number | null;
  /** Abandoned / offered. */
  abandonRate: number | null;
  /** Answered within the threshold / offered (abandons count against it). */
  serviceLevel: number | null;
  serviceLevelSeconds: number;
  /** Sum of busy time over sum of staffed time, across agents. */
  occupancy: number | null;
  agents: AgentOccupancy[];
}
