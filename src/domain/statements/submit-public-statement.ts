import type { Deps } from '../deps';
import { registerInputOfSubmission, SubmitStatementInput, type StatementStatus } from '../../shared/schemas/statements';
import { AppError } from '../../shared/app-error';
import type { AntiAbuseEvidence, AntiAbuseGuard, SubmissionChannel } from './anti-abuse';
import { type PreparedStatement, prepareStatement } from './register-statement';
import { SUBMISSION_KEY, clientIdOfSubmission, newReceiptCode, receiptCodeOfSubmission } from './statement-fields';
import type { StatementWriter } from './statement-writer';

/** What the public submitter is told: the receipt code and the status. */
export interface SubmittedStatement {
  receiptCode: string;
  status: StatementStatus;
}

const publicStatus = (status: string): StatementStatus => (status === 'held' ? 'pending' : (status as StatementStatus));

/**
 * A statement from the public (the JSON API or the HTML form): checks the proof of work (or, from
 * the HTML form only, the visitor's form token), validates, and stores it through group commit as a
 * pending self-submitted statement (held when it reads as a threat). A filled honeypot is answered
 * exactly like a success and stores nothing. Held submissions are reported as `pending`.
 *
 * With a `submissionKey` (the form's hidden field, the API's `Idempotency-Key`), every attempt to
 * send the same statement with the key stores it at most once and is answered with the same receipt
 * code: an attempt after the first was stored is answered from the stored statement without
 * spending new anti-abuse evidence; attempts racing each other may share the same evidence (see
 * `AntiAbuseGuard`) and meet in the statement's unique client id.
 */
export async function submitPublicStatement(
  deps: Deps,
  options: { input: SubmitStatementInput; antiAbuse: AntiAbuseEvidence; channel: SubmissionChannel; submissionKey?: string; guard: AntiAbuseGuard; writer: StatementWriter },
): Promise<SubmittedStatement> {
  const { submissionKey } = options;
  if (submissionKey !== undefined && !SUBMISSION_KEY.test(submissionKey)) {
    throw new AppError('VALIDATION_FAILED', 'The submission key must be 16 to 64 letters, digits, "-" or "_"', { details: { issues: [{ path: 'submissionKey', message: 'malformed' }] } });
  }
  const parsed = SubmitStatementInput.safeParse(options.input);
  // The key and what was sent with it: the same form sent again is a repetition; the form changed
  // and sent again (back, edit, send: another person's statement) is a statement of its own.
  const attempt = submissionKey !== undefined && parsed.success ? `${submissionKey}\n${JSON.stringify(parsed.data)}` : undefined;
  const clientId = attempt === undefined ? null : clientIdOfSubmission(deps.keyring, attempt);
  const receiptCode = attempt === undefined ? newReceiptCode() : receiptCodeOfSubmission(deps.keyring, attempt);
  if (clientId !== null) {
    const stored = await deps.store.registry.statements.findByClientId(clientId);
    if (stored) return { receiptCode, status: publicStatus(stored.status) };
  }
  const isHuman = await options.guard.check(options.antiAbuse, options.channel, clientId ?? undefined);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
    throw new AppError('VALIDATION_FAILED', `Invalid statement: ${issues.map((i) => `${i.path || 'statement'}: ${i.message}`).join('; ')}`, { details: { issues } });
  }
  const prepared = prepareStatement(deps, { source: { kind: 'public' }, input: registerInputOfSubmission(parsed.data) });
  if (!isHuman) return { receiptCode, status: 'pending' };
  const keyed: PreparedStatement = { ...prepared, receiptCode, row: { ...prepared.row, client_id: clientId } };
  const stored = await options.writer.write(keyed);
  // A replay (an attempt racing this one stored it first) has no code of its own: the attempt's code is the same.
  return { receiptCode, status: publicStatus(stored.status) };
}
