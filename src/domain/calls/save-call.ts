import { parsePhoneNumber, phoneBlindIndexInput } from '../../shared/phone';
import { AppError } from '../../shared/app-error';
import type { SaveCallInput } from '../../shared/schemas/calls';
import { countsOf, type RegisterStatementInput } from '../../shared/schemas/statements';
import { appendAudit } from '../audit/append-audit';
import { type Actor, authorize } from '../auth/policy';
import { newId } from '../auth/secrets';
import { type Deps, inTransaction } from '../deps';
import type { StatementRegistrar } from './statement-registrar';

/** One registration's result, in the order sent. */
export interface SavedRegistration {
  clientId: string;
  statementId: string;
  people: number;
  /** The receipt code to read out; null when this registration was saved by an earlier attempt. */
  receiptCode: string | null;
}

/** What saving a call gave back. */
export interface SavedCall {
  callId: string;
  created: boolean;
  registrations: SavedRegistration[];
}

/**
 * Saves a whole call with its registrations and follow-up contacts in one transaction. Idempotent:
 * the call, each registration and each follow-up carry the browser's client ids, so a retried save
 * (lost response, server restart) finds what the first attempt stored and registers no one twice.
 * Saving again with the same call client id edits the call while `call.edit` allows it.
 */
export async function saveCall(
  deps: Deps,
  args: { actor: Actor; input: SaveCallInput; registerStatement: StatementRegistrar },
): Promise<SavedCall> {
  const { actor, input, registerStatement } = args;
  const now = deps.clock();
  authorize(actor, 'call.create', undefined, now);
  const phone = input.phone === '' ? undefined : parsePhoneNumber(input.phone);
  if (phone && !phone.ok)
    throw new AppError('VALIDATION_FAILED', 'The phone number is not valid', { details: { field: 'phone', reason: phone.reason } });
  if (input.answeredAt !== undefined && input.answeredAt < input.startedAt)
    throw new AppError('VALIDATION_FAILED', 'answeredAt is before startedAt', { details: { field: 'answeredAt' } });
  if (input.endedAt !== undefined && input.endedAt < input.startedAt)
    throw new AppError('VALIDATION_FAILED', 'endedAt is before startedAt', { details: { field: 'endedAt' } });
  if (input.startedAt > now + 60_000)
    throw new AppError('VALIDATION_FAILED', 'startedAt is in the future', { details: { field: 'startedAt' } });

  return deps.store.transaction(async (tx) => {
    const d = inTransaction(deps, tx);
    await tx.lock(`call:${input.clientId}`);
    const existing = await tx.calls.calls.findByClientId(input.clientId);
    if (existing) authorize(actor, 'call.edit', { ownerId: existing.owner_id, createdAt: existing.created_at }, now);
    const callId = existing?.id ?? newId();
    const regionCode = phone?.ok ? phone.regionCode : undefined;
    const fields = {
      direction: input.direction,
      phone_enc: phone?.ok ? deps.keyring.encrypt(phone.e164, 'calls.phone') : null,
      phone_blind: phone?.ok ? deps.keyring.blindIndex('phone', phoneBlindIndexInput(phone.e164)) : null,
      region_code: regionCode ?? null,
      org_type: input.orgType ?? null,
      occupation: input.occupation ?? null,
      listeners: input.listeners ?? null,
      outcome: input.outcome,
      notes_enc: input.notes.trim() === '' ? null : deps.keyring.encrypt(input.notes, 'calls.notes'),
      handed_out: JSON.stringify(input.handedOut),
      script_id: input.scriptId ?? null,
      started_at: input.startedAt,
      answered_at: input.answeredAt ?? null,
      ended_at: input.endedAt ?? now,
      updated_at: now,
    };
    if (existing) {
      // A shredded call keeps its notes shredded, even if an old draft still holds them.
      await tx.calls.calls.update(callId, existing.shredded_at == null ? fields : { ...fields, notes_enc: null });
    } else {
      await tx.calls.calls.insert({
        id: callId,
        client_id: input.clientId,
        owner_id: actor.id,
        provider: 'manual',
        people_registered: 0,
        shredded_at: null,
        created_at: now,
        ...fields,
      });
    }

    const registrations: SavedRegistration[] = [];
    for (const registration of input.registrations) {
      const people = countsOf(registration.cohorts).people;
      const known = await tx.calls.calls.findRegistration(registration.clientId);
      if (known) {
        if (known.call_id !== callId)
          throw new AppError('CONFLICT', 'That registration belongs to another call', { details: { clientId: registration.clientId } });
        registrations.push({ clientId: registration.clientId, statementId: known.statement_id, people: known.people, receiptCode: null });
        continue;
      }
      const statement: RegisterStatementInput = {
        clientId: registration.clientId,
        nameKind: registration.nameKind,
        name: registration.name,
        cohorts: registration.cohorts,
        region: regionCode ?? 'unknown',
        ...(input.occupation ? { occupation: input.occupation } : {}),
        channel: input.direction === 'inbound' ? 'hotline' : 'outbound',
        text: '',
        provenance: {
          kind: 'volunteer',
          callId,
          consent: registration.consent,
          ...(registration.consent === 'named_by_other' ? { relation: registration.relation } : {}),
        },
      };
      const result = await registerStatement(d, { actor, input: statement });
      await tx.calls.calls.insertRegistration({
        call_id: callId,
        client_id: registration.clientId,
        statement_id: result.statementId,
        people,
        created_at: now,
      });
      registrations.push({
        clientId: registration.clientId,
        statementId: result.statementId,
        people,
        receiptCode: result.receiptCode ?? null,
      });
    }
    const all = await tx.calls.calls.registrationsOf([callId]);
    await tx.calls.calls.update(callId, { people_registered: all.reduce((sum, row) => sum + row.people, 0) });

    let followupsAdded = 0;
    for (const followup of input.followups) {
      if (await tx.calls.calls.findFollowup(followup.clientId)) continue;
      authorize(actor, 'followup.create', undefined, now);
      const details = JSON.stringify({ name: followup.name, howToReach: followup.howToReach, offered: followup.offered });
      await tx.calls.calls.insertFollowup({
        id: newId(),
        call_id: callId,
        client_id: followup.clientId,
        owner_id: actor.id,
        details_enc: deps.keyring.encrypt(details, 'calls.followup'),
        created_at: now,
        shredded_at: null,
      });
      followupsAdded += 1;
    }

    await appendAudit(d, {
      actorId: actor.id,
      action: existing ? 'call.edit' : 'call.create',
      entityType: 'call',
      entityId: callId,
      details: {
        outcome: input.outcome,
        statements: registrations.filter((r) => r.receiptCode !== null).map((r) => r.statementId),
        followupsAdded,
      },
    });
    return { callId, created: !existing, registrations };
  });
}
