import type { RoutingConfig } from './routing.types';

/** Defaults for a small volunteer hotline; every one can be overridden per deployment. */
export const defaultRoutingConfig: Readonly<RoutingConfig> = Object.freeze({
  offerTimeoutSeconds: 15,
  missesBeforeAutoBreak: 2,
  busyCountsAsMiss: false,
  declineCountsAsMiss: false,
  reofferSameAgentAfterSeconds: 10,
  overflowAnyLanguageAfterSeconds: 30,
  overflowToCoordinatorsAfterSeconds: 60,
  coordinatorsInFirstTiers: false,
  wrapUpSeconds: 30,
  serviceLevelSeconds: 20,
  maxWaitSeconds: 90,
});

/** The config as the core uses it: durations turned into milliseconds once. */
export interface ResolvedRoutingConfig {
  offerTimeoutMs: number;
  missesBeforeAutoBreak: number;
  busyCountsAsMiss: boolean;
  declineCountsAsMiss: boolean;
  reofferSameAgentAfterMs: number;
  overflowAnyLanguageAfterMs: number;
  overflowToCoordinatorsAfterMs: number;
  coordinatorsInFirstTiers: boolean;
  wrapUpMs: number;
  serviceLevelSeconds: number;
  /** 0 = no limit. */
  maxWaitMs: number;
}

/**
 * Merges overrides into the defaults and checks them. A bad value is a deployment mistake that
 * would make calls ring forever or never overflow, so it throws at start-up rather than routing
 * oddly.
 */
export function resolveRoutingConfig(overrides: Partial<RoutingConfig> = {}): ResolvedRoutingConfig {
  const config: RoutingConfig = { ...defaultRoutingConfig, ...overrides };
  const positive = ['offerTimeoutSeconds'] as const;
  const nonNegative = [
    'reofferSameAgentAfterSeconds',
    'overflowAnyLanguageAfterSeconds',
    'overflowToCoordinatorsAfterSeconds',
    'wrapUpSeconds',
    'serviceLevelSeconds',
    'maxWaitSeconds',
  ] as const;
  for (const name of positive) {
    if (!(Number.isFinite(config[name]) && config[name] > 0)) throw new RangeError(`${name} must be > 0`);
  }
  for (const name of nonNegative) {
    if (!(Number.isFinite(config[name]) && config[name] >= 0)) throw new RangeError(`${name} must be >= 0`);
  }
  if (!(Number.isInteger(config.missesBeforeAutoBreak) && config.missesBeforeAutoBreak >= 1)) {
    throw new RangeError('missesBeforeAutoBreak must be an integer >= 1');
  }
  if (config.overflowToCoordinatorsAfterSeconds < config.overflowAnyLanguageAfterSeconds) {
    throw new RangeError('overflowToCoordinatorsAfterSeconds must be >= overflowAnyLanguageAfterSeconds');
  }
  return {
    offerTimeoutMs: config.offerTimeoutSeconds * 1000,
    missesBeforeAutoBreak: config.missesBeforeAutoBreak,
    busyCountsAsMiss: config.busyCountsAsMiss,
    declineCountsAsMiss: config.declineCountsAsMiss,
    reofferSameAgentAfterMs: config.reofferSameAgentAfterSeconds * 1000,
    overflowAnyLanguageAfterMs: config.overflowAnyLanguageAfterSeconds * 1000,
    overflowToCoordinatorsAfterMs: config.overflowToCoordinatorsAfterSeconds * 1000,
    coordinatorsInFirstTiers: config.coordinatorsInFirstTiers,
    wrapUpMs: config.wrapUpSeconds * 1000,
    serviceLevelSeconds: config.serviceLevelSeconds,
    maxWaitMs: config.maxWaitSeconds * 1000,
  };
}
