import type { Command } from 'commander';

/** Adds the operations area's commands to `hotline`. */
export function registerOperationsCommands(_program: Command): void {
  // none yet
}
