import { AppError } from '../../shared/app-error';
import { maskPhone, type PhoneKind, parsePhoneNumber } from '../../shared/phone';
import type { RegionCode } from '../../shared/regions';
import { type Actor, authorize } from '../auth/policy';
import type { Deps } from '../deps';
import { regionOfNumber } from './number-region';

/** What the workspace shows about the number of a call in progress. */
export interface NumberDescription {
  masked: string;
  kind: PhoneKind;
  regionCode: RegionCode | null;
}

/**
 * Checks a number typed in the workspace with the full numbering plan and says where it rings (a
 * fixed line by area code, a mobile by prefix). Done by the server so that the console's bundle
 * carries neither the full metadata nor the geocoding data. Nothing is stored or logged.
 */
export async function describeNumber(deps: Deps, args: { actor: Actor; phone: string }): Promise<NumberDescription> {
  authorize(args.actor, 'call.create', undefined, deps.clock());
  const parsed = parsePhoneNumber(args.phone);
  if (!parsed.ok)
    throw new AppError('VALIDATION_FAILED', 'The phone number is not valid', { details: { field: 'phone', reason: parsed.reason } });
  return { masked: maskPhone(parsed.e164), kind: parsed.kind, regionCode: (await regionOfNumber(parsed.e164)) ?? null };
}
