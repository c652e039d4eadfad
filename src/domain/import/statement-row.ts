import { z } from 'zod';
import { Cohort, Organization, type Provenance } from '../../shared/schemas/statements';

/**
 * The CSV columns `hotline import statements` reads, in the documented order. Extra columns are an
 * error (a typo would otherwise silently drop data); `occupation`, `relation` and `text` may be empty.
 *
 * - `id`: the statement's id in the source system (letters, digits, `._:-`, at most 56). It becomes
 *   the statement's client id, which is unique: importing the same row twice never registers twice.
 * - `registered_at`: ISO 8601 (`2019-03-02T08:15:00+08:00`, `...Z`) or a date (`2019-03-02`, taken
 *   as midnight China Standard Time). Counters per day use it.
 * - `name_kind`: `pseudonym` or `real`; `name`: the pseudonym or the real name (encrypted).
 * - `cohorts`: who is covered, `count:org+org;count:org`, e.g. `1:party+league+pioneers` for one
 *   person, `8:party;11:league+pioneers` for 19 people registered under one name.
 * - `region`: a GB/T 2260 code (province, prefecture or county), `abroad` or `unknown`.
 * - `channel`: web, hotline, outbound, service_point, email, letter, fax, volunteer_batch.
 * - `provenance`: `self`, `personal` (registered by a volunteer, the person agreed personally) or
 *   `named_by_other` (named by someone else; `relation` says how they are related).
 */
export const CSV_COLUMNS = ['id', 'registered_at', 'name_kind', 'name', 'cohorts', 'region', 'occupation', 'channel', 'provenance', 'relation', 'text'] as const;

/** Columns a CSV may add: `real_name`, the real name behind a pseudonym (encrypted, never public). */
export const OPTIONAL_CSV_COLUMNS = ['real_name'] as const;

/** One column name of the import CSV. */
export type CsvColumn = (typeof CSV_COLUMNS)[number] | (typeof OPTIONAL_CSV_COLUMNS)[number];

/** Longest CSV record or JSON line accepted, in bytes: a longer one is a bad row, never a memory spike. */
export const MAX_RECORD_BYTES = 16 * 1024;

/** Earliest registration date accepted: the registry began in December 2004. */
const EARLIEST = Date.UTC(2004, 0, 1);

const SourceId = z
  .string()
  .trim()
  .min(1, 'id is missing')
  .max(56, 'id is longer than 56 characters')
  .regex(/^[A-Za-z0-9._:-]+$/, 'id may hold only letters, digits and . _ : -');

/** An id `SourceId` accepts as it is (nothing to trim), checked without zod for speed. */
const SOURCE_ID_SHAPE = /^[A-Za-z0-9._:-]{1,56}$/;

const ORGANIZATIONS = new Set<string>(Organization.options);

/** One statement ready to store: the validated input and its original registration time. */
export interface ImportRow {
  /** The id in the source system, as given. */
  sourceId: string;
  /** A candidate `RegisterStatementInput` (not yet validated) with `clientId` derived from the source id. */
  input: Record<string, unknown> & { clientId: string };
  /** Original registration time, ms since epoch. */
  registeredAt: number;
}

/** A row that parsed, or the reason it did not (safe to write to a file: never the row's values). */
export type RowResult = { ok: true; row: ImportRow } | { ok: false; id: string; reason: string };

/** The client id an imported row is stored under: one namespace, so it never collides with the console's. */
export function clientIdOf(sourceId: string): string {
  return `${IMPORT_PREFIX}${sourceId}`;
}

/** The source id of an imported row's client id (see `clientIdOf`). */
export function sourceIdOf(clientId: string): string {
  return clientId.slice(IMPORT_PREFIX.length);
}

const IMPORT_PREFIX = 'import:';

/** Parses `registered_at`: ISO date-time with zone, or a date at midnight China Standard Time. */
export function parseRegisteredAt(value: string, now: number): number | string {
  const text = value.trim();
  let ms: number;
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) ms = Date.parse(`${text}T00:00:00+08:00`);
  else if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})$/.test(text)) ms = Date.parse(text.replace(' ', 'T'));
  else return 'registered_at: expected an ISO 8601 date-time with a zone or a YYYY-MM-DD date';
  if (Number.isNaN(ms)) return 'registered_at: not a real date';
  if (ms < EARLIEST) return 'registered_at: before 2004';
  if (ms > now + 60_000) return 'registered_at: in the future';
  return ms;
}

/**
 * Parses `8:party;11:league+pioneers` into cohorts (frozen: the same ones come back for the same
 * text), or returns the reason it cannot. An import has millions of rows and a few hundred
 * distinct cohort texts, so the answers are remembered (a few thousand at most).
 */
export function parseCohorts(value: string): readonly Cohort[] | string {
  const known = cohortTexts.get(value);
  if (known !== undefined) return known;
  const parsed = parseCohortsOnce(value);
  const answer = typeof parsed === 'string' ? parsed : deepFreeze(parsed);
  if (cohortTexts.size >= COHORT_TEXTS_KEPT) cohortTexts.clear();
  cohortTexts.set(value, answer);
  return answer;
}

const cohortTexts = new Map<string, readonly Cohort[] | string>();
const COHORT_TEXTS_KEPT = 4096;

function deepFreeze(cohorts: Cohort[]): readonly Cohort[] {
  for (const cohort of cohorts) {
    Object.freeze(cohort.organizations);
    Object.freeze(cohort);
  }
  return Object.freeze(cohorts);
}

