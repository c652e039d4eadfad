import twilio from 'twilio';

const { VoiceResponse } = twilio.twiml;

/** Spoken prompts; callers mostly dial from China, so Mandarin first, then English. */
const prompts = {
  allBusy: { zh: '志愿者现在都在通话中。需要我们给您回电，请按一。', en: 'All volunteers are on a call. To be called back, press one.' },
  campaignChoice: { zh: '想和志愿者通话，请按一。', en: 'To talk with a volunteer, press one.' },
  callbackConfirmed: { zh: '谢谢，志愿者会尽快给您回电。', en: 'Thank you, a volunteer will call you back soon.' },
  callbackImpossible: { zh: '对不起，我们看不到您的号码，无法回电。请稍后再打来。', en: 'Sorry, we cannot see your number, so we cannot call you back. Please call again later.' },
  hold: { zh: '志愿者都在通话中，请稍候，马上为您接通。', en: 'All volunteers are on a call. Please hold, we will connect you shortly.' },
  goodbye: { zh: '谢谢，再见。', en: 'Thank you, goodbye.' },
  dialRefused: { zh: 'Hotline 不允许拨打这个号码。', en: 'Hotline does not allow this call.' },
} as const;

type Response = InstanceType<typeof VoiceResponse>;

function say(target: Response | ReturnType<Response['gather']>, prompt: { zh: string; en: string }): void {
  target.say({ language: 'zh-CN' }, prompt.zh);
  target.say({ language: 'en-US' }, prompt.en);
}

/** Ring one volunteer's Voice SDK client; the dial's outcome comes back to `dialActionUrl`. */
export function ringVolunteerTwiml(options: { volunteerId: string; ringSeconds: number; dialActionUrl: string; statusCallbackUrl: string }): string {
  const response = new VoiceResponse();
  const dial = response.dial({ timeout: options.ringSeconds, action: options.dialActionUrl, method: 'POST' });
  dial.client(
    { statusCallback: options.statusCallbackUrl, statusCallbackMethod: 'POST', statusCallbackEvent: ['ringing', 'answered', 'completed'] },
    options.volunteerId,
  );
  return response.toString();
}

/** Nobody is free: offer a callback (key 1), then say goodbye when no key is pressed. */
export function allBusyTwiml(options: { choiceUrl: string }): string {
  const response = new VoiceResponse();
  const gather = response.gather({ numDigits: 1, timeout: 8, action: options.choiceUrl, method: 'POST' });
  say(gather, prompts.allBusy);
  say(response, prompts.goodbye);
  response.hangup();
  return response.toString();
}

/** Volunteers are on calls: hold (the prompt the first time), then come back to `waitUrl`. */
export function waitTwiml(options: { waitUrl: string; isFirst: boolean }): string {
  const response = new VoiceResponse();
  if (options.isFirst) say(response, prompts.hold);
  response.pause({ length: 3 });
  response.redirect({ method: 'POST' }, options.waitUrl);
  return response.toString();
}

/** A recorded-message campaign: play the message (when one is stored); key 1 asks for a volunteer. */
export function campaignMessageTwiml(options: { messageUrl: string | null; choiceUrl: string }): string {
  const response = new VoiceResponse();
  const gather = response.gather({ numDigits: 1, timeout: 6, action: options.choiceUrl, method: 'POST' });
  if (options.messageUrl !== null) gather.play(options.messageUrl);
  say(gather, prompts.campaignChoice);
  response.hangup();
  return response.toString();
}

/** The callback request was taken. */
export function callbackConfirmedTwiml(): string {
  const response = new VoiceResponse();
  say(response, prompts.callbackConfirmed);
  response.hangup();
  return response.toString();
}

/** The caller asked for a callback but their number is withheld or not valid. */
export function callbackImpossibleTwiml(): string {
  const response = new VoiceResponse();
  say(response, prompts.callbackImpossible);
  response.hangup();
  return response.toString();
}

/** End the call politely. */
export function goodbyeTwiml(): string {
  const response = new VoiceResponse();
  say(response, prompts.goodbye);
  response.hangup();
  return response.toString();
}

/** End the call without a word (after a finished conversation). */
export function hangupTwiml(): string {
  const response = new VoiceResponse();
  response.hangup();
  return response.toString();
}

/**
 * A volunteer's console dials out: the far end sees the hotline's Twilio number, the volunteer
 * hears it ring (answerOnBridge), and the outcome comes back to `actionUrl`.
 */
export function dialNumberTwiml(options: { e164: string; callerId: string; ringSeconds: number; actionUrl: string; statusCallbackUrl: string }): string {
  const response = new VoiceResponse();
  const dial = response.dial({ callerId: options.callerId, timeout: options.ringSeconds, answerOnBridge: true, action: options.actionUrl, method: 'POST' });
  dial.number({ statusCallback: options.statusCallbackUrl, statusCallbackMethod: 'POST', statusCallbackEvent: ['ringing', 'answered'] }, options.e164);
  return response.toString();
}

/** An outbound call Hotline does not allow (the console already said why, on screen). */
export function dialRefusedTwiml(): string {
  const response = new VoiceResponse();
  say(response, prompts.dialRefused);
  response.hangup();
  return response.toString();
}
