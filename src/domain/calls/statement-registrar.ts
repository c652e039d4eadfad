import type { RegisterStatementInput } from '../../shared/schemas/statements';
import type { Actor } from '../auth/policy';
import type { Deps } from '../deps';

/** What registering one statement gave back: its id, people count, and the receipt code when new. */
export interface RegisteredStatement {
  statementId: string;
  /** Shown once, to read out; absent when the statement already existed (a retried save). */
  receiptCode?: string;
}

/** The registry's use case as the calls domain needs it (the registry area implements it). */
export type StatementRegistrar = (deps: Deps, args: { actor: Actor; input: RegisterStatementInput }) => Promise<RegisteredStatement>;
