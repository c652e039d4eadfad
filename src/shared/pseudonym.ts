import { z } from 'zod';
import { PSEUDONYM_NAMES, type Pseudonym } from './pseudonym-names';
import {
  INSULT_FRAGMENTS,
  OTHER_LEADERS,
  PARAMOUNT_LEADERS,
  PARTY_NAMES,
  PLACEHOLDER_WORDS,
  pseudonymProblemMessages,
  type PseudonymProblem,
} from './pseudonym-problems';

export { PSEUDONYM_NAMES, type Pseudonym } from './pseudonym-names';
export { pseudonymProblemMessages, type PseudonymProblem } from './pseudonym-problems';

/** Longest name a statement can be published under, in characters (not UTF-16 units). */
export const PSEUDONYM_MAX_LENGTH = 12;

/** The outcome of `checkPseudonym`: the name as it will be stored, or why it was refused. */
export type PseudonymCheck = { ok: true; normalized: string } | { ok: false; reason: PseudonymProblem };

/** A random source in [0, 1), injectable so that tests and replays are deterministic. */
export type RandomSource = () => number;

/** One curated pseudonym, chosen at random, for a volunteer to offer or the form to prefill. */
export function suggestPseudonym(random: RandomSource = Math.random): Pseudonym {
  return PSEUDONYM_NAMES[randomIndex(PSEUDONYM_NAMES.length, random)] as Pseudonym;
}

/** `count` different curated pseudonyms in random order (all of them when `count` exceeds the list). */
export function suggestPseudonyms(count: number, random: RandomSource = Math.random): Pseudonym[] {
  const pool = [...PSEUDONYM_NAMES];
  const wanted = Math.max(0, Math.min(Math.floor(count), pool.length));
  // A partial Fisher-Yates shuffle: each pick is removed from the pool, so nothing repeats.
  for (let i = 0; i < wanted; i++) {
    const j = i + randomIndex(pool.length - i, random);
    [pool[i], pool[j]] = [pool[j] as Pseudonym, pool[i] as Pseudonym];
  }
  return pool.slice(0, wanted);
}

function randomIndex(size: number, random: RandomSource): number {
  // Math.min guards against a source that returns exactly 1.
  return Math.min(size - 1, Math.floor(random() * size));
}

/**
 * The form in which a name is compared and stored: NFKC (full-width letters become ASCII), every
 * middle-dot variant as "·", trimmed, runs of whitespace as one space.
 */
export function normalizePseudonym(name: string): string {
  return name
    .normalize('NFKC')
    .replace(/[•‧・∙⋅]/gu, '·')
    .trim()
    .replace(/\s+/gu, ' ');
}

/**
 * A name's characters as people count them: code points, so that 𠀀 (two UTF-16 units) counts
 * once. Not grapheme clusters: Intl.Segmenter may be missing from the old browsers some callers use.
 */
function charactersOf(text: string): string[] {
  return Array.from(text);
}

