import { describe, expect, it } from 'vitest';
import { fakeClock } from '../../shared/clock';
import { RoutingCore } from './routing-core';
import type { AgentRole, RoutingConfig, RoutingDecision } from './routing.types';

const testConfig: Partial<RoutingConfig> = {
  offerTimeoutSeconds: 15,
  missesBeforeAutoBreak: 2,
  reofferSameAgentAfterSeconds: 10,
  overflowAnyLanguageAfterSeconds: 30,
  overflowToCoordinatorsAfterSeconds: 60,
  wrapUpSeconds: 30,
  serviceLevelSeconds: 20,
};

/** A core on a fake clock that starts at 0; `at(s)` moves the clock to s seconds. */
function setup(config: Partial<RoutingConfig> = {}) {
  const clock = fakeClock(0);
  const core = new RoutingCore({ clock, config: { ...testConfig, ...config } });
  const at = (seconds: number): RoutingCore => {
    clock.set(seconds * 1000);
    return core;
  };
  const onDuty = (seconds: number, agentId: string, languages: string[] = ['zh'], role: AgentRole = 'volunteer') =>
    at(seconds).agentOnDuty({ agentId, role, languages });
  return { core, at, onDuty };
}

function ofType<T extends RoutingDecision['type']>(decisions: RoutingDecision[], type: T): Extract<RoutingDecision, { type: T }>[] {
  return decisions.filter((d): d is Extract<RoutingDecision, { type: T }> => d.type === type);
}

/** [callId, agentId] of every offer in the decisions. */
function offers(decisions: RoutingDecision[]): [string, string][] {
  return ofType(decisions, 'offer').map((d) => [d.callId, d.agentId]);
}

function agentView(core: RoutingCore, agentId: string) {
  const view = core.snapshot().agents.find((agent) => agent.agentId === agentId);
  if (view === undefined) throw new Error(`agent ${agentId} not in snapshot`);
  return view;
}

