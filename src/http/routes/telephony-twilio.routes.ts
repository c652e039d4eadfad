import { createReadStream, existsSync } from 'node:fs';
import path from 'node:path';
import type { FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authorize } from '../../domain/auth/policy';
import { AppError } from '../../shared/app-error';
import { OUTBOUND_REFUSALS, normalizeLanguageTag } from '../../shared/dial-target';
import { VOICE_TOKEN_TTL_SECONDS, isTwilioSignatureValid, voiceAccessToken } from '../../telephony/twilio/access-token';
import { TwilioVoiceFlow, type TwilioUrls } from '../../telephony/twilio/voice-flow';
import type { RouteModule } from '../app';
import { actorOf } from '../session-auth';

const PREFIX = '/telephony/twilio';
const tags = ['telephony'];

const callSid = z.string().regex(/^CA[0-9a-f]{32}$/, 'expected a Twilio CallSid');
const volunteerId = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'expected a volunteer id');
const campaignId = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'expected a campaign id');
const number = z.string().max(64);
const status = z.string().max(32);
const digits = z.string().max(8).regex(/^[0-9*#]*$/, 'expected keypad digits');

/** Twilio posts many more fields than we read; unknown ones are allowed, every read one is checked. */
const voiceBody = z.looseObject({ CallSid: callSid, From: number.optional(), To: number.optional(), CallStatus: status.optional() });
const volunteerQuery = z.object({ volunteer: volunteerId });
/** What a `<Dial>` action URL receives when the dialed leg is over. */
const dialResultBody = voiceBody.extend({ DialCallStatus: status });
/** A status callback of a dialed leg (the volunteer's client, or the far end's number). */
const legStatusBody = z.looseObject({ CallSid: callSid, ParentCallSid: callSid, CallStatus: status });

/** The flow's view of a `<Dial>` result. */
function dialResult(body: z.infer<typeof dialResultBody>, query: z.infer<typeof volunteerQuery>) {
  return { callSid: body.CallSid, volunteerId: query.volunteer, dialStatus: body.DialCallStatus, callStatus: body.CallStatus ?? 'in-progress' };
}

/** The flow's view of a leg's status callback. */
function legStatus(body: z.infer<typeof legStatusBody>, query: z.infer<typeof volunteerQuery>) {
  return { parentCallSid: body.ParentCallSid, volunteerId: query.volunteer, callStatus: body.CallStatus };
}
/** Set on the number's "A call comes in" URL (`.../voice?language=yue`) when the number says the caller's language. */
const voiceQuery = z.object({ language: z.string().max(35).regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/, 'expected a language tag such as zh or yue').optional() });
const messageFile = z.object({ file: z.string().regex(/^[A-Za-z0-9_-]{1,64}\.mp3$/, 'expected CAMPAIGN_ID.mp3') });

/**
 * Twilio's webhooks and the Voice SDK token for the console. Registered only when
 * HOTLINE_TWILIO_ACCOUNT_SID and HOTLINE_TWILIO_AUTH_TOKEN are set. Every webhook must carry a
 * valid X-Twilio-Signature over the public URL it was sent to; anything else gets 403 before any
 * state is read or written.
 */
export const twilioRoutes: RouteModule = (fastify, ctx) => {
  const { config } = ctx;
  const accountSid = config.HOTLINE_TWILIO_ACCOUNT_SID;
  const authToken = config.HOTLINE_TWILIO_AUTH_TOKEN;
  if (accountSid === undefined || authToken === undefined) return;
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const base = `${config.publicUrl}${PREFIX}`;
  // Recorded campaign messages: CAMPAIGN_ID.mp3 in this folder, served to Twilio's <Play>.
  const messagesDir = path.resolve(config.dataDir, config.HOTLINE_CAMPAIGN_MESSAGES_DIR ?? 'campaign-messages');
  const messagePath = (campaignId: string) => path.join(messagesDir, `${campaignId}.mp3`);
  const urls: TwilioUrls = {
    dialResult: (id) => `${base}/dial-result?volunteer=${encodeURIComponent(id)}`,
    clientStatus: (id) => `${base}/client-status?volunteer=${encodeURIComponent(id)}`,
    inboundChoice: () => `${base}/choice`,
    wait: () => `${base}/wait`,
    campaignChoice: (id) => `${base}/campaigns/${encodeURIComponent(id)}/choice`,
    outboundResult: (id) => `${base}/outbound-result?volunteer=${encodeURIComponent(id)}`,
    numberStatus: (id) => `${base}/number-status?volunteer=${encodeURIComponent(id)}`,
    campaignMessage: (id) => {
      if (existsSync(messagePath(id))) return `${config.publicUrl}/telephony/messages/${encodeURIComponent(id)}.mp3`;
      app.log.warn({ campaignId: id }, 'telephony: no recorded message for this campaign; the listener hears only the key prompt');
      return null;
    },
  };
  const flow = () => new TwilioVoiceFlow(app.telephony, urls, ctx.deps.clock, config.HOTLINE_SIP_RING_SECONDS, config.HOTLINE_TWILIO_CALLER_ID);
  // One flow per app: it remembers which calls already ended.
  let sharedFlow: TwilioVoiceFlow | undefined;
  const voice = () => (sharedFlow ??= flow());

  const verifySignature = async (request: FastifyRequest) => {
    const signature = request.headers['x-twilio-signature'];
    const body = (request.body ?? {}) as Record<string, unknown>;
    const params: Record<string, string> = {};
    for (const [key, value] of Object.entries(body)) if (typeof value === 'string') params[key] = value;
    const url = `${config.publicUrl}${request.url}`;
    if (!isTwilioSignatureValid(authToken, typeof signature === 'string' ? signature : undefined, url, params)) {
      throw new AppError('TELEPHONY_SIGNATURE_INVALID', 'The request is not signed by Twilio');
    }
  };
  const webhook = { preValidation: verifySignature, schema: { tags, hide: true } };

  app.post(`${PREFIX}/voice`, { ...webhook, schema: { ...webhook.schema, querystring: voiceQuery, body: voiceBody } }, async (request, reply) => {
    const language = normalizeLanguageTag(request.query.language);
    const from = request.body.From;
    const caller = { ...(language === undefined ? {} : { language }), ...(from?.startsWith('+') ? { fromE164: from } : {}) };
    return reply.type('text/xml').send(await voice().inboundCall(request.body.CallSid, caller));
  });

  app.post(`${PREFIX}/wait`, { ...webhook, schema: { ...webhook.schema, body: voiceBody } }, async (request, reply) => {
    return reply.type('text/xml').send(await voice().waited(request.body.CallSid));
  });

  // Twilio fetches a campaign's recorded message without signing the request: it is played to
  // whoever answers, so it holds nothing secret. Only CAMPAIGN_ID.mp3 names are served.
  app.get('/telephony/messages/:file', { schema: { tags, hide: true, params: messageFile } }, async (request, reply) => {
    const file = path.join(messagesDir, request.params.file);
    if (!existsSync(file)) throw new AppError('NOT_FOUND', 'No recorded message for this campaign');
    return reply.type('audio/mpeg').header('cache-control', 'public, max-age=300').send(createReadStream(file));
  });

  const dialResultRoute = { ...webhook, schema: { ...webhook.schema, querystring: volunteerQuery, body: dialResultBody } };
  const legStatusRoute = { ...webhook, schema: { ...webhook.schema, querystring: volunteerQuery, body: legStatusBody } };

  app.post(`${PREFIX}/dial-result`, dialResultRoute, async (request, reply) => {
    return reply.type('text/xml').send(await voice().dialFinished(dialResult(request.body, request.query)));
  });

  app.post(`${PREFIX}/client-status`, legStatusRoute, async (request, reply) => {
    await voice().volunteerLegStatus(legStatus(request.body, request.query));
    return reply.code(204).send();
  });

  app.post(`${PREFIX}/call-status`, { ...webhook, schema: { ...webhook.schema, body: voiceBody.extend({ CallStatus: status }) } }, async (request, reply) => {
    await voice().callerCallStatus({ callSid: request.body.CallSid, callStatus: request.body.CallStatus });
    return reply.code(204).send();
  });

  app.post(`${PREFIX}/choice`, { ...webhook, schema: { ...webhook.schema, body: voiceBody.extend({ Digits: digits.default(''), From: number }) } }, async (request, reply) => {
    const twiml = await voice().inboundChoice({ callSid: request.body.CallSid, digits: request.body.Digits, from: request.body.From });
    return reply.type('text/xml').send(twiml);
  });

  app.post(
    `${PREFIX}/campaigns/:campaignId/answer`,
    { ...webhook, schema: { ...webhook.schema, params: z.object({ campaignId }), body: voiceBody } },
    async (request, reply) => {
      return reply.type('text/xml').send(await voice().campaignAnswered({ callSid: request.body.CallSid, campaignId: request.params.campaignId }));
    },
  );

  app.post(
    `${PREFIX}/campaigns/:campaignId/choice`,
    { ...webhook, schema: { ...webhook.schema, params: z.object({ campaignId }), body: voiceBody.extend({ Digits: digits.default(''), To: number }) } },
    async (request, reply) => {
      const twiml = await voice().campaignChoice({ callSid: request.body.CallSid, campaignId: request.params.campaignId, digits: request.body.Digits, to: request.body.To });
      return reply.type('text/xml').send(twiml);
    },
  );

  // The TwiML app's Voice URL: the console's Voice SDK dials a ticket from POST .../dials.
  app.post(`${PREFIX}/outbound`, { ...webhook, schema: { ...webhook.schema, body: voiceBody.extend({ From: number, To: number }) } }, async (request, reply) => {
    return reply.type('text/xml').send(await voice().outboundCall({ callSid: request.body.CallSid, from: request.body.From, to: request.body.To }));
  });

  app.post(`${PREFIX}/outbound-result`, dialResultRoute, async (request, reply) => {
    return reply.type('text/xml').send(await voice().outboundFinished(dialResult(request.body, request.query)));
  });

  app.post(`${PREFIX}/number-status`, legStatusRoute, async (request, reply) => {
    await voice().numberLegStatus(legStatus(request.body, request.query));
    return reply.code(204).send();
  });

  app.post(
    `${PREFIX}/dials`,
    {
      config: { auth: 'staff' },
      schema: {
        tags,
        summary: 'Ask to dial a claimed number from the console through Twilio',
        description:
          'Hotline decides as for a SIP phone (the number is claimed by the signed-in volunteer, inside its calling window, not on do-not-call). Allowed: a one-use ticket the Voice SDK dials within a minute, so the number never reaches the browser. Refused: the reason.',
        body: z.object({ target: z.string().min(1).max(400) }),
        response: { 200: z.union([z.object({ allowed: z.literal(true), ticket: z.string() }), z.object({ allowed: z.literal(false), reason: z.enum(OUTBOUND_REFUSALS) })]) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      authorize(actor, 'telephony.softphone');
      if (config.HOTLINE_TWILIO_CALLER_ID === undefined || config.HOTLINE_TWILIO_TWIML_APP_SID === undefined) {
        throw new AppError('TELEPHONY_NOT_CONFIGURED', 'Dialing out through Twilio needs HOTLINE_TWILIO_CALLER_ID and HOTLINE_TWILIO_TWIML_APP_SID');
      }
      return voice().dialTicket(actor.id, request.body.target);
    },
  );

  app.get(
    `${PREFIX}/token`,
    {
      config: { auth: 'staff' },
      schema: { tags, summary: 'A Voice SDK access token for the signed-in volunteer', response: { 200: z.object({ token: z.string(), identity: z.string(), ttlSeconds: z.number() }) } },
    },
    async (request) => {
      const actor = actorOf(request);
      authorize(actor, 'telephony.softphone');
      const { HOTLINE_TWILIO_API_KEY_SID: apiKeySid, HOTLINE_TWILIO_API_KEY_SECRET: apiKeySecret, HOTLINE_TWILIO_TWIML_APP_SID: twimlAppSid } = config;
      if (apiKeySid === undefined || apiKeySecret === undefined) throw new AppError('TELEPHONY_NOT_CONFIGURED', 'Twilio API key is not configured');
      const token = voiceAccessToken({ accountSid, apiKeySid, apiKeySecret, ...(twimlAppSid === undefined ? {} : { twimlAppSid }) }, actor.id);
      return { token, identity: actor.id, ttlSeconds: VOICE_TOKEN_TTL_SECONDS };
    },
  );
};
