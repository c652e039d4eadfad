import { z } from 'zod';
import { SubmitStatementInput } from '../../../shared/schemas/statements';

/** A counter's four numbers. */
export const CountsOut = z.object({ people: z.number(), party: z.number(), league: z.number(), pioneers: z.number() });

/** The public counter. */
export const CountersOut = z.object({
  total: CountsOut,
  today: CountsOut,
  day: z.string(),
  updatedAt: z.string(),
  checkpointSize: z.number().int().describe('The signed transparency-log checkpoint (its size, at /log/checkpoint) whose entries these counts are the sums of'),
});

/** The daily chart. */
export const DailyOut = z.object({ days: z.array(CountsOut.extend({ day: z.string() })) });

/** Totals by province (GB/T 2260 code, or 'abroad' / 'unknown'), with the names in each language. */
export const ProvincesOut = z.object({
  provinces: z.array(
    CountsOut.extend({
      provinceCode: z.string(),
      name: z.object({ en: z.string(), 'zh-Hans': z.string(), 'zh-Hant': z.string() }),
    }),
  ),
});

/** A published statement, public fields only. */
export const PublicStatementOut = z.object({
  sequence: z.number(),
  publicName: z.string(),
  provinceCode: z.string(),
  publishedAt: z.number(),
  day: z.string(),
  counts: CountsOut,
  text: z.string(),
  correctedAt: z.number().nullable().describe('when the counts, region or name were last corrected; null when never'),
});

/** A CST day in a URL. */
export const DaySchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a day as YYYY-MM-DD');

/**
 * `POST /api/public/statements`: the statement plus a solved proof of work (optional in the schema
 * so that a missing one is answered with ANTI_ABUSE_FAILED, like a wrong one). `website` is the
 * honeypot: a form hides it from people; anything in it marks a bot. The HTML form's token is not
 * accepted here.
 */
export const PublicSubmissionBody = SubmitStatementInput.extend({
  pow: z.object({ challenge: z.string().min(1).max(200), nonce: z.string().min(1).max(64) }).optional(),
  website: z.string().max(200).optional(),
});

/** A receipt code as typed. */
export const ReceiptLookupBody = z.object({
  code: z
    .string()
    .trim()
    .min(8)
    .max(32)
    .regex(/^[A-Za-z0-9 -]+$/, 'expected the code as given, e.g. K7QM-3XWD-P9RA'),
});

/** What a receipt code shows. */
export const ReceiptStatusOut = z.object({
  status: z.enum(['pending', 'published', 'rejected']),
  sequence: z.number().optional(),
  publishedAt: z.number().optional(),
  rejectionReason: z.string().optional(),
});

/** The JSON error shape (for documentation). */
export const ErrorOut = z.object({ error: z.looseObject({ code: z.string(), message: z.string() }) });

/**
 * Sends JSON text made beforehand (from memory) without serializing again: Fastify passes a string
 * with a JSON content type through untouched. The cast says "this text is that payload, serialized".
 */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the route decides the payload type
export function sendJsonText<Payload>(reply: { type(contentType: string): { send(payload: Payload): unknown } }, text: string): void {
  reply.type('application/json; charset=utf-8').send(text as unknown as Payload);
}
