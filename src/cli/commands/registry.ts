import type { Command } from 'commander';

/** Adds the registry area's commands to `hotline`. */
export function registerRegistryCommands(_program: Command): void {
  // none yet
}
