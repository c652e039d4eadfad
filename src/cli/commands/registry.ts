import type { Command } from 'commander';
import { rebuildCounters } from '../../domain/counters/rebuild-counters';
import { progressBar } from '../progress';
import { withRuntime } from '../run-command';

const out = (line: string) => process.stdout.write(`${line}\n`);

const fmt = (v: { people: number; party: number; league: number; pioneers: number }) => `people ${v.people}, party ${v.party}, league ${v.league}, pioneers ${v.pioneers}`;

/** Adds the registry area's commands to `hotline`. */
export function registerRegistryCommands(program: Command): void {
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
      }),
    );
}
