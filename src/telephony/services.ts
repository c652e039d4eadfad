import type { Config } from '../config/config';
import type { Deps } from '../domain/deps';
import { StoredCallEventSink } from './call-events';
import { CoreCallRouter } from './core-call-router';
import type { CallEventSink, CallRouter, OutboundAuthorizer, OutboundDecision } from './provider';

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

/**
 * Refuses every outbound call until the operations area's claims (number assigned to the
 * volunteer, calling window, do-not-call) are plugged in: failing closed is the safe default.
 */
export class RefuseAllAuthorizer implements OutboundAuthorizer {
  async authorize(): Promise<OutboundDecision> {
    return { allowed: false, reason: 'NOT_ASSIGNED' };
  }
}

/** What the telephony routes use; fields may be replaced by adapters (and by tests). */
export interface TelephonyServices {
  router: CallRouter;
  authorizer: OutboundAuthorizer;
  events: CallEventSink;
  directory: VolunteerDirectory;
  /** The single-process router, when that is the router in use (to put volunteers on duty). */
  coreRouter: CoreCallRouter | undefined;
  /** Resolves once events providers queued (SIP batches them) are stored. */
  flush(): Promise<void>;
}

/** Builds the default telephony services of one running app. */
export function createTelephonyServices(deps: Deps, config: Config): TelephonyServices {
  // The phone rings exactly as long as the core's offer lasts, so "no answer" is the core's miss.
  const coreRouter = new CoreCallRouter(deps.clock, { offerTimeoutSeconds: config.HOTLINE_SIP_RING_SECONDS });
  return {
    router: coreRouter,
    authorizer: new RefuseAllAuthorizer(),
    events: new StoredCallEventSink(deps),
    directory: new AccountDirectory(deps),
    coreRouter,
    flush: async () => undefined,
  };
}
