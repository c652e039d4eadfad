import { AppError } from '../../shared/app-error';
import type { CallRegistrationInput } from '../../shared/schemas/calls';
import { countsOf, type Occupation, type RegisterStatementInput } from '../../shared/schemas/statements';
import type { Actor } from '../auth/policy';
import type { Deps } from '../deps';
import type { StatementRegistrar } from './statement-registrar';

/**
 * How long a receipt code stays readable for a retried save. Codes are stored only as hashes in the
 * registry; this encrypted copy exists so that a volunteer whose first save answer was lost (a
 * dropped connection) still gets every code to read out. It is shredded when the volunteer confirms
 * the codes were read out, or after this long, whichever comes first.
 */
export const RECEIPT_CODE_KEEP_MS = 24 * 3_600_000;
const RECEIPT_CONTEXT = 'calls.receipt';

/** One registration's result, in the order sent. */
export interface SavedRegistration {
  clientId: string;
  statementId: string;
  people: number;
  /**
   * The receipt code to read out. On a retried save it is the same code again (for the volunteer
   * who registered it, until it was confirmed as read out or a day passed); null after that.
   */
  receiptCode: string | null;
  /** True when this attempt registered it; false when an earlier attempt did. */
  isNew: boolean;
}

/** The call a registration is made in, as the statement needs it. */
export interface CallContext {
  callId: string;
  direction: 'outbound' | 'inbound';
  regionCode: string | null;
  occupation: Occupation | null;
}

/**
 * Registers the statements made in a call (inside the caller's transaction) and recounts the call's
 * people. Idempotent by each registration's client id: one already stored is answered with its
 * statement and, for the volunteer who registered it, its kept receipt code.
 */
export async function registerInCall(
  deps: Deps,
  args: { actor: Actor; call: CallContext; registrations: CallRegistrationInput[]; registerStatement: StatementRegistrar },
): Promise<SavedRegistration[]> {
  const { actor, call } = args;
  const now = deps.clock();
  const calls = deps.store.calls.calls;
  const results: SavedRegistration[] = [];
  for (const registration of args.registrations) {
    const known = await calls.findRegistration(registration.clientId);
    if (known) {
      if (known.call_id !== call.callId)
        throw new AppError('CONFLICT', 'That registration belongs to another call', { details: { clientId: registration.clientId } });
      const kept = await calls.receiptCodeFor(registration.clientId, actor.id, now);
      results.push({
        clientId: registration.clientId,
        statementId: known.statement_id,
        people: known.people,
        receiptCode: kept ? deps.keyring.decrypt(kept.code_enc, RECEIPT_CONTEXT) : null,
        isNew: false,
      });
      continue;
    }
    const people = countsOf(registration.cohorts).people;
    const statement: RegisterStatementInput = {
      clientId: registration.clientId,
      nameKind: registration.nameKind,
      name: registration.name,
      cohorts: registration.cohorts,
      region: call.regionCode ?? 'unknown',
      ...(call.occupation ? { occupation: call.occupation } : {}),
      channel: call.direction === 'inbound' ? 'hotline' : 'outbound',
      text: '',
      provenance: {
        kind: 'volunteer',
        callId: call.callId,
        consent: registration.consent,
        ...(registration.consent === 'named_by_other' ? { relation: registration.relation } : {}),
      },
    };
    const result = await args.registerStatement(deps, { actor, input: statement });
    await calls.insertRegistration({
      call_id: call.callId,
      client_id: registration.clientId,
      statement_id: result.statementId,
      people,
      created_at: now,
    });
    if (result.receiptCode !== undefined) {
      await calls.insertReceiptCode({
        registration_client_id: registration.clientId,
        call_id: call.callId,
        owner_id: actor.id,
        code_enc: deps.keyring.encrypt(result.receiptCode, RECEIPT_CONTEXT),
        expires_at: now + RECEIPT_CODE_KEEP_MS,
      });
    }
    results.push({
      clientId: registration.clientId,
      statementId: result.statementId,
      people,
      receiptCode: result.receiptCode ?? null,
      isNew: true,
    });
  }
  const all = await calls.registrationsOf([call.callId]);
  await calls.update(call.callId, { people_registered: all.reduce((sum, row) => sum + row.people, 0) });
  return results;
}