describe('RoutingCore: who gets the call', () => {
  it('offers to the agent idle longest, not in registration or alphabetical order', () => {
    const { at, onDuty } = setup();
    onDuty(0, 'b');
    onDuty(1, 'a');
    onDuty(2, 'c');
    const first = at(10).callArrived({ callId: 'c1', language: 'zh' });
    expect(first).toContainEqual({ type: 'offer', callId: 'c1', agentId: 'b', tier: 0, expiresAt: 25_000 });
    expect(offers(at(11).callArrived({ callId: 'c2', language: 'zh' }))).toEqual([['c2', 'a']]);
    expect(offers(at(12).callArrived({ callId: 'c3' }))).toEqual([['c3', 'c']]);
  });

  it('keeps the idle order across 50 agents who came on duty in shuffled order', () => {
    const { at, onDuty } = setup({ offerTimeoutSeconds: 600 });
    const ids = Array.from({ length: 50 }, (_, i) => `v${String(i).padStart(2, '0')}`);
    const shuffled = ids.map((id, i) => ({ id, key: (i * 37) % 50 })).sort((x, y) => x.key - y.key);
    shuffled.forEach(({ id }, i) => onDuty(i, id));
    const offered = ids.flatMap((_, i) => offers(at(100 + i).callArrived({ callId: `c${i}`, language: 'zh' })));
    expect(offered.map(([, agentId]) => agentId)).toEqual(shuffled.map(({ id }) => id));
  });

  it("offers only to agents who speak the caller's language; unknown language goes to anyone", () => {
    const { core, at, onDuty } = setup();
    onDuty(0, 'z', ['zh']);
    onDuty(1, 'e', ['en']);
    onDuty(2, 'ze', ['zh', 'en']);
    expect(offers(at(5).callArrived({ callId: 'en1', language: 'en' }))).toEqual([['en1', 'e']]);
    expect(offers(at(6).callArrived({ callId: 'en2', language: 'en' }))).toEqual([['en2', 'ze']]);
    // z is free but does not speak English: the call waits for overflow, the caller may take a callback.
    const third = at(7).callArrived({ callId: 'en3', language: 'en' });
    expect(third).toEqual([{ type: 'offer-callback', callId: 'en3' }]);
    expect(core.snapshot().calls.find((c) => c.callId === 'en3')).toMatchObject({ state: 'waiting', tier: 0 });
    expect(offers(at(8).callArrived({ callId: 'unknown' }))).toEqual([['unknown', 'z']]);
  });

  it('an agent who adds a language is offered a call waiting in it at once, and keeps their place in the idle order', () => {
    const { core, at, onDuty } = setup();
    onDuty(0, 'a', ['zh']);
    onDuty(1, 'b', ['zh']);
    expect(offers(at(5).callArrived({ callId: 'yue1', language: 'yue' }))).toEqual([]);
    // b now speaks Cantonese too: the waiting call rings b, though a has been idle longer.
    expect(offers(at(6).agentLanguagesChanged({ agentId: 'b', languages: ['zh', 'yue'] }))).toEqual([['yue1', 'b']]);
    expect(agentView(core, 'b').languages).toEqual(['zh', 'yue']);
    at(7).offerDeclined({ callId: 'yue1', agentId: 'b', reason: 'declined' });
    // a switches to Cantonese: the declined call rings a; a Mandarin caller then goes to b
    expect(offers(at(8).agentLanguagesChanged({ agentId: 'a', languages: ['yue'] }))).toEqual([['yue1', 'a']]);
    expect(offers(at(9).callArrived({ callId: 'zh1', language: 'zh' }))).toEqual([['zh1', 'b']]);
    expect(ofType(at(10).agentLanguagesChanged({ agentId: 'nobody', languages: ['en'] }), 'event-ignored')).toEqual([
      { type: 'event-ignored', reason: 'UNKNOWN_AGENT', agentId: 'nobody' },
    ]);
  });

  it('gives the oldest waiting call the agent can take when an agent becomes free', () => {
    const { at, onDuty } = setup();
    onDuty(0, 'busy', ['zh', 'en']);
    at(1).callArrived({ callId: 'c0', language: 'zh' });
    at(2).callArrived({ callId: 'zh-late', language: 'zh' });
    at(3).callArrived({ callId: 'en-old', language: 'en' }); // older than zh-very-late below
    at(4).callArrived({ callId: 'zh-very-late', language: 'zh' });
    expect(offers(onDuty(5, 'e', ['en']))).toEqual([['en-old', 'e']]);
    expect(offers(onDuty(6, 'z', ['zh']))).toEqual([['zh-late', 'z']]);
  });
});

