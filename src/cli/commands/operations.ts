import { createReadStream, statSync } from 'node:fs';
import type { Command } from 'commander';
import { addDoNotCall, removeDoNotCall } from '../../domain/operations/do-not-call';
import { type ImportReport, importCallList } from '../../domain/operations/import-call-list';
import { AppError } from '../../shared/app-error';
import { progressBar } from '../progress';
import { withRuntime } from '../run-command';

const out = (line: string) => process.stdout.write(`${line}\n`);

/** Prints an import report: totals, counts per problem, then each refused row. */
export function printImportReport(report: ImportReport): void {
  out(
    report.committed
      ? `Imported list "${report.name}" (${report.listId ?? ''}): ${report.accepted} of ${report.rows} row(s) accepted, ${report.refused} refused.`
      : `Preview of "${report.name}": ${report.accepted} of ${report.rows} row(s) would be imported, ${report.refused} refused. Nothing was stored.`,
  );
  for (const [problem, count] of Object.entries(report.byProblem)) out(`  ${problem}: ${count}`);
  for (const row of report.problems) out(`  line ${row.line}: ${row.problem}${row.ref ? ` (${row.ref})` : ''}`);
  if (report.problemsTruncated) out(`  ... only the first ${report.problems.length} refused rows are listed`);
}

/** Adds the operations area's commands to `hotline`. */
export function registerOperationsCommands(program: Command): void {
  const lists = program.command('lists').description('call lists and the do-not-call list');
  lists
    .command('import <file>')
    .description('import a CSV call list (number, organization, category, region): all rows or none')
    .requiredOption('--name <name>', 'name of the new list')
    .option('--preview', 'check the file and print the report without storing anything')
    .action((file: string, options: { name: string; preview?: boolean }) =>
      withRuntime({ createKeysIfNew: false, migrate: true }, async (runtime) => {
        let size: number;
        try {
          size = statSync(file).size;
        } catch {
          throw new AppError('NOT_FOUND', `Cannot read ${file}`);
        }
        const source = createReadStream(file);
        const bar = progressBar(options.preview ? 'Checking' : 'Importing');
        bar.start(size);
        let shown = 0;
        try {
          const report = await importCallList(runtime, {
            actor: null,
            name: options.name,
            source,
            commit: !options.preview,
            onBytes: (bytes) => {
              bar.advance(bytes - shown);
              shown = bytes;
            },
          });
          bar.stop();
          printImportReport(report);
        } catch (error) {
          bar.stop();
          throw error;
        }
      }),
    );

  const dnc = lists.command('do-not-call').description('the organization-wide do-not-call list');
  dnc
    .command('add <number>')
    .description('add a number to the do-not-call list')
    .option('--reason <text>', 'why (no personal data)')
    .action((number: string, options: { reason?: string }) =>
      withRuntime({ createKeysIfNew: false, migrate: true }, async (runtime) => {
        const result = await addDoNotCall(runtime, { actor: null, number, ...(options.reason ? { reason: options.reason } : {}) });
        out(result.added ? `Added to the do-not-call list (${result.id}).` : `Already on the do-not-call list (${result.id}).`);
      }),
    );
  dnc
    .command('remove <id>')
    .description('remove an entry from the do-not-call list by its id')
    .action((id: string) =>
      withRuntime({ createKeysIfNew: false, migrate: true }, async (runtime) => {
        await removeDoNotCall(runtime, { actor: null, id });
        out('Removed from the do-not-call list.');
      }),
    );
}
