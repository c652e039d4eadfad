/**
 * The closed lists of the calls area as plain arrays, without zod: the schemas in calls.ts and
 * statement-basics.ts are built from them, and the console imports these so that its bundle
 * carries no schema library.
 */

/** How a call ended, as the volunteer records it. */
export const CALL_OUTCOMES = [
  'no_answer',
  'busy',
  'wrong_number',
  'hung_up',
  'listened',
  'declined',
  'registered',
  'hostile',
  'callback_requested',
  'out_of_service',
] as const;

/** What kind of place answered the phone. */
export const ORG_TYPES = [
  'county_government',
  'township_government',
  'city_government',
  'police_station',
  'procuratorate',
  'court',
  'party_office',
  'company',
  'school',
  'hospital',
  'home',
  'other',
] as const;

/** How a statement reached the registry. */
export const CHANNELS = ['web', 'hotline', 'outbound', 'service_point', 'email', 'letter', 'fax', 'volunteer_batch'] as const;

/** How the person registered relates to the person on the phone. */
export const RELATIONS = ['self', 'coworker', 'family', 'friend', 'neighbor', 'other'] as const;

/** Occupation categories a statement may carry. */
export const OCCUPATIONS = [
  'government',
  'police',
  'judiciary',
  'military',
  'education',
  'health',
  'business',
  'farmer',
  'worker',
  'student',
  'retired',
  'other',
] as const;