describe('RoutingCore: offers that are not taken', () => {
  it('moves an unanswered offer on to the next idle-longest after N seconds', () => {
    // A long re-offer delay keeps a (idle longest) from getting the same call back at 40 s.
    const { core, at, onDuty } = setup({ reofferSameAgentAfterSeconds: 60 });
    onDuty(0, 'a');
    onDuty(1, 'b');
    onDuty(2, 'c');
    at(10).callArrived({ callId: 'c1', language: 'zh' });
    expect(core.nextDeadline()).toBe(25_000);
    expect(at(24.999).tick()).toEqual([]);
    // A late tick still acts at the due time: b's offer runs 15 s from 25 s, not from 26 s.
    expect(at(26).tick()).toEqual([
      { type: 'cancel-offer', callId: 'c1', agentId: 'a', reason: 'timeout' },
      { type: 'offer', callId: 'c1', agentId: 'b', tier: 0, expiresAt: 40_000 },
    ]);
    expect(at(27).offerAccepted({ callId: 'c1', agentId: 'a' })).toEqual([
      { type: 'event-ignored', reason: 'NOT_OFFERED_TO_AGENT', callId: 'c1', agentId: 'a' },
    ]);
    expect(agentView(core, 'a')).toMatchObject({ presence: 'available', consecutiveMisses: 1, idleSince: 0 });
    expect(offers(at(40).tick())).toEqual([['c1', 'c']]);
  });

  it('puts an agent on break after M consecutive missed offers (default 2)', () => {
    const { core, at, onDuty } = setup();
    onDuty(0, 'a');
    onDuty(1, 'b');
    at(10).callArrived({ callId: 'c1', language: 'zh' });
    expect(offers(at(25).tick())).toEqual([['c1', 'b']]);
    at(26).offerAccepted({ callId: 'c1', agentId: 'b' });
    expect(offers(at(30).callArrived({ callId: 'c2', language: 'zh' }))).toEqual([['c2', 'a']]);
    const second = at(45).tick();
    expect(second).toContainEqual({ type: 'agent-auto-break', agentId: 'a', consecutiveMisses: 2 });
    expect(second).toContainEqual({ type: 'agent-presence', agentId: 'a', presence: 'break', since: 45_000 });
    expect(second).toContainEqual({ type: 'offer-callback', callId: 'c2' }); // nobody left free
    expect(agentView(core, 'a').presence).toBe('break');
  });

  it('honours a configured M and resets the count when an offer is accepted', () => {
    const { core, at, onDuty } = setup({ missesBeforeAutoBreak: 3 });
    onDuty(0, 'a');
    at(1).callArrived({ callId: 'c1', language: 'zh' });
    at(16).tick(); // miss 1
    at(26).tick(); // re-offered after 10 s
    expect(ofType(at(41).tick(), 'agent-auto-break')).toEqual([]); // miss 2 of 3
    expect(agentView(core, 'a').consecutiveMisses).toBe(2);
    expect(offers(at(51).tick())).toEqual([['c1', 'a']]);
    at(52).offerAccepted({ callId: 'c1', agentId: 'a' });
    expect(agentView(core, 'a').consecutiveMisses).toBe(0);
  });

  it('moves on at once when the phone is busy, without counting a miss by default', () => {
    const { core, at, onDuty } = setup({ missesBeforeAutoBreak: 1 });
    onDuty(0, 'a');
    onDuty(1, 'b');
    at(10).callArrived({ callId: 'c1', language: 'zh' });
    expect(at(11).offerDeclined({ callId: 'c1', agentId: 'a', reason: 'busy' })).toEqual([
      { type: 'offer', callId: 'c1', agentId: 'b', tier: 0, expiresAt: 26_000 },
    ]);
    expect(agentView(core, 'a')).toMatchObject({ presence: 'available', consecutiveMisses: 0 });
  });

  it('counts busy as a miss when configured', () => {
    const { at, onDuty } = setup({ missesBeforeAutoBreak: 1, busyCountsAsMiss: true });
    onDuty(0, 'a');
    onDuty(1, 'b');
    at(10).callArrived({ callId: 'c1', language: 'zh' });
    const decisions = at(11).offerDeclined({ callId: 'c1', agentId: 'a', reason: 'busy' });
    expect(offers(decisions)).toEqual([['c1', 'b']]);
    expect(decisions).toContainEqual({ type: 'agent-auto-break', agentId: 'a', consecutiveMisses: 1 });
  });

  it('re-offers a declined call to the same agent only after the re-offer delay', () => {
    const { core, at, onDuty } = setup();
    onDuty(0, 'a');
    at(1).callArrived({ callId: 'c1', language: 'zh' });
    expect(at(2).offerDeclined({ callId: 'c1', agentId: 'a', reason: 'declined' })).toEqual([]);
    expect(core.nextDeadline()).toBe(12_000);
    expect(at(11.999).tick()).toEqual([]);
    expect(offers(at(12).tick())).toEqual([['c1', 'a']]);
  });
});

