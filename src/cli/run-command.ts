import { createPrivately } from '../shared/private-files';
import { ConfigError, loadConfig, type Config } from '../config/config';
import { KeyringError } from '../crypto/keyring';
import { DatabaseUnavailableError } from '../db/database';
import { redisPublishingHub } from '../cluster/redis';
import { type OpenOptions, type Runtime, openRuntime } from '../runtime';
import { ListenError } from '../server';
import { isAppError } from '../shared/app-error';

/** Errors whose message is the whole story for the person at the terminal. */
function isExpected(error: unknown): error is Error {
  return error instanceof ConfigError || error instanceof KeyringError || error instanceof DatabaseUnavailableError || error instanceof ListenError || isAppError(error);
}

/** Prints one clear line for a failure and sets a non-zero exit code. */
export function reportFailure(error: unknown): void {
  if (isExpected(error)) {
    process.stderr.write(`hotline: ${error.message}\n`);
  } else {
    process.stderr.write(`hotline: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exitCode = 1;
}

/** Loads the configuration for a command, or reports it and returns undefined. */
export function configOrFail(): Config | undefined {
  try {
    return loadConfig();
  } catch (error) {
    reportFailure(error);
    return undefined;
  }
}

/**
 * Runs a command against an open runtime: configuration, database and keys are checked first, and
 * any failure ends in one clear message and exit code 1.
 */
export async function withRuntime(open: Omit<OpenOptions, 'clock'>, work: (runtime: Runtime) => Promise<void>): Promise<void> {
  const config = configOrFail();
  if (!config) return;
  let runtime: Runtime | undefined;
  // What a command writes (exports, backups, error reports, the database) is its user's alone.
  createPrivately();
  // With several instances, counter changes made here reach them through Redis at once.
  const publisher =
    config.HOTLINE_REDIS_URL === undefined
      ? undefined
      : redisPublishingHub({
          url: config.HOTLINE_REDIS_URL,
          prefix: config.HOTLINE_REDIS_PREFIX,
          onError: (error) => {
            process.stderr.write(`hotline: warning: cannot tell the running instances through Redis (${error.message}); they re-read the counters within a minute\n`);
          },
        });
  try {
    runtime = await openRuntime(config, { ...open, ...(publisher ? { hub: publisher.hub } : {}) });
    await work(runtime);
  } catch (error) {
    reportFailure(error);
  } finally {
    await runtime?.close();
    await publisher?.close();
  }
}
