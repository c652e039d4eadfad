import { newId } from '../auth/secrets';
import { type Actor, authorize } from '../auth/policy';
import { appendAudit } from '../audit/append-audit';
import { chinaDay } from '../counters/china-day';
import { applyCounterDeltas, countersOf, lockRegistry } from '../counters/counter-change';
import { logPublished } from '../transparency/log-writer';
import { type Deps, inTransaction } from '../deps';
import type { StatementRow } from '../../db/repositories/registry/index';
import type { StatementsTable } from '../../db/schema';
import { AppError } from '../../shared/app-error';
import { checkPseudonym, checkRealName, pseudonymProblemMessages } from '../../shared/pseudonym';
import { provinceOf, isSpecialRegionInput } from '../../shared/regions';
import { type RegisterStatementInput, type StatementStatus, countsOf, parseRegisterStatementInput } from '../../shared/schemas/statements';
import {
  REAL_NAME_CONTEXT,
  newReceiptCode,
  publicNameForRealName,
  realNameIndex,
  receiptHash,
  redactStatementText,
} from './statement-fields';
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
  /** The code to show the submitter once; null when none is given (imported statements). */
  receiptCode: string | null;
  registeredBy: string | null;
}

// A real name is whatever the person is called (丽丽 and "Bo" are real names): checkRealName refuses
// only what no one is called (digits, keyboard runs, symbols, placeholders, absurd length).
function refuseName(field: 'name' | 'realName', name: string, isRealName: boolean): string {
  const check = isRealName ? checkRealName(name) : checkPseudonym(name);
  if (!check.ok) {
    throw new AppError('NAME_REFUSED', `${field}: ${pseudonymProblemMessages[check.reason].en}`, {
      details: { field, reason: check.reason },
    });
  }
  return check.normalized;
}

/**
 * Validates and encrypts one statement without touching the database, so that a batch (group
 * commit, import) can refuse bad input before its transaction starts. Throws VALIDATION_FAILED or
 * NAME_REFUSED; neither message holds the input's values. `hasReceipt: false` gives no receipt
 * code (imported statements: their submitters hold the old system's).
 */
export function prepareStatement(
  deps: Pick<Deps, 'keyring' | 'clock'>,
  options: { source: StatementSource; input: unknown; hasReceipt?: boolean },
): PreparedStatement {
  const { source } = options;
  if (source.kind === 'staff') authorize(source.actor, 'statement.register', undefined, deps.clock());
  const parsed = parseRegisterStatementInput(options.input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
    throw new AppError(
      'VALIDATION_FAILED',
      `Invalid statement: ${issues.map((i) => `${i.path || 'statement'}: ${i.message}`).join('; ')}`,
      { details: { issues } },
    );
  }
  const input = parsed.data;
  if (source.kind === 'public' && (input.provenance.kind !== 'self' || input.channel !== 'web')) {
    throw new AppError('VALIDATION_FAILED', 'A public submission is self-submitted through the web');
  }
  const name = refuseName('name', input.name, input.nameKind === 'real');
  const realName =
    input.nameKind === 'real' ? name : input.realName === undefined ? undefined : refuseName('realName', input.realName, true);
  const threats = detectThreats(input.name, input.text, input.provenance.kind === 'volunteer' ? (input.provenance.relation ?? '') : '');
  const isTrusted = source.kind !== 'public' && input.provenance.kind === 'volunteer';
  const status: StatementStatus = threats.length > 0 ? 'held' : isTrusted ? 'published' : 'pending';
  const counts = countsOf(input.cohorts);
  const now = deps.clock();
  const region = input.region;
  const provinceCode = isSpecialRegionInput(region) ? region : (provinceOf(region)?.code ?? 'unknown');
  const registeredBy = source.kind === 'staff' ? source.actor.id : null;
  const receiptCode = options.hasReceipt === false ? null : newReceiptCode();
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
      people: counts.people,
      party: counts.party,
      league: counts.league,
      pioneers: counts.pioneers,
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
      corrected_at: null,
      corrected_by: null,
    },
  };
}

const replayOf = (row: StatementRow): RegisteredStatement => ({
  id: row.id,
  status: row.status as StatementStatus,
  receiptCode: null,
  publicName: row.public_name,
  sequence: row.sequence,
});

const conflict = () => new AppError('CONFLICT', 'This client id was already used for another statement');

/**
 * Stores prepared statements in the caller's transaction (joins `deps.store`'s transaction or opens
 * one) with a few multi-row statements rather than a dozen per statement: the rows, their receipt
 * hashes, the counters of those published at once (merged), and one audit entry per registering
 * person. Answers in the order given. A `clientId` seen before (stored, or earlier in the batch)
 * answers the earlier statement with `receiptCode: null`; CONFLICT when another person used it.
 */
