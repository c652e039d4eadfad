import type { Locale } from '../../shared/localized-text';
import { LOCALES } from '../../shared/localized-text';
import { listAllCounties, listAllPrefectures } from '../../shared/regions';
import { placeName } from '../../shared/region-names';
import type { StoryContent } from './story-text';

/** What a story must not say unless a coordinator keeps it on purpose. */
export type PersonalDetailKind = 'real_name' | 'phone' | 'followup' | 'place' | 'number';

/** One personal detail found in a story's text. */
export interface PersonalDetail {
  kind: PersonalDetailKind;
  /** The text as it appears in the story (what a coordinator confirms keeping). */
  text: string;
  locale: Locale;
}

/** What the story's own calls hold that must not appear: names, numbers, contact details. */
export interface StorySecrets {
  realNames: string[];
  /** Phone numbers in E.164 (+8613912345678). */
  phones: string[];
  /** Follow-up contacts' names and how to reach them. */
  followups: string[];
}

let countyNames: { name: string; locale: Locale }[] | undefined;

/**
 * Names of places below the prefecture in every language (长沙县, 長沙縣, Changsha County...):
 * Chinese names of three characters or more (a two-character stem such as 长沙 is also the
 * prefecture's), English names with their kind word ("Changsha County"), never a prefecture's name.
 */
function placesBelowPrefecture(): { name: string; locale: Locale }[] {
  if (countyNames !== undefined) return countyNames;
  const names = new Map<string, Locale>();
  const prefectures = new Set(listAllPrefectures().flatMap((p) => LOCALES.map((locale) => placeName(p.name, 'prefecture', locale))));
  for (const county of listAllCounties()) {
    for (const locale of LOCALES) {
      const name = placeName(county.name, 'county', locale);
      const distinct = locale === 'en' ? name.includes(' ') : name.length >= 3;
      if (distinct && !prefectures.has(name)) names.set(name, locale);
    }
  }
  countyNames = [...names].map(([name, locale]) => ({ name, locale }));
  return countyNames;
}

/** Digits only. */
const digitsOf = (text: string) => text.replace(/\D/g, '');

/**
 * The personal details in a story: the real names, numbers and follow-up details of its calls,
 * any number long enough to be a phone number, and any county-level place name. A story is
 * published only when this is empty or the coordinator kept each finding on purpose.
 */
export function findPersonalDetails(content: StoryContent, secrets: StorySecrets): PersonalDetail[] {
  const found = new Map<string, PersonalDetail>();
  const add = (kind: PersonalDetailKind, text: string, locale: Locale) => {
    if (!found.has(`${kind}\u0000${text}`)) found.set(`${kind}\u0000${text}`, { kind, text, locale });
  };
  for (const locale of LOCALES) {
    const text = `${content[locale].title}\n${content[locale].body}`;
    for (const name of secrets.realNames) if (name.trim().length > 0 && text.includes(name.trim())) add('real_name', name.trim(), locale);
    for (const detail of secrets.followups) if (detail.trim().length >= 2 && text.includes(detail.trim())) add('followup', detail.trim(), locale);
    // Runs of digits with the separators people type (spaces, dashes, dots, brackets, a plus).
    for (const match of text.matchAll(/\+?[\d\uFF10-\uFF19][\d\uFF10-\uFF19 ().\-\u2010-\u2015]{5,}[\d\uFF10-\uFF19]/g)) {
      const digits = digitsOf(match[0].replace(/[\uFF10-\uFF19]/g, (c) => String(c.charCodeAt(0) - 0xff10)));
      if (digits.length < 7) continue;
      // The same number written with or without its country or area code.
      const sameNumber = (known: string) => {
        const all = digitsOf(known);
        return all.length >= 7 && (all.endsWith(digits) || digits.endsWith(all) || all.slice(-8) === digits.slice(-8));
      };
      const kind = secrets.phones.some(sameNumber) ? 'phone' : secrets.followups.some(sameNumber) ? 'followup' : 'number';
      add(kind, match[0].trim(), locale);
    }
    for (const place of placesBelowPrefecture()) if (text.includes(place.name)) add('place', place.name, locale);
  }
  return [...found.values()];
}
