import type { Command } from 'commander';
import { rebuildCounters } from '../../domain/counters/rebuild-counters';
import { eraseStatement } from '../../domain/statements/erase-statement';
import { logTotals } from '../../domain/transparency/manage-log';
import { AppError } from '../../shared/app-error';
import { progressBar } from '../progress';
import { withRuntime } from '../run-command';
import { registerImportCommand } from './import';

const out = (line: string) => process.stdout.write(`${line}\n`);

const fmt = (v: { people: number; party: number; league: number; pioneers: number }) => `people ${v.people}, party ${v.party}, league ${v.league}, pioneers ${v.pioneers}`;

/** Adds the registry area's commands to `hotline`. */
export function registerRegistryCommands(program: Command): void {
  program
    .command('erase')
    .description("erase personal data at the person's request")
    .command('statement <id-or-receipt-code>')
    .description(
      "erase a statement's real name, masked name, text, occupation, region below the province and receipt codes, beyond recovery; " +
        'with --keep-counted it stays published and counted without them, with --withdraw its people come off the counters ' +
        '(an id that starts with "-" goes after "--": hotline erase statement --withdraw -- -AbC...)',
    )
    .option('--keep-counted', 'the statement stays published under its number and in the counters')
    .option('--withdraw', 'the statement is withdrawn and its people come off the counters')
    .action((idOrReceipt: string, options: { keepCounted?: boolean; withdraw?: boolean }) =>
      withRuntime({ createKeysIfNew: false, migrate: true }, async (runtime) => {
        if (options.keepCounted === options.withdraw) {
          throw new AppError('VALIDATION_FAILED', 'Choose one: --keep-counted (it stays counted, without name or text) or --withdraw (it comes off the counters)');
        }
        const erased = await eraseStatement(runtime, { actor: null, idOrReceipt, keepCounted: options.keepCounted === true });
        out(
          `Erased statement ${erased.id}${erased.sequence === null ? '' : ` (No. ${erased.sequence})`}: real name, name, text, occupation, ` +
            `detailed region and ${erased.receiptCodesForgotten} receipt code(s) are gone. ` +
            (erased.counted ? `It stays ${erased.status} and counted.` : 'It is withdrawn and its people came off the counters.') +
            ' Running servers show the new counters within a minute. The audit log has the erasure.',
        );
      }),
    );

  const stats = program.command('stats').description('public counters');
  stats
    .command('rebuild')
    .description('recompute the counters from the published statements, print every difference, and fix them')
    .option('--dry-run', 'only report the differences')
    .action((options: { dryRun?: boolean }) =>
      withRuntime({ createKeysIfNew: false, migrate: true }, async (runtime) => {
        const bar = progressBar('Recounting');
        const result = await rebuildCounters(runtime, { dryRun: options.dryRun === true, progress: bar });
        bar.stop();
        for (const d of result.differences) {
          out(`difference ${d.dimension}${d.key === '' ? '' : ` ${d.key}`}: stored ${fmt(d.stored)}; statements say ${fmt(d.computed)}`);
        }
        if (result.differences.length === 0) out(`Counters agree with the statements (${result.checked} counter(s) checked).`);
        else if (result.fixed) out(`Fixed ${result.differences.length} counter(s) of ${result.checked}. Running servers pick the new values up within a minute.`);
        else out(`${result.differences.length} counter(s) of ${result.checked} differ; run without --dry-run to fix them.`);
        // The transparency log must say the same as the statements.
        const [published] = await runtime.store.registry.statements.publishedSums(null);
        const statements = { people: published?.people ?? 0, party: published?.party ?? 0, league: published?.league ?? 0, pioneers: published?.pioneers ?? 0 };
        const log = await logTotals(runtime);
        const logged = { people: log.totals.people, party: log.totals.party, league: log.totals.league, pioneers: log.totals.pioneers };
        if (JSON.stringify(logged) === JSON.stringify(statements)) {
          out(`The transparency log agrees: its ${log.entries} entries (${log.signed} signed) add up to ${fmt(logged)}.`);
        } else {
          out(`difference transparency log: its ${log.entries} entries add up to ${fmt(logged)}; the published statements say ${fmt(statements)}`);
          process.exitCode = 1;
        }
      }),
    );
  registerImportCommand(program);
}
