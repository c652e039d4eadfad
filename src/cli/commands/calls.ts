import type { Command } from 'commander';

/** Adds the calls area's commands to `hotline`. */
export function registerCallsCommands(_program: Command): void {
  // none yet
}
