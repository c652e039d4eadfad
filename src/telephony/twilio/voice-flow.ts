import type { Clock } from '../../shared/clock';
import type { CallerInfo, RingFailure } from '../provider';
import type { TelephonyServices } from '../services';
import {
  allBusyTwiml,
  callbackConfirmedTwiml,
  callbackImpossibleTwiml,
  campaignMessageTwiml,
  goodbyeTwiml,
  hangupTwiml,
  ringVolunteerTwiml,
  waitTwiml,
} from './twiml';

/** Where Twilio's webhooks live, as absolute URLs (Twilio signs the exact URL it calls). */
export interface TwilioUrls {
  dialResult(volunteerId: string): string;
  clientStatus(volunteerId: string): string;
  inboundChoice(): string;
  /** Where a queued caller's call comes back to after a pause. */
  wait(): string;
  campaignChoice(campaignId: string): string;
  /** The campaign's recorded message, or null when none is stored for it. */
  campaignMessage(campaignId: string): string | null;
}

const dialFailures: Record<string, RingFailure> = { busy: 'busy', 'no-answer': 'no-answer', failed: 'unavailable', canceled: 'no-answer' };

/**
 * What Hotline answers to each Twilio webhook. Twilio's request is already verified; this decides
 * (through the routing core) and records the events the call record is built from.
 */
export class TwilioVoiceFlow {
  constructor(
    private readonly services: TelephonyServices,
    private readonly urls: TwilioUrls,
    private readonly clock: Clock,
    private readonly ringSeconds: number,
  ) {}

  /** A call to the hotline number arrived (with the caller's language when the number says it). */
  async inboundCall(callSid: string, caller: CallerInfo = {}): Promise<string> {
    await this.record({ callId: callSid, kind: 'arrived' });
    return this.ringNext(callSid, caller);
  }

  /** A queued caller's pause is over: ring whoever is free now, or keep waiting. */
  async waited(callSid: string): Promise<string> {
    return this.ringNext(callSid);
  }

  /** The `<Dial>` to a volunteer finished: talked, or the phone did not take it. */
  async dialFinished(input: { callSid: string; volunteerId: string; dialStatus: string; callStatus: string }): Promise<string> {
    const { callSid, volunteerId } = input;
    if (input.dialStatus === 'completed' || input.dialStatus === 'answered') {
      // The parent call is already completed when the caller hung up; otherwise the volunteer did.
      const hangupBy = input.callStatus === 'completed' ? 'caller' : 'volunteer';
      await this.endOnce(callSid, hangupBy);
      return hangupTwiml();
    }
    const reason = dialFailures[input.dialStatus] ?? 'unavailable';
    await this.record({ callId: callSid, kind: 'ring-failed', volunteerId, reason });
    await this.services.router.ringFailed(callSid, volunteerId, reason);
    if (input.callStatus === 'completed') {
      await this.endOnce(callSid, 'caller');
      return hangupTwiml();
    }
    return this.ringNext(callSid);
  }

  /** A status callback of the volunteer's leg (ringing, answered). */
  async volunteerLegStatus(input: { parentCallSid: string; volunteerId: string; callStatus: string }): Promise<void> {
    if (input.callStatus === 'ringing') await this.record({ callId: input.parentCallSid, kind: 'ringing', volunteerId: input.volunteerId });
    if (input.callStatus === 'in-progress' || input.callStatus === 'answered') {
      await this.record({ callId: input.parentCallSid, kind: 'answered', volunteerId: input.volunteerId });
      await this.services.router.answered(input.parentCallSid, input.volunteerId);
    }
  }

  /** The status callback of the caller's own call: a hang-up before anyone answered ends it here. */
  async callerCallStatus(input: { callSid: string; callStatus: string }): Promise<void> {
    if (['completed', 'busy', 'no-answer', 'canceled', 'failed'].includes(input.callStatus)) await this.endOnce(input.callSid, 'caller');
  }

