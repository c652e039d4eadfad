import {
  type CountryCode,
  type MetadataJson,
  type PhoneNumber,
  parsePhoneNumberFromString,
  parsePhoneNumberWithError,
  ParseError,
  validatePhoneNumberLength,
} from 'libphonenumber-js/core';

/** Why a phone number was refused, as a code the console translates. */
export type PhoneProblem = 'INVALID' | 'TOO_SHORT' | 'TOO_LONG' | 'NOT_A_NUMBER';

/**
 * Phone parsing with the metadata passed in: the server uses the full numbering plan (`phone.ts`),
 * the console the small one (`web/console/src/phone.ts`) so that its bundle stays small; the server
 * checks every number again with the full plan when it is saved.
 */
export function parsePhoneWith(
  metadata: MetadataJson,
  input: string,
  defaultCountry: CountryCode,
): { ok: true; phone: PhoneNumber } | { ok: false; reason: PhoneProblem } {
  const text = input.normalize('NFKC').trim();
  if (!/\d/.test(text)) return { ok: false, reason: 'NOT_A_NUMBER' };
  let phone: PhoneNumber;
  try {
    phone = parsePhoneNumberWithError(text, defaultCountry, metadata);
  } catch (error) {
    if (error instanceof ParseError) return { ok: false, reason: problemOf(error.message) };
    throw error;
  }
  if (!phone.isValid()) return { ok: false, reason: lengthProblem(metadata, text, defaultCountry) };
  return { ok: true, phone };
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
function lengthProblem(metadata: MetadataJson, text: string, defaultCountry: CountryCode): PhoneProblem {
  const problem = validatePhoneNumberLength(text, defaultCountry, metadata);
  return problem === 'TOO_SHORT' || problem === 'TOO_LONG' ? problem : 'INVALID';
}

/**
 * A phone number as a list may show it: country code, the first three and last four digits of
 * the national number ('+86 138****5678'). Shorter numbers keep only their last two digits. Does
 * not insist on validity, so that numbers stored before a numbering-plan change still mask.
 */
export function maskPhoneWith(metadata: MetadataJson, e164: string): string {
  const phone = parsePhoneNumberFromString(e164.normalize('NFKC'), metadata);
  if (phone === undefined) return '****';
  const national = phone.nationalNumber;
  const masked =
    national.length >= 9
      ? `${national.slice(0, 3)}${'*'.repeat(national.length - 7)}${national.slice(-4)}`
      : `${'*'.repeat(Math.max(0, national.length - 2))}${national.slice(-2)}`;
  return `+${phone.countryCallingCode} ${masked}`;
}