const HAN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
const LATIN = /\p{Script=Latin}/u;
/** Scripts a name is written in; a name in two of them is almost always a typing accident. */
const SCRIPTS = [
  HAN,
  LATIN,
  /\p{Script=Cyrillic}/u,
  /\p{Script=Arabic}/u,
  /\p{Script=Tibetan}/u,
  /\p{Script=Mongolian}/u,
  /\p{Script=Hangul}/u,
];
/** Words of letters joined by one space, middle dot, hyphen, apostrophe or ". " ("J. Smith", "阿依古丽·买买提"). */
const WORDS_OF_LETTERS = /^[\p{L}\p{M}]+(?:(?:[ ·'’-]|\. ?)[\p{L}\p{M}]+)*\.?$/u;
const CONNECTORS = /[ ·'’.-]/gu;

/** Keyboard rows and columns and the alphabet, in the orders people run a finger along them. */
const KEY_SEQUENCES = [
  'qwertyuiop',
  'asdfghjkl',
  'zxcvbnm',
  'abcdefghijklmnopqrstuvwxyz',
  '1234567890',
  '1qaz',
  '2wsx',
  '3edc',
  '4rfv',
  '5tgb',
  '6yhn',
  '7ujm',
];
const KEY_RUNS = [...KEY_SEQUENCES, ...KEY_SEQUENCES.map((sequence) => charactersOf(sequence).reverse().join(''))];

/** True when `text` is a run of at least `minLength` neighbouring keys or letters ("qwer", "dcba"). */
function isKeyRun(text: string, minLength: number): boolean {
  return text.length >= minLength && KEY_RUNS.some((run) => run.includes(text));
}

/**
 * Mashed keys: a run of four or more anywhere ("xasdfx"), or nothing but runs of three or more
 * ("abc", "qweasd") when the whole is at least `wholeMinLength` long. Three-key runs inside longer
 * text are allowed, or "Robert" (ert) and "Stuart" (stu) would be refused.
 */
function isKeyboardMash(text: string, wholeMinLength = 3): boolean {
  if (!/^[a-z0-9]+$/.test(text)) return false;
  for (let i = 0; i + 4 <= text.length; i++) if (isKeyRun(text.slice(i, i + 4), 4)) return true;
  if (text.length < wholeMinLength) return false;
  // canSplit[i]: text.slice(0, i) is a sequence of runs of three or more.
  const canSplit = [true, ...Array.from({ length: text.length }, () => false)];
  for (let end = 3; end <= text.length; end++) {
    for (let start = 0; start <= end - 3 && !canSplit[end]; start++) {
      if (canSplit[start] === true && isKeyRun(text.slice(start, end), 3)) canSplit[end] = true;
    }
  }
  return canSplit[text.length] === true;
}

/**
 * One character or one group repeated: "福福", "哈哈哈", "aaaa", "hahaha", "asdasd". Short Latin
 * pairs said twice are names ("Lili", "Coco"), so Latin needs three repeats of a two-letter group.
 */
function isRepetition(text: string): boolean {
  const chars = charactersOf(text);
  const isHan = HAN.test(text);
  for (let size = 1; size <= chars.length / 2; size++) {
    if (chars.length % size !== 0) continue;
    const repeats = chars.length / size;
    if (!isHan && size === 2 && repeats < 3) continue;
    const chunk = chars.slice(0, size).join('');
    if (chunk.repeat(repeats) === text) return true;
  }
  return false;
}

/**
 * Latin text no one is named: a word of three or more letters without a vowel ("brrr"), six
 * consonants in a row ("sdkjfh"), or four or more vowels alone ("aeiou"). Deliberately lenient:
 * refusing a real western name is worse than letting an odd one through.
 */
function isLatinGibberish(name: string): boolean {
  const words = name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[ ·'’.-]+/u)
    .filter((word) => word.length > 0);
  return words.some(
    (word) => (word.length >= 3 && !/[aeiouy]/.test(word)) || /[^aeiouy]{6}/.test(word) || (word.length >= 4 && /^[aeiouy]+$/.test(word)),
  );
}

function refuse(reason: PseudonymProblem): PseudonymCheck {
  return { ok: false, reason };
}

const MOCKING_PSEUDONYMS = [...PARAMOUNT_LEADERS, ...OTHER_LEADERS, ...PARTY_NAMES];
const MOCKING_REAL_NAMES = [...PARAMOUNT_LEADERS, ...PARTY_NAMES];

/**
 * The problems every name shares, pseudonym or real: empty, too long, a placeholder, an insult, a
 * leader's or the party's name (`mocking`: the list that applies to this kind of name).
 */
function commonProblem(normalized: string, mocking: readonly string[]): PseudonymProblem | undefined {
  if (normalized === '') return 'EMPTY';
  if (charactersOf(normalized).length > PSEUDONYM_MAX_LENGTH) return 'TOO_LONG';
  const compact = normalized.replace(/ /g, '').toLowerCase();
  if (PLACEHOLDER_WORDS.has(compact)) return 'PLACEHOLDER';
  if (INSULT_FRAGMENTS.some((fragment) => compact.includes(fragment))) return 'PROFANITY_OR_INSULT';
  // Pinyin is compared without tone marks and connectors: "Xí Jìnpíng", "xi-jinping".
  const plain = compact.normalize('NFD').replace(/\p{M}/gu, '').replace(CONNECTORS, '');
  if (mocking.some((name) => plain.includes(name))) return 'LEADER_OR_PARTY_NAME';
  return undefined;
}

/**
 * Checks a name a statement is to be published under and refuses the careless ones the real
 * service refuses: placeholders, one character repeated, mashed keys, digits, symbols. Returns the
 * normalized name to store when it passes. Real names are checked by `checkRealName`.
 */
export function checkPseudonym(name: string): PseudonymCheck {
  const known = pseudonymChecks.get(name);
  if (known !== undefined) return known;
  const result = Object.freeze(checkPseudonymOnce(name));
  if (pseudonymChecks.size >= PSEUDONYM_CHECKS_KEPT) pseudonymChecks.clear();
  pseudonymChecks.set(name, result);
  return result;
}

/**
 * Pseudonyms checked lately: the service's pseudonyms are a few thousand auspicious names used
 * over and over (万顺, 金福 ...), and an import checks millions of them. Real names are not kept.
 */
const pseudonymChecks = new Map<string, PseudonymCheck>();
const PSEUDONYM_CHECKS_KEPT = 10_000;

function checkPseudonymOnce(name: string): PseudonymCheck {
  const normalized = normalizePseudonym(name);
  const common = commonProblem(normalized, MOCKING_PSEUDONYMS);
  if (common !== undefined) return refuse(common);
  const letters = normalized.replace(/ /g, '').toLowerCase().replace(CONNECTORS, '');
  if (isKeyboardMash(letters)) return refuse('KEYBOARD_RUN');
  if (charactersOf(letters).length >= 2 && isRepetition(letters)) return refuse('REPEATED_CHARACTER');
  if (/\p{N}/u.test(normalized)) return refuse('HAS_DIGITS');
  if (!WORDS_OF_LETTERS.test(normalized)) return refuse('HAS_PUNCTUATION_OR_SYMBOLS');
  if (SCRIPTS.filter((script) => script.test(normalized)).length > 1) return refuse('MIXED_SCRIPTS');
  if (charactersOf(letters).length === 1 && !HAN.test(letters)) return refuse('TOO_SHORT');
  if (LATIN.test(normalized) && isLatinGibberish(normalized)) return refuse('LATIN_GIBBERISH');
  return { ok: true, normalized };
}

/**
 * Checks a real name. A real name is whatever the person is called, so repeats (丽丽), short names
 * ("Bo"), odd Latin spellings and mixed scripts pass; what no one is called is refused as for a
 * pseudonym: placeholders, insults, digits ("111", "王2"), keys run along the keyboard ("asdf",
 * "qwer", "qweasd"), punctuation and symbols, and one Latin letter said over and over ("aaa").
 * Digits are looked at before anything else, so "111" and "123" are refused as digits.
 */
export function checkRealName(name: string): PseudonymCheck {
  const normalized = normalizePseudonym(name);
  const common = commonProblem(normalized, MOCKING_REAL_NAMES);
  if (common !== undefined) return refuse(common);
  if (/\p{N}/u.test(normalized)) return refuse('HAS_DIGITS');
  const letters = normalized.replace(/ /g, '').toLowerCase().replace(CONNECTORS, '');
  // Runs of four keys anywhere, or a name made of three-key runs only when it is six letters or
  // more: "Stu" and "Abe" are names, "qweasd" is not.
  if (isKeyboardMash(letters, 6)) return refuse('KEYBOARD_RUN');
  if (!WORDS_OF_LETTERS.test(normalized)) return refuse('HAS_PUNCTUATION_OR_SYMBOLS');
  if (/^([a-z])\1{2,}$/.test(letters)) return refuse('REPEATED_CHARACTER');
  return { ok: true, normalized };
}

/** A pseudonym field: normalized, then refused with the problem code in `params.reason` when careless. */
export const PseudonymSchema = /* @__PURE__ */ z
  .string()
  .overwrite(normalizePseudonym)
  .superRefine((value, ctx) => {
    const result = checkPseudonym(value);
    if (!result.ok) {
      ctx.addIssue({
        code: 'custom',
        message: pseudonymProblemMessages[result.reason].en,
        params: { reason: result.reason },
      });
    }
  });

/**
 * A real name as the public may see it: enough for the person to recognise their own statement,
 * too little for anyone else to identify them.
 * - Chinese names keep the first and the last character (王小明 -> 王*明, 欧阳小明 -> 欧**明, so a
 *   compound surname is never shown whole); a two-character name keeps the surname (王明 -> 王*);
 *   a one-character name is a surname given alone and is kept with a star (王 -> 王*), which names
 *   nobody. A name in parts joined by a middle dot (a transliterated Uyghur or foreign name) is
 *   masked part by part (阿依古丽·买买提 -> 阿**丽·买*提).
 * - Latin names keep initials (John Smith -> J. S.).
 */
export function maskRealName(realName: string): string {
  const name = normalizePseudonym(realName);
  if (name === '') return '';
  if (HAN.test(name) || /\p{Script=Hangul}/u.test(name)) {
    return name
      .replace(/\s/gu, '')
      .split('·')
      .filter((part) => part !== '')
      .map((part) => {
        const chars = charactersOf(part);
        const first = chars[0] ?? '';
        if (chars.length <= 2) return `${first}*`;
        return `${first}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1] ?? ''}`;
      })
      .join('·');
  }
  return name
    .split(' ')
    .map((word) => word.match(/[\p{L}\p{N}]/u)?.[0]?.toLocaleUpperCase())
    .filter((initial) => initial !== undefined)
    .map((initial) => `${initial}.`)
    .join(' ');
}
