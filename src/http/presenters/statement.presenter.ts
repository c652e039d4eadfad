import type { Keyring } from '../../crypto/keyring';
import type { PublicStatementRow, StatementRow } from '../../db/repositories/registry/index';
import { REAL_NAME_CONTEXT } from '../../domain/statements/statement-fields';
import type { Cohort } from '../../shared/schemas/statements';

/** A published statement as the public sees it. */
export interface PresentedPublicStatement {
  sequence: number;
  publicName: string;
  provinceCode: string;
  publishedAt: number;
  day: string;
  counts: { people: number; party: number; league: number; pioneers: number };
  text: string;
  /** When its counts, region or name were last corrected (null: never). */
  correctedAt: number | null;
}

/** The only place a published row becomes public output: public fields only. */
export function presentPublicStatement(row: PublicStatementRow): PresentedPublicStatement {
  return {
    sequence: row.sequence ?? 0,
    publicName: row.public_name,
    provinceCode: row.province_code,
    publishedAt: row.published_at ?? 0,
    day: row.published_day ?? '',
    counts: { people: row.people, party: row.party, league: row.league, pioneers: row.pioneers },
    text: row.text,
    correctedAt: row.corrected_at,
  };
}

/** A statement as staff see it. */
// A type alias (not an interface) so it fits the loose response schema's index signature.
export type PresentedStatement = {
  id: string;
  status: string;
  nameKind: string;
  publicName: string;
  /** Only with `statement.read-real-name`; null when none was given. */
  realName?: string | null;
  hasRealName: boolean;
  regionCode: string;
  provinceCode: string;
  occupation: string | null;
  channel: string;
  text: string;
  cohorts: Cohort[];
  counts: { people: number; party: number; league: number; pioneers: number };
  provenance: { kind: string; registeredBy: string | null; callId: string | null; consent: string | null; relation: string | null };
  holdReason: string | null;
  rejectionReason: string | null;
  duplicateOf: string | null;
  sequence: number | null;
  publishedAt: number | null;
  day: string | null;
  createdAt: number;
  correctedAt: number | null;
  correctedBy: string | null;
};

/**
 * The only place a statement row becomes staff output; the real name is decrypted only when the
 * caller holds `statement.read-real-name`.
 */
export function presentStatement(row: StatementRow, options: { keyring: Keyring; canReadRealName: boolean }): PresentedStatement {
  return {
    id: row.id,
    status: row.status,
    nameKind: row.name_kind,
    publicName: row.public_name,
    ...(options.canReadRealName ? { realName: row.real_name_enc ? options.keyring.decrypt(row.real_name_enc, REAL_NAME_CONTEXT) : null } : {}),
    hasRealName: row.real_name_enc !== null,
    regionCode: row.region_code,
    provinceCode: row.province_code,
    occupation: row.occupation,
    channel: row.channel,
    text: row.text,
    cohorts: JSON.parse(row.cohorts) as Cohort[],
    counts: { people: row.people, party: row.party, league: row.league, pioneers: row.pioneers },
    provenance: { kind: row.provenance, registeredBy: row.registered_by, callId: row.call_id, consent: row.consent, relation: row.relation },
    holdReason: row.hold_reason,
    rejectionReason: row.rejection_reason,
    duplicateOf: row.duplicate_of,
    sequence: row.sequence,
    publishedAt: row.published_at,
    day: row.published_day,
    createdAt: row.created_at,
    correctedAt: row.corrected_at,
    correctedBy: row.corrected_by,
  };
}
