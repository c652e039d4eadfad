import { z } from 'zod';
import { RegionInputSchema } from '../regions';

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