describe('RoutingCore: overflow', () => {
  it('overflows to any volunteer after X seconds', () => {
    const { core, at, onDuty } = setup();
    onDuty(0, 'z', ['zh']);
    expect(at(5).callArrived({ callId: 'bo1', language: 'bo' })).toEqual([{ type: 'offer-callback', callId: 'bo1' }]);
    expect(core.nextDeadline()).toBe(35_000);
    expect(at(34.999).tick()).toEqual([]);
    expect(at(35).tick()).toEqual([
      { type: 'call-overflowed', callId: 'bo1', tier: 1 },
      { type: 'offer', callId: 'bo1', agentId: 'z', tier: 1, expiresAt: 50_000 },
    ]);
  });

  it('keeps coordinators out until Y seconds, then offers to them', () => {
    const { core, at, onDuty } = setup();
    onDuty(0, 'k', ['zh'], 'coordinator');
    onDuty(0, 'v', ['zh']);
    at(1).callArrived({ callId: 'c1', language: 'zh' });
    at(1).offerAccepted({ callId: 'c1', agentId: 'v' });
    // k is free but held back for tier 2, so for this caller nobody is free yet.
    expect(at(2).callArrived({ callId: 'c2', language: 'zh' })).toEqual([{ type: 'offer-callback', callId: 'c2' }]);
    expect(at(32).tick()).toEqual([{ type: 'call-overflowed', callId: 'c2', tier: 1 }]);
    expect(core.nextDeadline()).toBe(62_000);
    expect(at(62).tick()).toEqual([
      { type: 'call-overflowed', callId: 'c2', tier: 2 },
      { type: 'offer', callId: 'c2', agentId: 'k', tier: 2, expiresAt: 77_000 },
    ]);
  });

  it('lets coordinators take first-tier calls when configured', () => {
    const { at, onDuty } = setup({ coordinatorsInFirstTiers: true });
    onDuty(0, 'k', ['zh'], 'coordinator');
    onDuty(1, 'v', ['zh']);
    expect(offers(at(2).callArrived({ callId: 'c1', language: 'zh' }))).toEqual([['c1', 'k']]);
  });
});

describe('RoutingCore: the longest wait', () => {
  it('takes a call nobody accepted out of the queue at the longest wait, ringing or not, and frees the agent it rang', () => {
    const { core, at, onDuty } = setup({ maxWaitSeconds: 90, missesBeforeAutoBreak: 100 });
    at(0).callArrived({ callId: 'waiting' });
    onDuty(50, 'a');
    expect(ofType(at(89).tick(), 'wait-expired')).toEqual([]);
    const decisions = at(90).tick();
    expect(ofType(decisions, 'wait-expired')).toEqual([{ type: 'wait-expired', callId: 'waiting' }]);
    expect(ofType(decisions, 'cancel-offer')).toEqual([{ type: 'cancel-offer', callId: 'waiting', agentId: 'a', reason: 'caller-gone' }]);
    expect(core.snapshot().calls).toEqual([]);
    expect(core.snapshot().freeAgents).toBe(1);
    expect(core.metrics(0, 100_000)).toMatchObject({ callbacks: 1, abandoned: 0 });
  });

  it('never times out a call once it is accepted, and waits forever when the limit is 0', () => {
    const { core, at, onDuty } = setup({ maxWaitSeconds: 90 });
    onDuty(0, 'a');
    at(1).callArrived({ callId: 'taken' });
    at(2).offerAccepted({ callId: 'taken', agentId: 'a' });
    expect(ofType(at(500).tick(), 'wait-expired')).toEqual([]);
    expect(core.snapshot().calls.map((call) => call.callId)).toEqual(['taken']);
    const unlimited = setup({ maxWaitSeconds: 0 });
    unlimited.at(0).callArrived({ callId: 'patient' });
    expect(unlimited.core.nextDeadline()).toBe(30_000);
    expect(ofType(unlimited.at(10_000).tick(), 'wait-expired')).toEqual([]);
  });
});

