import type { Command } from 'commander';

/** Adds the telephony area's commands to `hotline`. */
export function registerTelephonyCommands(_program: Command): void {
  // none yet
}
