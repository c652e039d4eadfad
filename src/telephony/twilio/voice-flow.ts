import type { Clock } from '../../shared/clock';
import type { CallOutcome } from '../../shared/schemas/calls';
import { OneUseTokens, remember } from '../call-memory';
import type { CallerInfo, OutboundRefusal, RingFailure } from '../provider';
import type { TelephonyServices } from '../services';
import {
  allBusyTwiml,
  callbackConfirmedTwiml,
  callbackImpossibleTwiml,
  campaignMessageTwiml,
  dialNumberTwiml,
  dialRefusedTwiml,
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
  /** Where the `<Dial>` of a volunteer's outbound call reports how it ended. */
  outboundResult(volunteerId: string): string;
  /** Status callbacks of the far end's leg of an outbound call. */
  numberStatus(volunteerId: string): string;
}

/** What a volunteer's console dials through Twilio: `ticket-` and a one-use token from `dialTicket`. */
export const DIAL_TICKET_PREFIX = 'ticket-';

/** How long a dial ticket stays valid: the console connects at once. */
const DIAL_TICKET_TTL_MS = 60_000;

/** A dial allowed to one volunteer, waiting for their Voice SDK call to ask for it. */
interface DialTicket {
  volunteerId: string;
  e164: string;
  taskId: string;
  campaignId: string | null;
}

/** The attempt a failed outbound dial is on its task, by Twilio's DialCallStatus (else no answer). */
const outboundFailureOutcomes: Record<string, CallOutcome> = { busy: 'busy', 'no-answer': 'no_answer', failed: 'out_of_service', canceled: 'no_answer' };

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
    /** The hotline's Twilio number that outbound calls show; without it the console cannot dial out. */
    private readonly callerId?: string,
  ) {}

  /**
   * A volunteer asks to dial `target` (a task reference or a number) from the console. Hotline
   * decides now, as for a SIP phone: on a claimed number, inside its window, not on do-not-call.
   * Allowed, the console gets a one-use ticket to dial (the number never reaches the browser);
   * refused, it gets the reason to show.
   */
  async dialTicket(volunteerId: string, target: string): Promise<{ allowed: true; ticket: string } | { allowed: false; reason: OutboundRefusal }> {
    const decision = await this.services.authorizer.authorize(volunteerId, target);
    if (!decision.allowed) return { allowed: false, reason: decision.reason };
    return { allowed: true, ticket: this.tickets.issue({ volunteerId, e164: decision.e164, taskId: decision.taskId, campaignId: decision.campaignId }) };
  }

  /**
   * The console's Voice SDK call reached the TwiML app: `from` is `client:<volunteer id>`, `to`
   * the ticket. A ticket is used once, by the volunteer it was issued to, within a minute.
   */
  async outboundCall(input: { callSid: string; from: string; to: string }): Promise<string> {
    const volunteerId = input.from.startsWith('client:') ? input.from.slice('client:'.length) : '';
    const ticket = this.tickets.take(input.to);
    if (ticket === undefined || ticket.volunteerId !== volunteerId || this.callerId === undefined) {
      if (volunteerId !== '') await this.record({ callId: input.callSid, kind: 'refused', direction: 'outbound', volunteerId, reason: 'NOT_ASSIGNED' });
      return dialRefusedTwiml();
    }
    const campaign = ticket.campaignId === null ? {} : { campaignId: ticket.campaignId };
    await this.record({ callId: input.callSid, kind: 'arrived', direction: 'outbound', volunteerId, ...campaign });
    await this.services.router.ownCallStarted(input.callSid, volunteerId);
    remember(this.outboundTasks, input.callSid, ticket.taskId);
    return dialNumberTwiml({
      e164: ticket.e164,
      callerId: this.callerId,
      ringSeconds: this.ringSeconds,
      actionUrl: this.urls.outboundResult(volunteerId),
      statusCallbackUrl: this.urls.numberStatus(volunteerId),
    });
  }

  /** A status callback of the far end's leg of an outbound call: it rings, it answered. */
  async numberLegStatus(input: { parentCallSid: string; volunteerId: string; callStatus: string }): Promise<void> {
    const base = { callId: input.parentCallSid, direction: 'outbound' as const, volunteerId: input.volunteerId };
    if (input.callStatus === 'ringing') await this.record({ ...base, kind: 'ringing' });
    if (input.callStatus === 'in-progress' || input.callStatus === 'answered') await this.record({ ...base, kind: 'answered' });
  }

  /**
   * The outbound `<Dial>` finished. A far end that never answered is an attempt on the task (busy,
   * no answer, out of service), recorded now; after a conversation the volunteer records the outcome.
   */
  async outboundFinished(input: { callSid: string; volunteerId: string; dialStatus: string; callStatus: string }): Promise<string> {
    const { callSid, volunteerId } = input;
    const taskId = this.outboundTasks.get(callSid);
    this.outboundTasks.delete(callSid);
    const base = { callId: callSid, direction: 'outbound' as const, volunteerId };
    await this.services.router.ownCallEnded(callSid, volunteerId);
    if (input.dialStatus === 'completed' || input.dialStatus === 'answered') {
      // The console's leg is already completed when the volunteer hung up; otherwise the far end did.
      await this.record({ ...base, kind: 'ended', hangupBy: input.callStatus === 'completed' ? 'volunteer' : 'caller' });
      return hangupTwiml();
    }
    await this.record({ ...base, kind: 'ring-failed', reason: dialFailures[input.dialStatus] ?? 'unavailable' });
    if (taskId !== undefined) await this.services.outcomes.farEndFailed({ volunteerId, taskId, outcome: outboundFailureOutcomes[input.dialStatus] ?? 'no_answer', callId: callSid });
    await this.record({ ...base, kind: 'ended', hangupBy: input.dialStatus === 'canceled' ? 'volunteer' : 'system' });
    return hangupTwiml();
  }

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
      remember(this.waiting, callSid);
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
    remember(this.ended, callSid);
    this.waiting.delete(callSid);
    await this.record({ callId: callSid, kind: 'ended', hangupBy });
    await this.services.router.ended(callSid);
  }

  private readonly ended = new Set<string>();
  /** Dial tickets issued and not yet dialed. */
  private readonly tickets = new OneUseTokens<DialTicket>(DIAL_TICKET_PREFIX, DIAL_TICKET_TTL_MS, () => this.clock());
  /** The task each outbound call works, by CallSid. */
  private readonly outboundTasks = new Map<string, string>();
  /** Callers who already heard the hold prompt. */
  private readonly waiting = new Set<string>();

  private async record(event: Omit<Parameters<TelephonyServices['events']['record']>[0], 'provider' | 'at' | 'direction'> & { direction?: 'inbound' | 'outbound' }): Promise<void> {
    await this.services.events.record({ provider: 'twilio', direction: 'inbound', ...event, at: this.clock() });
  }
}