describe('RoutingCore: callbacks', () => {
  it('offers a callback once when a call arrives and nobody is free', () => {
    const { core, at, onDuty } = setup();
    onDuty(0, 'a');
    at(1).callArrived({ callId: 'c1', language: 'zh' });
    expect(at(2).callArrived({ callId: 'c2', language: 'zh' })).toEqual([{ type: 'offer-callback', callId: 'c2' }]);
    expect(ofType(at(3).callArrived({ callId: 'c3' }), 'offer-callback')).toEqual([{ type: 'offer-callback', callId: 'c3' }]);
    expect(at(4).callbackRequested('c2')).toEqual([]);
    expect(core.snapshot().calls.map((c) => c.callId)).toEqual(['c1', 'c3']);
    expect(core.metrics(0, 10_000)).toMatchObject({ callbacks: 1, abandoned: 0, stillWaiting: 2 });
  });

  it('offers a callback to a caller still waiting when the last free agent goes away', () => {
    const { at, onDuty } = setup();
    onDuty(0, 'a');
    at(1).callArrived({ callId: 'c1', language: 'zh' });
    expect(at(5).setPresence('a', 'break')).toEqual([
      { type: 'agent-presence', agentId: 'a', presence: 'break', since: 5_000 },
      { type: 'cancel-offer', callId: 'c1', agentId: 'a', reason: 'agent-unavailable' },
      { type: 'offer-callback', callId: 'c1' },
    ]);
    // The caller chose to keep waiting: a volunteer coming on duty gets the call.
    expect(offers(onDuty(8, 'b'))).toEqual([['c1', 'b']]);
  });

  it('offers a callback once the agent who refused the call goes away too', () => {
    const { at, onDuty } = setup();
    onDuty(0, 'a');
    at(1).callArrived({ callId: 'c1', language: 'zh' });
    expect(at(2).offerDeclined({ callId: 'c1', agentId: 'a', reason: 'declined' })).toEqual([]); // re-offer due
    expect(at(3).setPresence('a', 'break')).toEqual([
      { type: 'agent-presence', agentId: 'a', presence: 'break', since: 3_000 },
      { type: 'offer-callback', callId: 'c1' },
    ]);
  });
});

describe('RoutingCore: wrap-up and abandon', () => {
  it('returns the agent to available when wrap-up ends, idle since the end of wrap-up', () => {
    const { core, at, onDuty } = setup();
    onDuty(0, 'a');
    onDuty(1, 'b');
    at(2).callArrived({ callId: 'c1', language: 'zh' });
    at(3).callAnswered({ callId: 'c1' }); // implies acceptance
    expect(at(60).callEnded('c1')).toEqual([{ type: 'agent-presence', agentId: 'a', presence: 'wrap_up', since: 60_000, until: 90_000 }]);
    expect(core.nextDeadline()).toBe(90_000);
    expect(at(95).tick()).toEqual([{ type: 'agent-presence', agentId: 'a', presence: 'available', since: 90_000 }]);
    expect(agentView(core, 'a')).toMatchObject({ presence: 'available', idleSince: 90_000 });
    onDuty(96, 'c');
    expect(offers(at(100).callArrived({ callId: 'c2', language: 'zh' }))).toEqual([['c2', 'b']]);
    expect(offers(at(101).callArrived({ callId: 'c3', language: 'zh' }))).toEqual([['c3', 'a']]);
  });

  it('removes an abandoned call from the queue or from the ringing phone', () => {
    const { core, at, onDuty } = setup();
    onDuty(0, 'a');
    at(1).callArrived({ callId: 'c1', language: 'zh' });
    at(2).callArrived({ callId: 'c2', language: 'zh' });
    expect(at(5).callerAbandoned('c2')).toEqual([]);
    expect(at(6).callerAbandoned('c1')).toEqual([{ type: 'cancel-offer', callId: 'c1', agentId: 'a', reason: 'caller-gone' }]);
    expect(core.snapshot()).toMatchObject({ calls: [], freeAgents: 1 });
    expect(core.metrics(0, 10_000)).toMatchObject({ offered: 2, abandoned: 2, abandonRate: 1 });
  });
});

