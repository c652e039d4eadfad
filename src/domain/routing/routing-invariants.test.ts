import { describe, expect, it } from 'vitest';
import { fakeClock } from '../../shared/clock';
import { RoutingCore } from './routing-core';
import type { AgentView, CallView, RoutingDecision, RoutingSnapshot, RoutingTier } from './routing.types';
import { prng } from '../../shared/prng';

function canTake(agent: AgentView, language: string | undefined, tier: RoutingTier): boolean {
  if (tier === 2) return true;
  if (agent.role === 'coordinator') return false;
  return tier === 1 || language === undefined || agent.languages.includes(language);
}

function isFree(agent: AgentView): boolean {
  return agent.presence === 'available' && agent.offeredCallId === undefined;
}

function checkConsistency(snapshot: RoutingSnapshot, isWorkConserving: boolean): void {
  const calls = new Map(snapshot.calls.map((call) => [call.callId, call]));
  const agents = new Map(snapshot.agents.map((agent) => [agent.agentId, agent]));
  for (const agent of snapshot.agents) {
    if (agent.offeredCallId !== undefined) {
      expect(agent.presence).toBe('available');
      expect(calls.get(agent.offeredCallId)).toMatchObject({ state: 'offered', agentId: agent.agentId });
    }
    if (agent.presence === 'wrap_up') expect(agent.wrapUpUntil).toBeGreaterThan(snapshot.asOf);
    // On a call means on one: an inbound call being bridged or answered, or a call of their own.
    if (agent.presence === 'on_call' && agent.activeCallId !== undefined && !agent.activeCallId.startsWith('o')) {
      expect(calls.get(agent.activeCallId)?.agentId).toBe(agent.agentId);
    }
    if (agent.activeCallId?.startsWith('o') === true) expect(agent.presence).toBe('on_call');
  }
  for (const call of snapshot.calls) {
    if (call.state === 'offered') expect(agents.get(call.agentId ?? '')?.offeredCallId).toBe(call.callId);
    // Work-conserving: with no re-offer delay, no free agent may sit next to a call it can take.
    if (isWorkConserving && call.state === 'waiting') {
      const idleEligible = snapshot.agents.filter((a) => isFree(a) && canTake(a, call.language, call.tier));
      expect(idleEligible.map((a) => a.agentId)).toEqual([]);
    }
  }
  expect(snapshot.freeAgents).toBe(snapshot.agents.filter(isFree).length);
}

const runs = [
  { name: 'no re-offer delay: work-conserving', reofferSameAgentAfterSeconds: 0, missesBeforeAutoBreak: 2, seed: 20_261_125 },
  { name: 're-offer delay, break on first miss', reofferSameAgentAfterSeconds: 7, missesBeforeAutoBreak: 1, seed: 4_242 },
];