export async function storePreparedStatements(deps: Deps, batch: PreparedStatement[]): Promise<RegisteredStatement[]> {
  return deps.store.transaction(async (tx) => {
    const txDeps = inTransaction(deps, tx);
    await lockRegistry(txDeps);
    const now = deps.clock();
    const day = chinaDay(now);
    const clientIds = batch.map((p) => p.row.client_id).filter((id): id is string => id !== null);
    const stored = new Map((await tx.registry.statements.findByClientIds(clientIds)).map((row) => [row.client_id, row]));
    const firstInBatch = new Map<string, number>();
    const results: (RegisteredStatement | number)[] = [];
    const rows: StatementsTable[] = [];
    let sequence: number | undefined;
    for (const [index, prepared] of batch.entries()) {
      const clientId = prepared.row.client_id;
      if (clientId !== null) {
        const earlier = stored.get(clientId);
        if (earlier) {
          if (earlier.registered_by !== prepared.registeredBy) throw conflict();
          results.push(replayOf(earlier));
          continue;
        }
        const first = firstInBatch.get(clientId);
        if (first !== undefined) {
          if (batch[first]?.registeredBy !== prepared.registeredBy) throw conflict();
          results.push(first);
          continue;
        }
        firstInBatch.set(clientId, index);
      }
      const row = { ...prepared.row };
      if (row.status === 'published') {
        sequence = (sequence ?? (await tx.registry.statements.maxSequence())) + 1;
        row.sequence = sequence;
        row.published_at = now;
        row.published_day = day;
      }
      rows.push(row);
      results.push({
        id: row.id,
        status: row.status as StatementStatus,
        receiptCode: prepared.receiptCode,
        publicName: row.public_name,
        sequence: row.sequence,
      });
    }
    const inserted = await tx.registry.statements.insertMany(rows);
    // Another process registered one of these client ids in the meantime: roll back; a retry replays it.
    if (inserted.size !== rows.length) throw conflict();
    await tx.registry.receipts.insertMany(
      batch.flatMap((prepared, index) => {
        const result = results[index];
        return typeof result === 'object' && result.receiptCode !== null
          ? [{ codeHash: receiptHash(deps.keyring, result.receiptCode), statementId: result.id }]
          : [];
      }),
      now,
    );
    await applyCounterDeltas(
      txDeps,
      rows.filter((row) => row.status === 'published').flatMap((row) => countersOf({ ...row, provinceCode: row.province_code, day }, 1)),
    );
    await logPublished(
      txDeps,
      rows.filter((row) => row.status === 'published'),
    );
    const byActor = new Map<string | null, StatementsTable[]>();
    for (const row of rows) byActor.set(row.registered_by, [...(byActor.get(row.registered_by) ?? []), row]);
    for (const [actorId, own] of byActor) {
      const only = own.length === 1 ? own[0] : undefined;
      await appendAudit(txDeps, {
        actorId,
        action: 'statement.registered',
        entityType: 'statement',
        ...(only
          ? { entityId: only.id, details: { status: only.status, channel: only.channel, people: only.people, provenance: only.provenance } }
          : {
              details: {
                ids: own.map((row) => row.id),
                statuses: own.map((row) => row.status),
                people: own.reduce((sum, row) => sum + row.people, 0),
              },
            }),
      });
    }
    return results.map((result) => {
      if (typeof result === 'object') return result;
      const first = results[result] as RegisteredStatement;
      return { ...first, receiptCode: null };
    });
  });
}

/** Stores one prepared statement; see `storePreparedStatements`. */
export async function storePreparedStatement(deps: Deps, prepared: PreparedStatement): Promise<RegisteredStatement> {
  const [result] = await storePreparedStatements(deps, [prepared]);
  return result as RegisteredStatement;
}

/**
 * Registers one statement. Staff (or the operator's CLI, `actor: null`) registering with volunteer
 * provenance publish at once (a trusted channel) and count it; self-submitted statements wait as
 * `pending`; anything that reads as a threat is `held` for an admin. Joins an outer transaction.
 * Idempotent on `input.clientId`: a replay returns the same statement with `receiptCode: null`.
 */
export async function registerStatement(
  deps: Deps,
  options: { actor: Actor | null; input: RegisterStatementInput },
): Promise<RegisteredStatement> {
  const source: StatementSource = options.actor ? { kind: 'staff', actor: options.actor } : { kind: 'operator' };
  return storePreparedStatement(deps, prepareStatement(deps, { source, input: options.input }));
}