describe('RoutingCore: calls a volunteer places', () => {
  it('puts a volunteer on their own call out of routing, moves a ringing offer on, and wraps up after it', () => {
    const { core, at, onDuty } = setup();
    onDuty(0, 'a');
    onDuty(1, 'b');
    at(2).callArrived({ callId: 'c1', language: 'zh' });
    // a (idle longest) is rung, then dials a campaign number: the call moves on to b, without a miss.
    expect(at(3).ownCallStarted({ agentId: 'a', callId: 'out-1' })).toEqual([
      { type: 'agent-presence', agentId: 'a', presence: 'on_call', since: 3_000 },
      { type: 'cancel-offer', callId: 'c1', agentId: 'a', reason: 'agent-unavailable' },
      { type: 'offer', callId: 'c1', agentId: 'b', tier: 0, expiresAt: 18_000 },
    ]);
    expect(agentView(core, 'a')).toMatchObject({ presence: 'on_call', activeCallId: 'out-1', consecutiveMisses: 0 });
    // While a is on their own call, the next caller waits for b rather than ringing a.
    at(4).callAnswered({ callId: 'c1' });
    expect(offers(at(5).callArrived({ callId: 'c2', language: 'zh' }))).toEqual([]);
    // A second own call, or the end of an unknown one, changes nothing.
    expect(ofType(at(6).ownCallStarted({ agentId: 'a', callId: 'out-2' }), 'event-ignored')).toHaveLength(1);
    expect(ofType(at(6).ownCallEnded({ agentId: 'a', callId: 'out-2' }), 'event-ignored')).toHaveLength(1);
    // (The waiting call has meanwhile overflowed to any volunteer, at 35 s.)
    expect(ofType(at(40).ownCallEnded({ agentId: 'a', callId: 'out-1' }), 'agent-presence')).toEqual([{ type: 'agent-presence', agentId: 'a', presence: 'wrap_up', since: 40_000, until: 70_000 }]);
    // After wrap-up a is free again, and the waiting caller rings them.
    expect(offers(at(70).tick())).toEqual([['c2', 'a']]);
    // Their outbound talk counts as occupied time.
    expect(core.metrics(0, 70_000).occupancy).toBeGreaterThan(0.5);
  });

  it('lets a volunteer whose own call never reported its end choose available or break', () => {
    const { core, at, onDuty } = setup();
    onDuty(0, 'a');
    at(1).ownCallStarted({ agentId: 'a', callId: 'out-lost' });
    expect(ofType(at(2).setPresence('a', 'available'), 'agent-presence')).toEqual([{ type: 'agent-presence', agentId: 'a', presence: 'available', since: 2_000 }]);
    expect(agentView(core, 'a').activeCallId).toBeUndefined();
    // An inbound call in progress still keeps them on it.
    at(3).callArrived({ callId: 'c1', language: 'zh' });
    at(4).callAnswered({ callId: 'c1' });
    expect(ofType(at(5).setPresence('a', 'break'), 'event-ignored')[0]).toMatchObject({ reason: 'AGENT_ON_CALL' });
  });

  it('leaves a volunteer on break on break, and ignores agents not on duty', () => {
    const { core, at, onDuty } = setup();
    onDuty(0, 'a');
    at(1).setPresence('a', 'break');
    expect(ofType(at(2).ownCallStarted({ agentId: 'a', callId: 'out-1' }), 'event-ignored')[0]).toMatchObject({ reason: 'AGENT_ON_BREAK' });
    expect(agentView(core, 'a').presence).toBe('break');
    expect(ofType(at(3).ownCallStarted({ agentId: 'nobody', callId: 'out-2' }), 'event-ignored')[0]).toMatchObject({ reason: 'UNKNOWN_AGENT' });
  });
});

