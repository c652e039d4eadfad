import { unwatchFile, watchFile } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { Config } from './config/config';
import { ensureFirstAdminInvitation, invitationLink } from './domain/auth/create-invitation';
import { shredExpiredCallData } from './domain/calls/shred-expired';
import { buildApp } from './http/app';
import { createLogger, type Logger } from './logging';
import { type Runtime, openRuntime } from './runtime';
import { type Clock, systemClock } from './shared/clock';
import type { Cluster } from './cluster/cluster';
import { memoryCluster } from './cluster/memory';
import { redisCluster } from './cluster/redis';
import { createPrivately, tightenPrivateFiles } from './shared/private-files';

/** A running server and how to stop it. */
export interface RunningServer {
  app: FastifyInstance;
  runtime: Runtime;
  url: string;
  /** The one-time link that creates the first admin, while no account exists. */
  firstAdminLink?: string;
  close(): Promise<void>;
}

/**
 * Opens the database and keys, migrates, and listens. While no staff account exists it prints a
 * one-time link that creates the first admin. The key file is watched so a rotation by the CLI is
 * picked up without a restart.
 */
export async function startServer(config: Config, options: { logger?: Logger; clock?: Clock; print?: (line: string) => void } = {}): Promise<RunningServer> {
  const logger = options.logger ?? createLogger(config.HOTLINE_LOG_LEVEL);
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  createPrivately();
  const cluster = openCluster(config, options.clock ?? systemClock, logger);
  await cluster.start().catch(async (error: unknown) => {
    await cluster.close().catch(() => undefined);
    throw new Error(`Cannot reach Redis at HOTLINE_REDIS_URL (${(error as Error).message}); start Redis or unset HOTLINE_REDIS_URL to run one instance without it`, { cause: error });
  });
  const runtime = await openRuntime(config, {
    createKeysIfNew: true,
    migrate: true,
    hub: cluster.hub,
    ...(options.clock ? { clock: options.clock } : {}),
    onAuditHeadError: (error) => {
      logger.warn({ err: { message: error.message } }, 'the audit head file could not be written; set HOTLINE_AUDIT_HEAD_FILE to a writable place');
    },
  });
  if (runtime.createdKeyFile) print(newKeyFileNotice(config.keyFile));
  const loosened = tightenPrivateFiles(config);
  if (loosened.length > 0) logger.warn({ files: loosened }, `made ${loosened.length} file(s) and folder(s) readable by Hotline's user only (0600 / 0700)`);
  let app: FastifyInstance | undefined;
  let shredTimer: NodeJS.Timeout | undefined;
  const keyFile = runtime.keyring.file;
  // Everything opened so far is closed on the way out, so a failed start leaves no open database,
  // no watcher and no timer keeping the process alive.
  const closeAll = async () => {
    clearInterval(shredTimer);
    if (keyFile) unwatchFile(keyFile);
    await app?.close();
    await cluster.close();
    await runtime.close();
  };
  try {
    app = await buildApp({ deps: runtime, config, logger, services: { cluster, logger } });
    if (keyFile) {
      watchFile(keyFile, { interval: 1000 }, () => {
        try {
          if (runtime.keyring.reload()) logger.info({ activeKey: runtime.keyring.activeKeyId }, 'key file reloaded');
        } catch (error) {
          logger.error({ err: { message: (error as Error).message } }, 'key file could not be reloaded; keeping the keys in memory');
        }
      });
    }
    try {
      await app.listen({ port: config.PORT, host: config.HOTLINE_HOST });
    } catch (error) {
      throw listenError(error, config);
    }
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.PORT;
    const url = `http://${config.HOTLINE_HOST === '0.0.0.0' ? 'localhost' : config.HOTLINE_HOST}:${port}`;
    print(`Hotline is serving at ${config.publicUrl} (${runtime.connection.description})`);
    const invitation = await ensureFirstAdminInvitation(runtime);
    let firstAdminLink: string | undefined;
    if (invitation) {
      firstAdminLink = invitationLink(config.publicUrl, invitation.token);
      print(`No staff account exists yet. Open this one-time link to create the first admin (valid 7 days):\n  ${firstAdminLink}`);
    }
    // Call notes and follow-up contacts past their retention are shredded hourly (and by the CLI).
    const shredExpired = () => {
      shredExpiredCallData(runtime, { retentionDays: config.HOTLINE_NOTES_RETENTION_DAYS }).catch((error: unknown) => {
        logger.error({ err: { message: (error as Error).message } }, 'shredding expired call notes failed');
      });
    };
    // Failed sign-ins are remembered per client for a day at most (client keys change daily anyway).
    const forgetOldFailures = () => {
      runtime.store.users.pruneThrottles(runtime.clock() - 86_400_000).catch((error: unknown) => {
        logger.error({ err: { message: (error as Error).message } }, 'forgetting old failed sign-ins failed');
      });
    };
    // Once for the whole hotline: with several instances, by the lease holder only.
    const hourly = () => {
      if (!cluster.lease.isHeld()) return;
      shredExpired();
      forgetOldFailures();
    };
    shredTimer = setInterval(hourly, 3_600_000);
    shredTimer.unref();
    if (cluster.lease.isHeld()) shredExpired();
    return { app, runtime, url, ...(firstAdminLink ? { firstAdminLink } : {}), close: closeAll };
  } catch (error) {
    await closeAll().catch(() => undefined);
    throw error;
  }
}

/** The cluster this instance joins: Redis when HOTLINE_REDIS_URL is set, otherwise this process alone. */
function openCluster(config: Config, clock: Clock, logger: Logger): Cluster {
  if (config.HOTLINE_REDIS_URL === undefined) return memoryCluster(clock);
  const reported = new Map<string, number>();
  return redisCluster({
    url: config.HOTLINE_REDIS_URL,
    prefix: config.HOTLINE_REDIS_PREFIX,
    now: clock,
    onError: (what, error) => {
      // One line per kind of failure a minute at most: an outage must not flood the log.
      const now = Date.now();
      if ((reported.get(what) ?? 0) > now - 60_000) return;
      reported.set(what, now);
      logger.error({ err: { message: error.message } }, `Redis: ${what} failed`);
    },
  });
}

/** What to tell the operator when a first start created the key file. */
export function newKeyFileNotice(keyFile: string): string {
  return `Created a new key file at ${keyFile}. Back it up now, apart from the data: without it the data cannot be read.`;
}

/** The server could not start listening; the message names the setting to change. */
export class ListenError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ListenError';
  }
}

function listenError(error: unknown, config: Config): Error {
  const code = (error as NodeJS.ErrnoException).code;
  const where = `${config.HOTLINE_HOST}:${config.PORT}`;
  if (code === 'EADDRINUSE') return new ListenError(`EADDRINUSE: port ${config.PORT} (PORT) is already in use on ${config.HOTLINE_HOST}; stop the program using it or set PORT to a free port`, { cause: error });
  if (code === 'EACCES') return new ListenError(`EACCES: no permission to listen on ${where}; ports below 1024 need extra rights, set PORT to 1024 or above`, { cause: error });
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') return new ListenError(`${code}: cannot listen on ${config.HOTLINE_HOST} (HOTLINE_HOST), which is not an address of this machine`, { cause: error });
  return error instanceof Error ? error : new Error(String(error));
}
