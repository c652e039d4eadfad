import { AppError } from '../../shared/app-error';
import type { StatementRegistrar } from './statement-registrar';

/** Registers statements through the registry's use case (wired when the registry area lands). */
export const statementRegistrar: StatementRegistrar = async () => {
  throw new AppError('INTERNAL', 'The statement registry is not available yet');
};