describe('RoutingCore: queue metrics', () => {
  /**
   * Two volunteers, four calls, wrap-up 10 s (times in seconds):
   *   c1 arrives 10, a answers 12 (wait 2);  a talks 12-50, wraps 50-60
   *   c2 arrives 20, b answers 30 (wait 10); b talks 30-80, wraps 80-90
   *   c3 arrives 40, nobody free; a offered at 60, answers 62 (wait 22); talks 62-100, wraps 100-110
   *   c4 arrives 70, nobody free; caller hangs up at 75
   *   b on break 92-100
   */
  function scriptedDay() {
    const { core, at, onDuty } = setup({ wrapUpSeconds: 10 });
    onDuty(0, 'a');
    onDuty(0, 'b');
    at(10).callArrived({ callId: 'c1', language: 'zh' });
    at(12).callAnswered({ callId: 'c1', agentId: 'a' });
    at(20).callArrived({ callId: 'c2', language: 'zh' });
    at(30).callAnswered({ callId: 'c2', agentId: 'b' });
    at(40).callArrived({ callId: 'c3', language: 'zh' });
    at(50).callEnded('c1');
    expect(offers(at(60).tick())).toEqual([['c3', 'a']]);
    at(62).callAnswered({ callId: 'c3', agentId: 'a' });
    at(70).callArrived({ callId: 'c4', language: 'zh' });
    at(75).callerAbandoned('c4');
    at(80).callEnded('c2');
    at(90).tick();
    at(92).setPresence('b', 'break');
    at(100).setPresence('b', 'available');
    at(100).callEnded('c3');
    at(110).tick();
    return core;
  }

  it('computes ASA, abandon rate, service level and occupancy exactly', () => {
    const metrics = scriptedDay().metrics(0, 120_000);
    expect(metrics).toMatchObject({ offered: 4, answered: 3, abandoned: 1, callbacks: 0, stillWaiting: 0 });
    expect(metrics.averageSpeedOfAnswerMs).toBeCloseTo((2_000 + 10_000 + 22_000) / 3, 9);
    expect(metrics.abandonRate).toBe(0.25); // 1 of 4
    expect(metrics.serviceLevel).toBe(0.5); // c1 and c2 within 20 s; c3 (22 s) and c4 not
    // a: busy 38+10+38+10 = 96 of 120 staffed; b: busy 50+10 = 60 of 120-8 (break) = 112.
    expect(metrics.agents).toEqual([
      { agentId: 'a', busyMs: 96_000, staffedMs: 120_000, occupancy: 0.8 },
      { agentId: 'b', busyMs: 60_000, staffedMs: 112_000, occupancy: 60 / 112 },
    ]);
    expect(metrics.occupancy).toBeCloseTo(156 / 232, 12);
  });

  it('counts calls by arrival in the window and clips presence to it', () => {
    const metrics = scriptedDay().metrics(40_000, 120_000);
    expect(metrics).toMatchObject({ offered: 2, answered: 1, abandoned: 1, averageSpeedOfAnswerMs: 22_000 });
    expect(metrics).toMatchObject({ abandonRate: 0.5, serviceLevel: 0 });
    expect(metrics.agents).toEqual([
      { agentId: 'a', busyMs: 68_000, staffedMs: 80_000, occupancy: 0.85 },
      { agentId: 'b', busyMs: 50_000, staffedMs: 72_000, occupancy: 50 / 72 },
    ]);
  });

  it('judges outcomes as known at the end of the window', () => {
    const metrics = scriptedDay().metrics(0, 61_000);
    // c3 arrived at 40 but was answered at 62, after the window.
    expect(metrics).toMatchObject({ offered: 2, answered: 2, stillWaiting: 1, averageSpeedOfAnswerMs: 6_000 });
    expect(metrics).toMatchObject({ abandonRate: 0, serviceLevel: 1 });
  });
});

describe('RoutingCore: events that no longer apply', () => {
  it('ignores stale, duplicate and out-of-order events without changing state', () => {
    const { core, at, onDuty } = setup();
    onDuty(0, 'a');
    at(1).callArrived({ callId: 'c1', language: 'zh' });
    at(2).offerAccepted({ callId: 'c1', agentId: 'a' });
    expect(at(3).callArrived({ callId: 'c1' })).toEqual([{ type: 'event-ignored', reason: 'DUPLICATE_CALL', callId: 'c1' }]);
    expect(at(3).agentOnDuty({ agentId: 'a', role: 'volunteer', languages: ['en'] })).toEqual([
      { type: 'event-ignored', reason: 'ALREADY_ON_DUTY', agentId: 'a' },
    ]);
    expect(at(4).setPresence('a', 'break')).toEqual([{ type: 'event-ignored', reason: 'AGENT_ON_CALL', agentId: 'a' }]);
    expect(at(5).callEnded('nope')).toEqual([{ type: 'event-ignored', reason: 'UNKNOWN_CALL', callId: 'nope' }]);
    expect(at(6).callbackRequested('c1')).toEqual([{ type: 'event-ignored', reason: 'CALL_ALREADY_ACCEPTED', callId: 'c1' }]);
    expect(agentView(core, 'a')).toMatchObject({ presence: 'on_call', activeCallId: 'c1', languages: ['zh'] });
  });

  it('refuses a config that would never overflow in order', () => {
    expect(() => setup({ overflowAnyLanguageAfterSeconds: 90, overflowToCoordinatorsAfterSeconds: 60 })).toThrow(RangeError);
    expect(() => setup({ offerTimeoutSeconds: 0 })).toThrow(RangeError);
  });
});
