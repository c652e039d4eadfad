import { newId } from '../auth/secrets';
import { type Actor, authorize } from '../auth/policy';
import { appendAudit } from '../audit/append-audit';
import { chinaDay } from '../counters/china-day';
import { lockRegistry, moveCounters } from '../counters/counter-change';
import { type Deps, inTransaction } from '../deps';
import type { StatementsTable } from '../../db/schema';
import { AppError } from '../../shared/app-error';
import { checkPseudonym, pseudonymProblemMessages } from '../../shared/pseudonym';
import { provinceOf, isSpecialRegionInput } from '../../shared/regions';
import { RegisterStatementInput, type StatementStatus, countsOf } from '../../shared/schemas/statements';
import { REAL_NAME_CONTEXT, newReceiptCode, publicNameForRealName, realNameIndex, receiptHash, redactStatementText } from './statement-fields';
import { detectThreats } from './threats';

/** What registering a statement answers. */
export interface RegisteredStatement {
  id: string;
  status: StatementStatus;
  /**
   * The receipt code, shown to the submitter once. `null` when this call replayed an earlier
   * registration with the same `clientId`: the code is never stored, so it cannot be shown again.
   */
  receiptCode: string | null;
  publicName: string;
  /** Public number, when published. */
  sequence: number | null;
}

/** Who is registering: a staff member, the operator's CLI (null), or the public form. */
export type StatementSource = { kind: 'staff'; actor: Actor } | { kind: 'operator' } | { kind: 'public' };

/** A statement checked, encrypted and ready to insert: everything that can fail on input failed already. */
export interface PreparedStatement {
  row: StatementsTable;
  receiptCode: string;
  registeredBy: string | null;
}

function refuseName(field: 'name' | 'realName', name: string): string {
  const check = checkPseudonym(name);
  if (!check.ok) {
    throw new AppError('NAME_REFUSED', `${field}: ${pseudonymProblemMessages[check.reason].en}`, { details: { field, reason: check.reason } });
  }
  return check.normalized;
}

/**
 * Validates and encrypts one statement without touching the database, so that a batch (group
 * commit, import) can refuse bad input before its transaction starts. Throws VALIDATION_FAILED or
 * NAME_REFUSED; neither message holds the input's values.
 */
export function prepareStatement(deps: Pick<Deps, 'keyring' | 'clock'>, options: { source: StatementSource; input: unknown }): PreparedStatement {
  const { source } = options;
  if (source.kind === 'staff') authorize(source.actor, 'statement.register', undefined, deps.clock());
  const parsed = RegisterStatementInput.safeParse(options.input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
    throw new AppError('VALIDATION_FAILED', `Invalid statement: ${issues.map((i) => `${i.path || 'statement'}: ${i.message}`).join('; ')}`, { details: { issues } });
  }
  const input = parsed.data;
  if (source.kind === 'public' && (input.provenance.kind !== 'self' || input.channel !== 'web')) {
    throw new AppError('VALIDATION_FAILED', 'A public submission is self-submitted through the web');
  }
  const name = refuseName('name', input.name);
  const realName = input.nameKind === 'real' ? name : input.realName === undefined ? undefined : refuseName('realName', input.realName);
  const threats = detectThreats(input.name, input.text, input.provenance.kind === 'volunteer' ? (input.provenance.relation ?? '') : '');
  const isTrusted = source.kind !== 'public' && input.provenance.kind === 'volunteer';
  const status: StatementStatus = threats.length > 0 ? 'held' : isTrusted ? 'published' : 'pending';
  const counts = countsOf(input.cohorts);
  const now = deps.clock();
  const region = input.region;
  const provinceCode = isSpecialRegionInput(region) ? region : (provinceOf(region)?.code ?? 'unknown');
  const registeredBy = source.kind === 'staff' ? source.actor.id : null;
  const receiptCode = newReceiptCode();
  const provenance = input.provenance;
  return {
    receiptCode,
    registeredBy,
    row: {
      id: newId(),
      client_id: input.clientId ?? null,
      status,
      name_kind: input.nameKind,
      public_name: input.nameKind === 'real' ? publicNameForRealName(name) : name,
      real_name_enc: realName === undefined ? null : deps.keyring.encrypt(realName, REAL_NAME_CONTEXT),
      real_name_index: realName === undefined ? null : realNameIndex(deps.keyring, realName),
      region_code: region,
      province_code: provinceCode,
      occupation: input.occupation ?? null,
      channel: input.channel,
      text: redactStatementText(input.text, realName),
      cohorts: JSON.stringify(input.cohorts),
      ...counts,
      provenance: provenance.kind,
      registered_by: registeredBy,
      call_id: provenance.kind === 'volunteer' ? (provenance.callId ?? null) : null,
      consent: provenance.kind === 'volunteer' ? provenance.consent : 'personal',
      relation: provenance.kind === 'volunteer' ? (provenance.relation ?? null) : null,
      hold_reason: threats.length > 0 ? threats.join(',') : null,
      rejection_reason: null,
      duplicate_of: null,
      sequence: null,
      published_at: null,
      published_day: null,
      moderated_by: null,
      moderated_at: null,
      created_at: now,
      updated_at: now,
    },
  };
}

