import { z } from 'zod';
import { CallOutcome } from './calls';
import { SPOKEN_LANGUAGES } from '../spoken-languages';

/** Kinds of organization a call list number belongs to. */
export const ListCategory = z.enum([
  'county_government',
  'government',
  'police',
  'procuratorate',
  'court',
  'school',
  'hospital',
  'company',
  'home',
  'other',
]);
export type ListCategory = z.infer<typeof ListCategory>;

/** Why a CSV row was refused, as a code the console and the CLI translate. */
export const ImportProblem = z.enum([
  /** The row has a different number of fields than the header. */
  'ROW_MALFORMED',
  /** A quotation mark inside an unquoted field, or text after a closing quote. */
  'ROW_QUOTES_INVALID',
  'NUMBER_MISSING',
  'NUMBER_INVALID',
  'NUMBER_TOO_SHORT',
  'NUMBER_TOO_LONG',
  'ORGANIZATION_MISSING',
  'FIELD_TOO_LONG',
  'CATEGORY_UNKNOWN',
  'REGION_UNKNOWN',
  'DUPLICATE_IN_FILE',
  'ALREADY_IN_LIST',
  'DO_NOT_CALL',
]);
export type ImportProblem = z.infer<typeof ImportProblem>;

/** Call outcomes: the console's call record codes, one list for both. */
export { CallOutcome } from './calls';

/** Outcomes after which the number is tried again (if attempts remain). */
export const RETRYABLE_OUTCOMES: readonly CallOutcome[] = ['no_answer', 'busy', 'hung_up', 'callback_requested'];

const minuteOfDay = z.number().int().min(0).max(1440);

/** A new campaign. The calling window is in China time (UTC+8), minutes after midnight. */
export const CreateCampaignInput = z
  .object({
    name: z.string().trim().min(1).max(120),
    listIds: z.array(z.string().min(1).max(64)).min(1).max(50),
    scriptId: z.string().min(1).max(64).nullable().default(null),
    windowStartMinute: minuteOfDay.default(8 * 60),
    windowEndMinute: minuteOfDay.default(21 * 60),
    maxAttempts: z.number().int().min(1).max(20).default(3),
    retrySpacingMinutes: z.number().int().min(0).max(60 * 24 * 14).default(240),
    priority: z.number().int().min(0).max(100).default(50),
  })
  .refine((value) => value.windowStartMinute < value.windowEndMinute, { message: 'the window must start before it ends', path: ['windowEndMinute'] });
export type CreateCampaignInput = z.input<typeof CreateCampaignInput>;

/** A volunteer asking for numbers. */
export const ClaimBatchInput = z.object({ size: z.number().int().min(1).max(50).default(10) });

/** Giving numbers back. */
export const ReleaseInput = z.object({ taskIds: z.array(z.string().min(1).max(200)).min(1).max(50) });

/** The outcome of one attempt at a task. */
export const RecordAttemptInput = z.object({ outcome: CallOutcome, callId: z.string().min(1).max(64).optional() });

/** A number for the do-not-call list. */
export const DoNotCallInput = z.object({ number: z.string().trim().min(3).max(40), reason: z.string().trim().max(200).optional() });

/** A weekly shift slot in the volunteer's own time zone. */
export const ShiftSlotInput = z.object({
  /** 0 = Monday ... 6 = Sunday, in `timeZone`. */
  weekday: z.number().int().min(0).max(6),
  startMinute: z.number().int().min(0).max(1439),
  durationMinutes: z.number().int().min(15).max(24 * 60),
  timeZone: z.string().min(1).max(64),
  /** Coordinators may assign a slot to someone else. */
  userId: z.string().min(1).max(64).optional(),
});

/** Minimum volunteers for some hours of the week (UTC hour of week 0..167). */
export const ShiftMinimumInput = z.object({
  hoursOfWeekUtc: z.array(z.number().int().min(0).max(167)).min(1).max(168),
  minimum: z.number().int().min(0).max(100),
});

/** A language a volunteer can take calls in (see SPOKEN_LANGUAGES). */
export const SpokenLanguage = z.enum(SPOKEN_LANGUAGES);
export type SpokenLanguage = z.infer<typeof SpokenLanguage>;

/** The languages a volunteer speaks: at least one, each once. */
export const SpokenLanguagesInput = z.object({
  languages: z
    .array(SpokenLanguage)
    .min(1)
    .max(SpokenLanguage.options.length)
    .transform((languages) => [...new Set(languages)]),
});

/** A presence a volunteer chooses; without `languages`, the ones they saved last are used. */
export const ChosenPresenceInput = z.object({
  presence: z.enum(['available', 'break', 'offline']),
  languages: SpokenLanguagesInput.shape.languages.optional(),
});
