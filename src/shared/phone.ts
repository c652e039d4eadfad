import {
  type CountryCode,
  type PhoneNumber,
  parsePhoneNumberFromString,
  parsePhoneNumberWithError,
  ParseError,
  validatePhoneNumberLength,
} from 'libphonenumber-js/max';
import { CHINA_AREA_CODES } from './china-area-codes';
import type { RegionCode } from './regions';

/** Whether a number rings a mobile phone, a fixed line, or cannot be told (VoIP, toll-free, shared ranges). */
export type PhoneKind = 'mobile' | 'fixed' | 'unknown';

/** Why a phone number was refused, as a code the console translates. */
export type PhoneProblem = 'INVALID' | 'TOO_SHORT' | 'TOO_LONG' | 'NOT_A_NUMBER';

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
  const text = input.normalize('NFKC').trim();
  if (!/\d/.test(text)) return { ok: false, reason: 'NOT_A_NUMBER' };
  let phone: PhoneNumber;
  try {
    phone = parsePhoneNumberWithError(text, defaultCountry);
  } catch (error) {
    if (error instanceof ParseError) return { ok: false, reason: problemOf(error.message) };
    throw error;
  }
  if (!phone.isValid()) return { ok: false, reason: lengthProblem(text, defaultCountry) };
  const kind = kindOf(phone);
  const regionCode = phone.countryCallingCode === '86' && kind !== 'mobile' ? regionOfChineseNumber(phone.nationalNumber) : undefined;
  return { ok: true, e164: phone.number, country: phone.country, regionCode, kind };
}

function problemOf(message: string): PhoneProblem {
  switch (message) {
    case 'TOO_SHORT':
      return 'TOO_SHORT';
    case 'TOO_LONG':
      return 'TOO_LONG';
    case 'NOT_A_NUMBER':
      return 'NOT_A_NUMBER';
    default:
      // INVALID_COUNTRY and INVALID_LENGTH: digits, but no number we can place.
      return 'INVALID';
  }
}

/** Says "too short"/"too long" where that is the reason, so a volunteer looks for the missing digit. */
function lengthProblem(text: string, defaultCountry: CountryCode): PhoneProblem {
  const problem = validatePhoneNumberLength(text, defaultCountry);
  return problem === 'TOO_SHORT' || problem === 'TOO_LONG' ? problem : 'INVALID';
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

/**
 * A phone number as a list may show it: country code, the first three and last four digits of
 * the national number ('+86 138****5678'). Shorter numbers keep only their last two digits. Does
 * not insist on validity, so that numbers stored before a numbering-plan change still mask.
 */
export function maskPhone(e164: string): string {
  const phone = parsePhoneNumberFromString(e164.normalize('NFKC'));
  if (phone === undefined) return '****';
  const national = phone.nationalNumber;
  const masked =
    national.length >= 9
      ? `${national.slice(0, 3)}${'*'.repeat(national.length - 7)}${national.slice(-4)}`
      : `${'*'.repeat(Math.max(0, national.length - 2))}${national.slice(-2)}`;
  return `+${phone.countryCallingCode} ${masked}`;
}
