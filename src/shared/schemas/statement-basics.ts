import { z } from 'zod';
import { CHANNELS, OCCUPATIONS } from './values';

// The statement fields that need no region data, so that the console can use them without
// bundling the GB/T 2260 tables (statements.ts re-exports all of them).

/** The three organizations a person may leave. */
export const Organization = z.enum(['party', 'league', 'pioneers']);
export type Organization = z.infer<typeof Organization>;

/** Whether a statement is made under a pseudonym or the person's real name. */
export const NameKind = z.enum(['pseudonym', 'real']);
export type NameKind = z.infer<typeof NameKind>;

/** How a statement reached the registry. */
export const Channel = z.enum(CHANNELS);
export type Channel = z.infer<typeof Channel>;

/** Occupation categories a statement may carry (optional). */
export const Occupation = z.enum(OCCUPATIONS);
export type Occupation = z.infer<typeof Occupation>;

/** Moderation state. */
export const StatementStatus = z.enum(['pending', 'held', 'published', 'rejected', 'duplicate', 'withdrawn']);
export type StatementStatus = z.infer<typeof StatementStatus>;

/**
 * Who is covered: one entry per cohort. An individual is `[{ count: 1, organizations: [...] }]`;
 * "19 people: 8 party, 11 League/Pioneers" is `[{ count: 8, organizations: ['party'] },
 * { count: 11, organizations: ['league', 'pioneers'] }]`.
 */
export const Cohort = z.object({
  count: z.number().int().min(1).max(10_000),
  organizations: z.array(Organization).min(1).max(3),
});
export type Cohort = z.infer<typeof Cohort>;
