import { z } from 'zod';
import { RegionInputSchema, isValidRegionInput } from '../regions';

export { Channel, Cohort, NameKind, Occupation, Organization, StatementStatus } from './statement-basics';
import { Cohort, NameKind, Occupation, Organization, Channel } from './statement-basics';

/** Who registered the statement and whether the person agreed personally. */
export const Provenance = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('self') }),
  z.object({
    kind: z.literal('volunteer'),
    callId: z.string().min(1).max(64).optional(),
    consent: z.enum(['personal', 'named_by_other']),
    /** How the person who named them is related (co-worker, family member ...), when named by another. */
    relation: z.string().trim().max(60).optional(),
  }),
]);
export type Provenance = z.infer<typeof Provenance>;

/** One statement to register (from the console, an import, or the public form after its checks). */
export const RegisterStatementInput = z.object({
  /** Client-generated id: a retried save never registers twice. */
  clientId: z.string().min(8).max(64).optional(),
  nameKind: NameKind,
  /** The pseudonym, or the real name (encrypted; the public sees it masked). */
  name: z.string().trim().min(1).max(100),
  /** With a pseudonym: the real name when the person gave it too (encrypted, never public; finds duplicates). */
  realName: z.string().trim().min(1).max(100).optional(),
  cohorts: z.array(Cohort).min(1).max(10),
  region: RegionInputSchema,
  occupation: Occupation.optional(),
  channel: Channel,
  text: z.string().trim().max(2000).default(''),
  provenance: Provenance,
});
export type RegisterStatementInput = z.infer<typeof RegisterStatementInput>;

const NAME_KINDS = new Set<string>(NameKind.options);
const ORGANIZATIONS = new Set<string>(Organization.options);
const OCCUPATION_SET = new Set<string>(Occupation.options);
const CHANNELS = new Set<string>(Channel.options);
const CONSENTS = new Set(['personal', 'named_by_other']);

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
/** `value` trimmed when it is a string whose trimmed length is within bounds. */
const trimmedWithin = (value: unknown, min: number, max: number): string | undefined => {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed.length >= min && trimmed.length <= max ? trimmed : undefined;
};

function plainCohorts(value: unknown): Cohort[] | undefined {
  if (!Array.isArray(value) || value.length < 1 || value.length > 10) return undefined;
  const cohorts: Cohort[] = [];
  for (const cohort of value) {
    if (!isRecord(cohort)) return undefined;
    const { count, organizations } = cohort;
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > 10_000) return undefined;
    if (!Array.isArray(organizations) || organizations.length < 1 || organizations.length > 3) return undefined;
    if (!organizations.every((organization) => typeof organization === 'string' && ORGANIZATIONS.has(organization))) return undefined;
    cohorts.push({ count, organizations: organizations.slice() as Organization[] });
  }
  return cohorts;
}

function plainProvenance(value: unknown): Provenance | undefined {
  if (!isRecord(value)) return undefined;
  if (value.kind === 'self') return { kind: 'self' };
  if (value.kind !== 'volunteer' || typeof value.consent !== 'string' || !CONSENTS.has(value.consent)) return undefined;
  let callId: string | undefined;
  if ('callId' in value) {
    if (typeof value.callId !== 'string' || value.callId.length < 1 || value.callId.length > 64) return undefined;
    callId = value.callId;
  }
  let relation: string | undefined;
  if ('relation' in value) {
    relation = trimmedWithin(value.relation, 0, 60);
    if (relation === undefined) return undefined;
  }
  // Keys assigned one by one: a conditional spread costs more here than all the checks.
  const provenance = { kind: 'volunteer' } as Extract<Provenance, { kind: 'volunteer' }>;
  if (callId !== undefined) provenance.callId = callId;
  provenance.consent = value.consent as 'personal' | 'named_by_other';
  if (relation !== undefined) provenance.relation = relation;
  return provenance;
}

/**
 * The input when it is plainly valid, built as `RegisterStatementInput` builds it (same rules,
 * same trimming, unknown keys dropped, keys in the schema's order, an optional key given as
 * undefined left out); undefined when anything is unusual, for zod to decide and word.
 */
