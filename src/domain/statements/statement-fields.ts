import { randomBytes, randomInt } from 'node:crypto';
import { findPhoneNumbersInText } from 'libphonenumber-js';
import type { Keyring } from '../../crypto/keyring';
import { maskRealName, normalizePseudonym } from '../../shared/pseudonym';
import { simplified } from './threats';

/** Encryption context of a statement's real name. */
export const REAL_NAME_CONTEXT = 'statements.real_name';

/**
 * A real name in the form compared for duplicates: NFKC, no whitespace or middle dots, lower case,
 * Traditional characters as Simplified (王建國 and 王 建国 are the same person's name).
 */
export function normalizeRealNameForIndex(name: string): string {
  return simplified(name.normalize('NFKC'))
    .replace(/[\s·•‧・∙⋅.]/gu, '')
    .toLowerCase();
}

/** The keyed blind index (hex) of a real name, for finding possible duplicates without decrypting. */
export function realNameIndex(keyring: Keyring, name: string): string {
  return keyring.blindIndex('statements.real_name', normalizeRealNameForIndex(name)).toString('hex');
}

/** The name the public sees for a real name. */
export function publicNameForRealName(name: string): string {
  return maskRealName(name);
}

const RECEIPT_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
/** A receipt code's length without dashes (31^12, about 59 bits). */
const RECEIPT_LENGTH = 12;

const grouped = (chars: string) => `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}`;

/** A new receipt code, e.g. `K7QM-3XWD-P9RA`: shown once to the submitter, never stored. */
export function newReceiptCode(): string {
  return grouped(Array.from({ length: RECEIPT_LENGTH }, () => RECEIPT_ALPHABET[randomInt(RECEIPT_ALPHABET.length)]).join(''));
}

/**
 * A public submission's key: the random value the form (a hidden field) or an API client (the
 * `Idempotency-Key` header) sends with every attempt to store the same statement, so that a double
 * click, a retry after a lost answer or a resend after reload stores it once.
 */
export const SUBMISSION_KEY = /^[A-Za-z0-9_-]{16,64}$/;

/** A fresh submission key (128 random bits), as the public form is first shown with. */
export function newSubmissionKey(): string {
  return randomBytes(16).toString('base64url');
}

/**
 * The receipt code of a statement sent with a submission key (`attempt`: the key and the statement
 * as sent): derived with the server's secret, so every attempt to send it is shown the same code
 * while nothing stores the code (only its hash, as for every receipt), and nobody without the key
 * file can derive it.
 */
export function receiptCodeOfSubmission(keyring: Keyring, attempt: string): string {
  let value = BigInt(`0x${keyring.blindIndex('statements.submission-receipt', attempt).toString('hex')}`);
  const base = BigInt(RECEIPT_ALPHABET.length);
  let chars = '';
  for (let i = 0; i < RECEIPT_LENGTH; i++) {
    chars += RECEIPT_ALPHABET.charAt(Number(value % base));
    value /= base;
  }
  return grouped(chars);
}

/** The stored client id of a statement sent with a submission key: a keyed hash, so the key itself is never stored. */
export function clientIdOfSubmission(keyring: Keyring, attempt: string): string {
  return `web:${keyring.blindIndex('statements.submission-key', attempt).toString('base64url').slice(0, 40)}`;
}

/** A receipt code as typed (any case, dashes, spaces, O for 0, I/L for 1) in canonical form. */
export function normalizeReceiptCode(code: string): string {
  return code
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
}

/**
 * What is stored for a receipt code: a keyed hash, so a stolen database cannot be searched for
 * codes without the key file either.
 */
export function receiptHash(keyring: Keyring, code: string): string {
  return keyring.blindIndex('statements.receipt', normalizeReceiptCode(code)).toString('hex');
}

/** What replaces a telephone number found in a statement's text. */
export const REDACTED_PHONE = '[…]';

/**
 * A statement's text as it may be published: telephone numbers removed (a caller's number in a
 * public statement could get them arrested) and, for statements under a real name, the real name
 * replaced by its masked form.
 */
export function redactStatementText(text: string, realName?: string): string {
  let out = text;
  // Every telephone number has a digit; most statements have none, and libphonenumber is slow.
  if (/\p{Nd}/u.test(out)) {
    // libphonenumber finds numbers written the many ways people write them (+86 138 0013 8000, 010-6552 9988).
    const found = findPhoneNumbersInText(out, { defaultCountry: 'CN' });
    for (const match of [...found].reverse()) out = `${out.slice(0, match.startsAt)}${REDACTED_PHONE}${out.slice(match.endsAt)}`;
    // Long digit runs libphonenumber did not accept (a mistyped number) go too.
    out = out.replace(/\+?\d[\d\s-]{6,}\d/g, REDACTED_PHONE);
  }
  if (realName !== undefined) {
    const name = normalizePseudonym(realName);
    if (name.length >= 2) out = out.split(name).join(maskRealName(name));
  }
  return out;
}
