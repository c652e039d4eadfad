import type { Config } from '../config/config';
import type { Deps } from '../domain/deps';
import type { InboundQueue } from '../domain/operations/inbound-queue';
import { StoredCallEventSink } from './call-events';
import { ClaimedNumberAuthorizer, type OutboundOutcomes, type RevealTaskNumber } from '../domain/operations/claimed-number-authorizer';
import type { CallEventSink, CallRouter, OutboundAuthorizer } from './provider';
import { QueueCallRouter } from './queue-call-router';

/** Who may register a phone: an id the SIP edge and Twilio know a volunteer by. */
export interface VolunteerDirectory {
  isVolunteer(volunteerId: string): Promise<boolean>;
}

/** Active staff accounts can register; ids are opaque, so SIP usernames reveal nothing. */
export class AccountDirectory implements VolunteerDirectory {
  constructor(private readonly deps: Deps) {}

  async isVolunteer(volunteerId: string): Promise<boolean> {
    const user = await this.deps.store.users.findById(volunteerId);
    return user !== undefined && user.status === 'active' && user.role !== 'auditor';
  }
}

/** What the telephony routes use; fields may be replaced by adapters. */
export interface TelephonyServices {
  router: CallRouter;
  authorizer: OutboundAuthorizer;
  /** Records how allowed outbound calls went on the tasks they worked. */
  outcomes: OutboundOutcomes;
  events: CallEventSink;
  directory: VolunteerDirectory;
  /** Resolves once events providers queued (SIP batches them) are stored. */
  flush(): Promise<void>;
  /** Stops listening to the queue (app shutdown). */
  close(): void;
}

/**
 * Builds the telephony services of one running app on the operations area: inbound calls go
 * through the server's inbound queue (the one console presence feeds), outbound calls are allowed
 * by the volunteer's claims. `revealNumber` is the presenter that decrypts a claimed number.
 */
export function createTelephonyServices(deps: Deps, config: Config, options: { revealNumber: RevealTaskNumber; queue: InboundQueue }): TelephonyServices {
  const router = new QueueCallRouter(options.queue, deps.clock, { maxWaitSeconds: config.HOTLINE_QUEUE_WAIT_SECONDS });
  const claims = new ClaimedNumberAuthorizer(deps, options.revealNumber);
  return {
    router,
    authorizer: claims,
    outcomes: claims,
    events: new StoredCallEventSink(deps),
    directory: new AccountDirectory(deps),
    flush: async () => undefined,
    close: () => {
      router.close();
    },
  };
}
