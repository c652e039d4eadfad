import type { Cluster } from './cluster/cluster';
import { memoryCluster } from './cluster/memory';
import type { Config } from './config/config';
import { CounterCache } from './domain/counters/counter-cache';
import type { Deps } from './domain/deps';
import { InboundQueue, type InboundQueueOptions } from './domain/operations/inbound-queue';
import { AntiAbuseGuard } from './domain/statements/anti-abuse';
import { StatementWriter } from './domain/statements/statement-writer';
import { logOrigin, logSigner } from './domain/transparency/log-key';
import { TransparencyLog } from './domain/transparency/log-service';
import { ClientKeyer } from './http/client-key';
import { revealTaskNumber } from './http/presenters/call-task.presenter';
import type { Logger } from './logging';
import { type TelephonyServices, createTelephonyServices } from './telephony/services';

/** How often the in-memory counters are re-read, to pick up a `stats rebuild` run by the CLI. */
const COUNTER_REFRESH_MS = 60_000;

/**
 * The long-lived services of one running server, built once at start-up (here, and nowhere else)
 * and passed to the routes: the group-commit statement writer, the anti-abuse guard, the counters in
 * memory, the inbound queue, the telephony services and the client keyer, on a cluster that is
 * this process alone or, with Redis, every instance of the hotline.
 */
export interface Services {
  cluster: Cluster;
  statementWriter: StatementWriter;
  antiAbuse: AntiAbuseGuard;
  counters: CounterCache;
  queue: InboundQueue;
  telephony: TelephonyServices;
  clientKeyer: ClientKeyer;
  /** The transparency log: sequenced on the lease holder, served by every instance. */
  log: TransparencyLog;
  /** Stops timers and the queue (the cluster is closed by whoever opened it). */
  close(): Promise<void>;
}

/** What may be set when building the services (tests: timers; the server: the shared cluster). */
export interface ServiceOptions {
  cluster?: Cluster;
  queue?: InboundQueueOptions;
  logger?: Logger;
}

export async function buildServices(deps: Deps, config: Config, options: ServiceOptions = {}): Promise<Services> {
  const cluster = options.cluster ?? memoryCluster(deps.clock, deps.hub);
  const counters = await CounterCache.load(deps);
  const refresh = setInterval(() => {
    counters.reload().then(undefined, (error: unknown) => {
      options.logger?.warn({ err: { message: (error as Error).message } }, 'counter refresh failed; serving the last value');
    });
  }, COUNTER_REFRESH_MS);
  refresh.unref();
  const queue = new InboundQueue(
    deps,
    {
      ...options.queue,
      config: {
        // A caller nobody accepts within this time becomes a callback request, whatever the provider;
        // a phone rings exactly as long as the queue's offer lasts, so "no answer" is the queue's miss.
        maxWaitSeconds: config.HOTLINE_QUEUE_WAIT_SECONDS,
        offerTimeoutSeconds: config.HOTLINE_SIP_RING_SECONDS,
        ...options.queue?.config,
      },
    },
    cluster.queueLog,
    cluster.lease,
  );
  try {
    await queue.start();
  } catch (error) {
    clearInterval(refresh);
    counters.close();
    throw error;
  }
  const telephony = createTelephonyServices(deps, config, { revealNumber: revealTaskNumber, queue });
  const origin = logOrigin(config.publicUrl);
  const { signer, verifierKey } = logSigner(deps.keyring, origin);
  const log = new TransparencyLog(deps, origin, signer, verifierKey, {
    onError: (error, what) => options.logger?.error({ err: { message: error.message } }, `${what} failed`),
  });
  log.start(cluster.lease);
  return {
    cluster,
    statementWriter: new StatementWriter(deps),
    antiAbuse: new AntiAbuseGuard(deps, config.HOTLINE_POW_DIFFICULTY, cluster.once),
    counters,
    queue,
    telephony,
    clientKeyer: new ClientKeyer(deps.clock, cluster.dailySecrets),
    log,
    close: async () => {
      await log.stop();
      clearInterval(refresh);
      counters.close();
      telephony.close();
      await queue.stop();
    },
  };
}
