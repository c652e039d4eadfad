import twilio from 'twilio';

/** What a Voice SDK access token is made from. */
export interface VoiceTokenSettings {
  accountSid: string;
  apiKeySid: string;
  apiKeySecret: string;
  /** The TwiML app outgoing calls from the console go through, when outbound is enabled. */
  twimlAppSid?: string;
}

/** Lifetime of a console token; the console fetches a new one before it runs out. */
export const VOICE_TOKEN_TTL_SECONDS = 3600;

/** A Voice SDK access token for one volunteer (identity = their opaque account id). */
export function voiceAccessToken(settings: VoiceTokenSettings, identity: string): string {
  const token = new twilio.jwt.AccessToken(settings.accountSid, settings.apiKeySid, settings.apiKeySecret, { identity, ttl: VOICE_TOKEN_TTL_SECONDS });
  token.addGrant(
    new twilio.jwt.AccessToken.VoiceGrant({
      incomingAllow: true,
      ...(settings.twimlAppSid === undefined ? {} : { outgoingApplicationSid: settings.twimlAppSid }),
    }),
  );
  return token.toJwt();
}

/** Whether a webhook really came from Twilio: the signature over the URL and form parameters. */
export function isTwilioSignatureValid(authToken: string, signature: string | undefined, url: string, params: Record<string, string>): boolean {
  if (signature === undefined || signature.length === 0 || signature.length > 128) return false;
  return twilio.validateRequest(authToken, signature, url, params);
}
