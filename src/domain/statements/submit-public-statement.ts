import type { Deps } from '../deps';
import { registerInputOfSubmission, SubmitStatementInput, type StatementStatus } from '../../shared/schemas/statements';
import { AppError } from '../../shared/app-error';
import { type AntiAbuseEvidence, antiAbuseGuardFor, type SubmissionChannel } from './anti-abuse';
import { prepareStatement } from './register-statement';
import { newReceiptCode } from './statement-fields';
import { statementWriterFor } from './statement-writer';

/** What the public submitter is told: the receipt code (once) and the status. */
export interface SubmittedStatement {
  receiptCode: string;
  status: StatementStatus;
}

/**
 * A statement from the public (the JSON API or the HTML form): checks the proof of work (or, from
 * the HTML form only, the visitor's form token), validates, and stores it through group commit as a pending self-submitted statement (held when
 * it reads as a threat). A filled honeypot is answered exactly like a success and stores nothing.
 * Held submissions are reported as `pending`.
 */
export async function submitPublicStatement(
  deps: Deps,
  options: { input: SubmitStatementInput; antiAbuse: AntiAbuseEvidence; channel: SubmissionChannel },
): Promise<SubmittedStatement> {
  const isHuman = antiAbuseGuardFor(deps).check(options.antiAbuse, options.channel);
  const parsed = SubmitStatementInput.safeParse(options.input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
    throw new AppError('VALIDATION_FAILED', `Invalid statement: ${issues.map((i) => `${i.path || 'statement'}: ${i.message}`).join('; ')}`, { details: { issues } });
  }
  const prepared = prepareStatement(deps, { source: { kind: 'public' }, input: registerInputOfSubmission(parsed.data) });
  if (!isHuman) return { receiptCode: newReceiptCode(), status: 'pending' };
  const stored = await statementWriterFor(deps).write(prepared);
  return { receiptCode: stored.receiptCode ?? '', status: stored.status === 'held' ? 'pending' : stored.status };
}
