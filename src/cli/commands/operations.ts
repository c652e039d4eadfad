import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { once } from 'node:events';
import type { Command } from 'commander';
import { addDoNotCall, removeDoNotCall } from '../../domain/operations/do-not-call';
import { type ImportReport, importCallList } from '../../domain/operations/import-call-list';
import { discardImportReport, openImportReport } from '../../domain/operations/import-report';
import type { Runtime } from '../../runtime';
import { AppError } from '../../shared/app-error';
import { progressBar } from '../progress';
import { withRuntime } from '../run-command';

const out = (line: string) => process.stdout.write(`${line}\n`);

/** Refused rows printed on the terminal; all of them go to the errors file. */
const PRINTED_PROBLEMS = 20;

/** Prints an import report: totals, counts per problem, the first refused rows and where all of them are. */
export function printImportReport(report: ImportReport, errorsFile?: string): void {
  out(
    report.committed
      ? `Imported list "${report.name}" (${report.listId ?? ''}): ${report.accepted} of ${report.rows} row(s) accepted, ${report.refused} refused.`
      : `Preview of "${report.name}": ${report.accepted} of ${report.rows} row(s) would be imported, ${report.refused} refused. Nothing was stored.`,
  );
  for (const [problem, count] of Object.entries(report.byProblem)) out(`  ${problem}: ${count}`);
  for (const row of report.problems.slice(0, PRINTED_PROBLEMS)) out(`  line ${row.line}: ${row.problem}${row.ref ? ` (${row.ref})` : ''}`);
  if (report.refused > PRINTED_PROBLEMS) out(`  ... and ${report.refused - PRINTED_PROBLEMS} more`);
  if (errorsFile && report.refused > 0) out(`Every refused row (line, problem, reference; no numbers) is in ${errorsFile}`);
}

/** Writes every refused row of an import to `file` as CSV, then forgets the stored report. */
async function writeErrorsFile(runtime: Runtime, reportId: string, file: string): Promise<void> {
  const reader = await openImportReport(runtime, { actor: null, reportId });
  const stream = createWriteStream(file, { mode: 0o600 });
  for await (const chunk of reader.csv()) if (!stream.write(chunk)) await once(stream, 'drain');
  stream.end();
  await once(stream, 'finish');
  await discardImportReport(runtime, { actor: null, reportId });
}

/** Adds the operations area's commands to `hotline`. */
export function registerOperationsCommands(program: Command): void {
  const lists = program.command('lists').description('call lists and the do-not-call list');
  lists
    .command('import <file>')
    .description('import a CSV call list (number, organization, category, region): all rows or none')
    .requiredOption('--name <name>', 'name of the new list')
    .option('--preview', 'check the file and print the report without storing anything')
    .option('--errors <file>', 'where to write every refused row (default: FILE.errors.csv)')
    .action((file: string, options: { name: string; preview?: boolean; errors?: string }) =>
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
          const errorsFile = options.errors ?? `${file}.errors.csv`;
          if (report.refused > 0) await writeErrorsFile(runtime, report.reportId, errorsFile);
          else await discardImportReport(runtime, { actor: null, reportId: report.reportId });
          printImportReport(report, errorsFile);
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
