import type { CountryCode, MetadataJson, PhoneNumber } from 'libphonenumber-js/core';
import maxMetadata from 'libphonenumber-js/max/metadata';
import { CHINA_AREA_CODES } from './china-area-codes';
import { maskPhoneWith, parsePhoneWith, type PhoneProblem } from './phone-core';
import type { RegionCode } from './regions';

export type { PhoneProblem } from './phone-core';

const METADATA: MetadataJson = maxMetadata;

/** Whether a number rings a mobile phone, a fixed line, or cannot be told (VoIP, toll-free, shared ranges). */
export type PhoneKind = 'mobile' | 'fixed' | 'unknown';

/** A phone number that parsed and is valid, or why not. */
export type ParsedPhone =
  | {
      ok: true;
      /** The number in E.164 form (+8613800138000): the one form stored, compared and hashed. */
      e164: string;
      /** ISO 3166 country, when the number belongs to one. */
      country?: CountryCode;
      /** Where a Chinese fixed line rings, from its area code; undefined for mobiles and other countries. */
      regionCode?: RegionCode;
      kind: PhoneKind;
    }
  | { ok: false; reason: PhoneProblem };

/**
 * Parses a phone number as a volunteer types it ("0731-8888 1234", "+86 138 0013 8000",
 * "0086 10 6512 3456", full-width digits) into E.164, using full metadata so that a number of the
 * right length in an unused range is refused too. National numbers are read in `defaultCountry`.
 */
export function parsePhoneNumber(input: string, defaultCountry: CountryCode = 'CN'): ParsedPhone {
  const parsed = parsePhoneWith(METADATA, input, defaultCountry);
  if (!parsed.ok) return parsed;
  const { phone } = parsed;
  const kind = kindOf(phone);
  const regionCode = phone.countryCallingCode === '86' && kind !== 'mobile' ? regionOfChineseNumber(phone.nationalNumber) : undefined;
  return { ok: true, e164: phone.number, country: phone.country, regionCode, kind };
}

function kindOf(phone: PhoneNumber): PhoneKind {
  switch (phone.getType()) {
    case 'MOBILE':
      return 'mobile';
    case 'FIXED_LINE':
      return 'fixed';
    default:
      return 'unknown';
  }
}

/**
 * The region of a Chinese fixed-line national number (area code without the 0, then the local
 * number). Area codes are two digits for 10 and 2x, three otherwise; the longest key in the table
 * wins, so a key one digit longer can split a shared code.
 */
export function regionOfChineseNumber(nationalNumber: string): RegionCode | undefined {
  const areaCodeLength = /^(?:10|2\d)/.test(nationalNumber) ? 2 : 3;
  const areaCode = nationalNumber.slice(0, areaCodeLength);
  const refined = CHINA_AREA_CODES[nationalNumber.slice(0, areaCodeLength + 1)];
  return refined ?? CHINA_AREA_CODES[areaCode];
}

/**
 * The exact string the app feeds to the blind-index HMAC for a phone number: its E.164 form, so
 * that "0731-8888 1234" and "+86 731 88881234" find the same record. Throws on an invalid number,
 * since hashing garbage would silently never match.
 */
export function phoneBlindIndexInput(e164: string): string {
  const parsed = parsePhoneNumber(e164);
  if (!parsed.ok) throw new RangeError(`not a valid phone number (${parsed.reason})`);
  return parsed.e164;
}

/** A phone number masked for lists ('+86 138****5678'); see `maskPhoneWith`. */
export function maskPhone(e164: string): string {
  return maskPhoneWith(METADATA, e164);
}