function plainRegisterStatementInput(input: unknown): RegisterStatementInput | undefined {
  if (!isRecord(input)) return undefined;
  const { clientId, nameKind, occupation, channel } = input;
  if (clientId !== undefined && (typeof clientId !== 'string' || clientId.length < 8 || clientId.length > 64)) return undefined;
  if (typeof nameKind !== 'string' || !NAME_KINDS.has(nameKind)) return undefined;
  const name = trimmedWithin(input.name, 1, 100);
  const realName = input.realName === undefined ? undefined : trimmedWithin(input.realName, 1, 100);
  if (name === undefined || (input.realName !== undefined && realName === undefined)) return undefined;
  const cohorts = plainCohorts(input.cohorts);
  const region = typeof input.region === 'string' ? input.region.trim() : undefined;
  if (cohorts === undefined || region === undefined || !isValidRegionInput(region)) return undefined;
  if (occupation !== undefined && (typeof occupation !== 'string' || !OCCUPATION_SET.has(occupation))) return undefined;
  if (typeof channel !== 'string' || !CHANNELS.has(channel)) return undefined;
  const text = input.text === undefined ? '' : trimmedWithin(input.text, 0, 2000);
  const provenance = plainProvenance(input.provenance);
  if (text === undefined || provenance === undefined) return undefined;
  // In the schema's key order; keys assigned one by one (see plainProvenance).
  const parsed = {} as RegisterStatementInput;
  if (clientId !== undefined) parsed.clientId = clientId;
  parsed.nameKind = nameKind as NameKind;
  parsed.name = name;
  if (realName !== undefined) parsed.realName = realName;
  parsed.cohorts = cohorts;
  parsed.region = region;
  if (occupation !== undefined) parsed.occupation = occupation as Occupation;
  parsed.channel = channel as Channel;
  parsed.text = text;
  parsed.provenance = provenance;
  return parsed;
}

/**
 * `RegisterStatementInput.safeParse`, a few times faster for plainly valid input (an import of
 * millions of rows): such input is checked and built by hand, by the schema's own rules; anything
 * else goes to zod, which decides and words the errors. The two agree on generated and mutated
 * inputs (statements.test.ts).
 */
export function parseRegisterStatementInput(input: unknown): ReturnType<typeof RegisterStatementInput.safeParse> {
  const plain = plainRegisterStatementInput(input);
  return plain === undefined ? RegisterStatementInput.safeParse(input) : { success: true, data: plain, error: undefined };
}

/** People and per-organization counts a statement adds to the counters. */
export interface StatementCounts {
  people: number;
  party: number;
  league: number;
  pioneers: number;
}

/** Sums cohorts into the counts the counters use. */
export function countsOf(cohorts: readonly Cohort[]): StatementCounts {
  const counts: StatementCounts = { people: 0, party: 0, league: 0, pioneers: 0 };
  for (const cohort of cohorts) {
    counts.people += cohort.count;
    for (const organization of new Set(cohort.organizations)) counts[organization] += cohort.count;
  }
  return counts;
}

/**
 * What the public form sends (JSON or the no-JS form): one name, 1-3 organizations that all
 * `peopleCount` people leave, where they are, an optional text, and consent to publish.
 */
export const SubmitStatementInput = z.object({
  nameKind: NameKind,
  name: z.string().trim().min(1).max(100),
  organizations: z.array(Organization).min(1).max(3).refine((list) => new Set(list).size === list.length, 'each organization once'),
  peopleCount: z.coerce.number().int().min(1).max(1000),
  region: RegionInputSchema,
  occupation: Occupation.optional(),
  text: z.string().trim().max(2000).default(''),
  consent: z.literal(true, { message: 'consent is required' }),
});
export type SubmitStatementInput = z.infer<typeof SubmitStatementInput>;

/** A submitted statement as a `RegisterStatementInput` (self-submitted through the web). */
export function registerInputOfSubmission(input: SubmitStatementInput): RegisterStatementInput {
  return {
    nameKind: input.nameKind,
    name: input.name,
    cohorts: [{ count: input.peopleCount, organizations: input.organizations }],
    region: input.region,
    ...(input.occupation ? { occupation: input.occupation } : {}),
    channel: 'web',
    text: input.text,
    provenance: { kind: 'self' },
  };
}
