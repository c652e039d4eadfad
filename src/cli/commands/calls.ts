import type { Command } from 'commander';
import { shredExpiredCallData } from '../../domain/calls/shred-expired';
import { withRuntime } from '../run-command';

/** Adds the calls area's commands to `hotline`. */
export function registerCallsCommands(program: Command): void {
  const calls = program.command('calls').description('calls recorded in the volunteer console');
  calls
    .command('shred-expired')
    .description(
      'destroy call notes and follow-up contacts older than HOTLINE_NOTES_RETENTION_DAYS (outcomes stay), and expired kept receipt codes',
    )
    .action(() =>
      withRuntime({ createKeysIfNew: false, migrate: true }, async (runtime) => {
        const days = runtime.config.HOTLINE_NOTES_RETENTION_DAYS;
        const result = await shredExpiredCallData(runtime, { retentionDays: days });
        process.stdout.write(
          `Shredded the notes of ${result.notes} call(s) and ${result.followups} follow-up contact(s) older than ${days} days, ` +
            `and ${result.receiptCodes} receipt code(s) kept for retried saves past their day.\n`,
        );
      }),
    );
}
