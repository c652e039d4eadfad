import type { Actor } from '../auth/policy';
import type { Deps } from '../deps';
import { AppError } from '../../shared/app-error';
import { prepareStatement, type RegisteredStatement } from './register-statement';
import type { StatementWriter } from './statement-writer';

/**
 * Registers statements for a staff member (or the operator's CLI with `actor: null`) through group
 * commit: all are validated first (nothing is stored when one is invalid), then written; each
 * result is durable when returned. Used by `POST /api/statements` and the console.
 */
export async function registerStatements(deps: Deps, options: { actor: Actor | null; inputs: unknown[]; writer: StatementWriter }): Promise<RegisteredStatement[]> {
  const source = options.actor ? ({ kind: 'staff', actor: options.actor } as const) : ({ kind: 'operator' } as const);
  const prepared = options.inputs.map((input, index) => {
    try {
      return prepareStatement(deps, { source, input });
    } catch (error) {
      if (error instanceof AppError && options.inputs.length > 1) {
        throw new AppError(error.code, `Statement ${index + 1}: ${error.message}`, { details: { ...error.details, index } });
      }
      throw error;
    }
  });
  return options.writer.writeAll(prepared);
}
