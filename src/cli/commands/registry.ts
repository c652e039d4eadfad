import type { Command } from 'commander';
import { registerImportCommand } from './import';

/** Adds the registry area's commands to `hotline`. */
export function registerRegistryCommands(program: Command): void {
  registerImportCommand(program);
}