/**
 * Stores a prepared statement in the caller's transaction (joins `deps.store`'s transaction or
 * opens one): the row, its receipt hash, its counters when published at once, and an audit entry.
 * A `clientId` seen before returns the earlier statement with `receiptCode: null` (and refuses
 * with CONFLICT when another person registered it).
 */
export async function storePreparedStatement(deps: Deps, prepared: PreparedStatement): Promise<RegisteredStatement> {
  return deps.store.transaction(async (tx) => {
    const txDeps = inTransaction(deps, tx);
    await lockRegistry(txDeps);
    const row = { ...prepared.row };
    const now = deps.clock();
    if (row.status === 'published') {
      row.sequence = (await tx.registry.statements.maxSequence()) + 1;
      row.published_at = now;
      row.published_day = chinaDay(now);
    }
    const inserted = await tx.registry.statements.insert(row);
    if (!inserted) {
      const earlier = row.client_id === null ? undefined : await tx.registry.statements.findByClientId(row.client_id);
      if (!earlier || earlier.registered_by !== prepared.registeredBy) throw new AppError('CONFLICT', 'This client id was already used for another statement');
      return { id: earlier.id, status: earlier.status as StatementStatus, receiptCode: null, publicName: earlier.public_name, sequence: earlier.sequence };
    }
    await tx.registry.receipts.insert(receiptHash(deps.keyring, prepared.receiptCode), row.id, now);
    if (row.status === 'published' && row.published_day !== null) {
      await moveCounters(txDeps, { ...row, provinceCode: row.province_code, day: row.published_day }, 1);
    }
    await appendAudit(txDeps, {
      actorId: prepared.registeredBy,
      action: 'statement.registered',
      entityType: 'statement',
      entityId: row.id,
      details: { status: row.status, channel: row.channel, people: row.people, provenance: row.provenance },
    });
    return { id: row.id, status: row.status as StatementStatus, receiptCode: prepared.receiptCode, publicName: row.public_name, sequence: row.sequence };
  });
}

/**
 * Registers one statement. Staff (or the operator's CLI, `actor: null`) registering with volunteer
 * provenance publish at once (a trusted channel) and count it; self-submitted statements wait as
 * `pending`; anything that reads as a threat is `held` for an admin. Joins an outer transaction.
 * Idempotent on `input.clientId`: a replay returns the same statement with `receiptCode: null`.
 */
export async function registerStatement(deps: Deps, options: { actor: Actor | null; input: RegisterStatementInput }): Promise<RegisteredStatement> {
  const source: StatementSource = options.actor ? { kind: 'staff', actor: options.actor } : { kind: 'operator' };
  return storePreparedStatement(deps, prepareStatement(deps, { source, input: options.input }));
}