describe('RoutingCore under random events', () => {
  it.each(runs)('keeps offers consistent, eligible and idle-longest-first ($name)', (run) => {
    const random = prng(run.seed);
    const isWorkConserving = run.reofferSameAgentAfterSeconds === 0;
    const pick = <T>(items: readonly T[]): T | undefined => items[Math.floor(random() * items.length)];
    const clock = fakeClock(0);
    const core = new RoutingCore({
      clock,
      config: {
        reofferSameAgentAfterSeconds: run.reofferSameAgentAfterSeconds,
        missesBeforeAutoBreak: run.missesBeforeAutoBreak,
        offerTimeoutSeconds: 10,
        wrapUpSeconds: 5,
      },
    });
    const agentIds = Array.from({ length: 20 }, (_, i) => `a${i}`);
    const languageSets = [['zh'], ['zh', 'en'], ['en'], ['yue', 'zh'], ['ug']];
    let nextCall = 0;
    let offersSeen = 0;
    for (let step = 0; step < 2_500; step += 1) {
      clock.advance(Math.floor(random() * 4_000));
      // Due deadlines first, so `before` is the state the next event really meets.
      const ticked = core.tick();
      checkConsistency(core.snapshot(), isWorkConserving);
      const before = core.snapshot();
      const roll = random();
      let decisions: RoutingDecision[];
      let arriving: CallView | undefined;
      const offered = before.calls.filter((c) => c.state === 'offered');
      const connecting = before.calls.filter((c) => c.state === 'connecting');
      const talking = before.calls.filter((c) => c.state === 'talking');
      if (roll < 0.3) {
        const language = pick(['zh', 'zh', 'en', 'yue', 'ug', undefined]);
        const callId = `c${nextCall++}`;
        arriving = { callId, arrivedAt: clock(), tier: 0, state: 'waiting', isCallbackOffered: false };
        if (language !== undefined) arriving.language = language;
        decisions = core.callArrived(language === undefined ? { callId } : { callId, language });
      } else if (roll < 0.45 && offered.length > 0) {
        const call = pick(offered) as CallView;
        decisions = core.offerAccepted({ callId: call.callId, agentId: call.agentId ?? '' });
      } else if (roll < 0.5 && offered.length > 0) {
        const call = pick(offered) as CallView;
        const reason = random() < 0.5 ? 'busy' : 'declined';
        decisions = core.offerDeclined({ callId: call.callId, agentId: call.agentId ?? '', reason });
      } else if (roll < 0.6 && connecting.length > 0) {
        decisions = core.callAnswered({ callId: (pick(connecting) as CallView).callId });
      } else if (roll < 0.72 && talking.length > 0) {
        decisions = core.callEnded((pick(talking) as CallView).callId);
      } else if (roll < 0.78 && before.calls.length > 0) {
        decisions = core.callerAbandoned((pick(before.calls) as CallView).callId);
      } else if (roll < 0.8 && before.calls.length > 0) {
        decisions = core.callbackRequested((pick(before.calls) as CallView).callId);
      } else if (roll < 0.9) {
        const agentId = pick(agentIds) as string;
        const role = agentId === 'a0' || agentId === 'a1' ? 'coordinator' : 'volunteer';
        decisions = core.agentOnDuty({ agentId, role, languages: pick(languageSets) ?? [] });
      } else if (roll < 0.93) {
        decisions = core.setPresence(pick(agentIds) as string, pick(['break', 'available', 'offline'] as const) ?? 'break');
      } else if (roll < 0.96) {
        // A volunteer dials a campaign number of their own.
        decisions = core.ownCallStarted({ agentId: pick(agentIds) as string, callId: `o${nextCall++}` });
      } else if (roll < 0.98) {
        const onOwnCall = before.agents.filter((agent) => agent.activeCallId?.startsWith('o') === true);
        const agent = pick(onOwnCall);
        decisions = agent === undefined ? [] : core.ownCallEnded({ agentId: agent.agentId, callId: agent.activeCallId ?? '' });
      } else {
        decisions = core.agentOffDuty(pick(agentIds) as string);
      }
      const after = core.snapshot();
      checkConsistency(after, isWorkConserving);
      const agentsBefore = new Map(before.agents.map((agent) => [agent.agentId, agent]));
      for (const decision of [...ticked, ...decisions]) {
        if (decision.type !== 'offer') continue;
        offersSeen += 1;
        const agent = after.agents.find((a) => a.agentId === decision.agentId);
        const call = after.calls.find((c) => c.callId === decision.callId);
        if (agent === undefined || call === undefined) continue; // superseded later in the same batch
        expect(canTake(agent, call.language, decision.tier)).toBe(true);
        // A new call goes to the idle-longest of the agents who were free and eligible just before.
        if (decision.callId === arriving?.callId) {
          const candidates = before.agents.filter((a) => isFree(a) && canTake(a, arriving?.language, 0));
          const longest = Math.min(...candidates.map((a) => a.idleSince));
          expect(agentsBefore.get(decision.agentId)?.idleSince).toBe(longest);
        }
      }
    }
    expect(offersSeen).toBeGreaterThan(300);
  });
});
