import { registerStatement } from '../statements/register-statement';
import type { StatementRegistrar } from './statement-registrar';

/** Registers statements made in calls through the registry's own use case (same transaction). */
export const statementRegistrar: StatementRegistrar = async (deps, args) => {
  const result = await registerStatement(deps, args);
  return { statementId: result.id, ...(result.receiptCode === null ? {} : { receiptCode: result.receiptCode }) };
};