  /**
   * The caller pressed a key after hearing that all volunteers are busy: 1 creates a callback
   * request (a task volunteers claim like a campaign number) for the caller's number.
   */
  async inboundChoice(input: { callSid: string; digits: string; from: string }): Promise<string> {
    if (input.digits !== '1') {
      await this.endOnce(input.callSid, 'system');
      return goodbyeTwiml();
    }
    const taskId = await this.services.router.requestCallback(input.callSid, input.from);
    if (taskId === null) {
      await this.endOnce(input.callSid, 'system');
      return callbackImpossibleTwiml();
    }
    await this.record({ callId: input.callSid, kind: 'callback-requested', reason: '1' });
    await this.endOnce(input.callSid, 'system');
    return callbackConfirmedTwiml();
  }

  /** A recorded-message campaign call was answered by a listener. */
  async campaignAnswered(input: { callSid: string; campaignId: string }): Promise<string> {
    await this.record({ callId: input.callSid, kind: 'answered', direction: 'outbound', campaignId: input.campaignId });
    return campaignMessageTwiml({ messageUrl: this.urls.campaignMessage(input.campaignId), choiceUrl: this.urls.campaignChoice(input.campaignId) });
  }

  /**
   * The listener pressed a key: 1 asks for a volunteer, which becomes a callback request (a task
   * volunteers claim like a campaign number) for the listener's number.
   */
  async campaignChoice(input: { callSid: string; campaignId: string; digits: string; to: string }): Promise<string> {
    const base = { callId: input.callSid, direction: 'outbound' as const, campaignId: input.campaignId };
    if (input.digits !== '1') {
      await this.record({ ...base, kind: 'ended', hangupBy: 'system', reason: input.digits });
      return goodbyeTwiml();
    }
    const taskId = await this.services.router.requestCallback(input.callSid, input.to);
    if (taskId !== null) await this.record({ ...base, kind: 'callback-requested', reason: '1' });
    await this.record({ ...base, kind: 'ended', hangupBy: 'system' });
    return taskId === null ? callbackImpossibleTwiml() : callbackConfirmedTwiml();
  }

  private async ringNext(callSid: string, caller: CallerInfo = {}): Promise<string> {
    const choice = await this.services.router.chooseVolunteer(callSid, caller);
    if (choice.kind === 'wait') {
      const isFirst = !this.waiting.has(callSid);
      this.waiting.add(callSid);
      if (this.waiting.size > 10_000) this.waiting.delete(this.waiting.values().next().value ?? '');
      return waitTwiml({ waitUrl: this.urls.wait(), isFirst });
    }
    this.waiting.delete(callSid);
    if (choice.kind === 'none') return allBusyTwiml({ choiceUrl: this.urls.inboundChoice() });
    const { volunteerId } = choice;
    await this.record({ callId: callSid, kind: 'offered', volunteerId });
    return ringVolunteerTwiml({
      volunteerId,
      ringSeconds: this.ringSeconds,
      dialActionUrl: this.urls.dialResult(volunteerId),
      statusCallbackUrl: this.urls.clientStatus(volunteerId),
    });
  }

  private async endOnce(callSid: string, hangupBy: 'caller' | 'volunteer' | 'system'): Promise<void> {
    if (this.ended.has(callSid)) return;
    this.ended.add(callSid);
    this.waiting.delete(callSid);
    if (this.ended.size > 10_000) this.ended.delete(this.ended.values().next().value ?? '');
    await this.record({ callId: callSid, kind: 'ended', hangupBy });
    await this.services.router.ended(callSid);
  }

  private readonly ended = new Set<string>();
  /** Callers who already heard the hold prompt. */
  private readonly waiting = new Set<string>();

  private async record(event: Omit<Parameters<TelephonyServices['events']['record']>[0], 'provider' | 'at' | 'direction'> & { direction?: 'inbound' | 'outbound' }): Promise<void> {
    await this.services.events.record({ provider: 'twilio', direction: 'inbound', ...event, at: this.clock() });
  }
}