function parseCohortsOnce(value: string): Cohort[] | string {
  const parts = value.trim().split(';').filter((part) => part.trim() !== '');
  if (parts.length === 0) return 'cohorts: missing (e.g. 1:party or 8:party;11:league+pioneers)';
  if (parts.length > 10) return 'cohorts: more than 10 groups';
  const cohorts: Cohort[] = [];
  for (const part of parts) {
    const match = /^\s*(\d{1,5})\s*:\s*([a-z+ ]+)\s*$/.exec(part);
    if (!match) return 'cohorts: expected count:organization[+organization], e.g. 8:party;11:league+pioneers';
    const organizations = (match[2] ?? '').split('+').map((name) => name.trim());
    const count = Number(match[1]);
    // Most rows are well formed: check them directly, and ask zod only to word what is wrong.
    if (count >= 1 && count <= 10_000 && organizations.length <= 3 && organizations.every((name) => ORGANIZATIONS.has(name))) {
      cohorts.push({ count, organizations: organizations as Cohort['organizations'] });
      continue;
    }
    const parsed = Cohort.safeParse({ count, organizations });
    if (!parsed.success) {
      const unknown = organizations.find((name) => !Organization.safeParse(name).success);
      return unknown === undefined ? 'cohorts: a count must be between 1 and 10000' : 'cohorts: organizations are party, league and pioneers';
    }
    cohorts.push(parsed.data);
  }
  return cohorts;
}

function provenanceOf(kind: string, relation: string): Provenance | string {
  const trimmed = relation.trim();
  if (kind === 'self') return { kind: 'self' };
  if (kind === 'personal') return { kind: 'volunteer', consent: 'personal' };
  if (kind === 'named_by_other') return trimmed === '' ? { kind: 'volunteer', consent: 'named_by_other' } : { kind: 'volunteer', consent: 'named_by_other', relation: trimmed };
  return 'provenance: expected self, personal or named_by_other';
}

/** The first problem zod found, as `field: message` (zod's messages never repeat the value). */
function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const field = issue.path.join('.') || 'row';
  return `${field}: ${issue.message}`;
}

/**
 * Checks the row's id and attaches the client id derived from it (to `candidate` itself, which
 * the caller built for this row). Everything else about the statement is checked by
 * registration's own `prepareStatement` when the batch is stored, so an import refuses exactly
 * what the console and the API refuse.
 */
export function withSourceId(sourceId: unknown, candidate: Record<string, unknown>, registeredAt: number): RowResult {
  if (typeof sourceId === 'string' && SOURCE_ID_SHAPE.test(sourceId)) {
    // The candidate is the caller's own object: the client id is added to it (a spread copy cost more than every check of the row).
    candidate.clientId = clientIdOf(sourceId);
    return { ok: true, row: { sourceId, input: candidate as ImportRow['input'], registeredAt } };
  }
  const id = SourceId.safeParse(sourceId);
  const shownId = typeof sourceId === 'string' ? sourceId.slice(0, 56).replace(/[^A-Za-z0-9._:-]/g, '?') : '';
  if (!id.success) return { ok: false, id: shownId, reason: describeIssue(id.error) };
  return { ok: true, row: { sourceId: id.data, input: { ...candidate, clientId: clientIdOf(id.data) }, registeredAt } };
}

/** Turns one CSV record (column -> text) into a statement, or the reason it is bad. */
export function rowFromCsv(record: Partial<Record<CsvColumn, string>>, now: number): RowResult {
  const id = record.id ?? '';
  const missing = CSV_COLUMNS.filter((column) => record[column] === undefined);
  const realName = (record.real_name ?? '').trim();
  if (missing.length > 0) return { ok: false, id, reason: `missing column(s): ${missing.join(', ')}` };
  const registeredAt = parseRegisteredAt(record.registered_at ?? '', now);
  if (typeof registeredAt === 'string') return { ok: false, id, reason: registeredAt };
  const cohorts = parseCohorts(record.cohorts ?? '');
  if (typeof cohorts === 'string') return { ok: false, id, reason: cohorts };
  const provenance = provenanceOf((record.provenance ?? '').trim(), record.relation ?? '');
  if (typeof provenance === 'string') return { ok: false, id, reason: provenance };
  const occupation = (record.occupation ?? '').trim();
  const candidate: Record<string, unknown> = { nameKind: (record.name_kind ?? '').trim(), name: record.name };
  if (realName !== '') candidate.realName = realName;
  candidate.cohorts = cohorts;
  candidate.region = (record.region ?? '').trim();
  if (occupation !== '') candidate.occupation = occupation;
  candidate.channel = (record.channel ?? '').trim();
  candidate.text = record.text ?? '';
  candidate.provenance = provenance;
  return withSourceId(id, candidate, registeredAt);
}

const JsonLine = z.looseObject({
  id: z.string().optional(),
  clientId: z.string().optional(),
  registeredAt: z.union([z.string(), z.number()]),
});

/**
 * Turns one JSONL object into a statement: a `RegisterStatementInput` plus `id` (or `clientId`) and
 * `registeredAt` (ISO string as in CSV, or ms since epoch).
 */
export function rowFromJson(value: unknown, now: number): RowResult {
  const head = JsonLine.safeParse(value);
  if (!head.success) {
    const shown = typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string' ? (value as { id: string }).id : '';
    return { ok: false, id: shown.slice(0, 56), reason: describeIssue(head.error) };
  }
  const { id, clientId, registeredAt: rawAt, ...rest } = head.data;
  const sourceId = id ?? clientId ?? '';
  let registeredAt: number | string;
  if (typeof rawAt === 'number') {
    registeredAt = Number.isInteger(rawAt) && rawAt >= EARLIEST && rawAt <= now + 60_000 ? rawAt : 'registeredAt: out of range';
  } else {
    registeredAt = parseRegisteredAt(rawAt, now);
  }
  if (typeof registeredAt === 'string') return { ok: false, id: sourceId.slice(0, 56), reason: registeredAt };
  return withSourceId(sourceId, rest, registeredAt);
}
