import { checkPseudonym, checkRealName, type PseudonymProblem } from '../../shared/pseudonym';
import { getRegion, isSpecialRegionInput, isValidRegionInput } from '../../shared/regions';
import { Organization } from '../../shared/schemas/statements';
import { SUBMISSION_KEY } from '../../domain/statements/statement-fields';
import type { PublicKey } from './i18n';
import type { AntiAbuseProof, PublicSubmission } from './registry-port';

/** What the person typed, kept as text so a refused form comes back exactly as it was sent. */
export interface SubmitFormValues {
  nameKind: string;
  name: string;
  organizations: string[];
  province: string;
  prefecture: string;
  county: string;
  peopleCount: string;
  text: string;
  consent: boolean;
  /**
   * The key every sending of this form carries (a hidden field, made when the form is first shown and
   * kept while it comes back), so that however often it is sent, one statement is stored.
   */
  submissionKey: string;
}

/** The fields a message can stand next to; `form` is the message above the form. */
export type FormField = 'nameKind' | 'name' | 'organizations' | 'region' | 'peopleCount' | 'text' | 'consent' | 'form';

/** A message for a field: a key of the page strings, or a pseudonym problem (translated by the shared table). */
export type FieldMessage = { key: PublicKey; params?: Record<string, string | number> } | { pseudonym: PseudonymProblem };

/** Messages by field. */
export type FieldErrors = Partial<Record<FormField, FieldMessage>>;

/** Longest value kept from any field; longer ones are cut when re-rendered, and refused. */
export const FIELD_LIMITS = { name: 100, text: 2000, code: 64, short: 16 } as const;

/** Most people one public statement may cover (the registry's limit for the public form). */
export const MAX_PEOPLE = 1000;

/** An empty form, as first shown. */
export const EMPTY_FORM: SubmitFormValues = {
  nameKind: 'pseudonym',
  name: '',
  organizations: [],
  province: '',
  prefecture: '',
  county: '',
  peopleCount: '1',
  text: '',
  consent: false,
  submissionKey: '',
};

/** Fields a form sends once (organizations may come several times). */
const SINGLE_VALUED = ['nameKind', 'name', 'province', 'prefecture', 'county', 'peopleCount', 'text', 'consent', 'formToken', 'powChallenge', 'powNonce', 'website', 'submissionKey'] as const;

function one(value: unknown, limit: number): string {
  const first: unknown = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first.slice(0, limit) : '';
}

function fullLength(value: unknown): number {
  const first: unknown = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? Array.from(first).length : 0;
}

function many(value: unknown): string[] {
  const list: unknown[] = Array.isArray(value) ? value : [value];
  return list.filter((v): v is string => typeof v === 'string').slice(0, 5).map((v) => v.slice(0, FIELD_LIMITS.short));
}

/** The region a form names: the most specific of county, prefecture and province, checked for consistency. */
function resolveRegion(values: SubmitFormValues): { region: string } | { error: FieldMessage } {
  const { province, prefecture, county } = values;
  if (province === '') return { error: { key: 'error.region' } };
  if (isSpecialRegionInput(province)) return { region: province };
  const chosen = [province, prefecture, county].filter((code) => code !== '');
  if (!chosen.every(isValidRegionInput)) return { error: { key: 'error.region.invalid' } };
  const provinceRegion = getRegion(province);
  if (provinceRegion?.level !== 'province') return { error: { key: 'error.region.invalid' } };
  const prefectureRegion = prefecture === '' ? undefined : getRegion(prefecture);
  if (prefectureRegion && prefectureRegion.provinceCode !== province) return { error: { key: 'error.region.invalid' } };
  if (county !== '') {
    const countyRegion = getRegion(county);
    const parent = countyRegion?.prefectureCode ?? countyRegion?.provinceCode;
    if (countyRegion?.level !== 'county' || countyRegion.provinceCode !== province || (prefecture !== '' && parent !== prefecture)) {
      return { error: { key: 'error.region.invalid' } };
    }
    return { region: county };
  }
  return { region: prefecture === '' ? province : prefecture };
}

/**
 * The region choice after the no-JavaScript "show counties" step: a prefecture of another province
 * (the person changed the province) and a county of another prefecture are dropped, as the script
 * does when a choice above them changes.
 */
function regionStepValues(values: SubmitFormValues): SubmitFormValues {
  const prefecture = values.prefecture === '' ? undefined : getRegion(values.prefecture);
  const keepPrefecture = prefecture !== undefined && prefecture.level !== 'province' && prefecture.provinceCode === values.province;
  const county = values.county === '' ? undefined : getRegion(values.county);
  const keepCounty = keepPrefecture && county?.level === 'county' && county.prefectureCode === values.prefecture;
  return { ...values, prefecture: keepPrefecture ? values.prefecture : '', county: keepCounty ? values.county : '' };
}

/** What a posted form holds: values to re-render, messages per field, and the submission when nothing is wrong. */
export interface SubmitFormReading {
  values: SubmitFormValues;
  errors: FieldErrors;
  submission?: PublicSubmission;
  antiAbuse: AntiAbuseProof;
  /** The form's submission key, when it sent a well-formed one. */
  submissionKey?: string;
  /**
   * True when the person pressed "show counties" (the no-JavaScript region step): the form is to be
   * shown again with the chosen prefecture's counties, nothing checked and nothing stored.
   */
  isRegionStep: boolean;
}

/**
 * Reads a posted form (urlencoded, so every value is a string or a list of them, or anything at all
 * when someone posts something else) into the values to re-render, the messages per field, and the
 * submission when nothing is wrong. The registry checks everything again; this gives the person
 * messages next to the fields they concern.
 */
export function readSubmitForm(body: unknown): SubmitFormReading {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const values: SubmitFormValues = {
    nameKind: one(b.nameKind, FIELD_LIMITS.short),
    name: one(b.name, FIELD_LIMITS.name),
    organizations: many(b.organizations),
    province: one(b.province, FIELD_LIMITS.short),
    prefecture: one(b.prefecture, FIELD_LIMITS.short),
    county: one(b.county, FIELD_LIMITS.short),
    peopleCount: one(b.peopleCount, FIELD_LIMITS.short),
    text: one(b.text, FIELD_LIMITS.text),
    consent: one(b.consent, FIELD_LIMITS.short) !== '',
    submissionKey: SUBMISSION_KEY.test(one(b.submissionKey, FIELD_LIMITS.code)) ? one(b.submissionKey, FIELD_LIMITS.code) : '',
  };
  if (one(b.step, FIELD_LIMITS.short) === 'regions') return { values: regionStepValues(values), errors: {}, antiAbuse: {}, isRegionStep: true };
  const errors: FieldErrors = {};
  // A browser sends each of these once; the same field twice is a hand-made request, refused rather than guessed at.
  if (SINGLE_VALUED.some((field) => Array.isArray(b[field]))) errors.form = { key: 'error.generic' };
  if (values.nameKind !== 'pseudonym' && values.nameKind !== 'real') errors.nameKind = { key: 'error.nameKind' };
  if (fullLength(b.name) > FIELD_LIMITS.name) errors.name = { key: 'error.name.tooLong' };
  else {
    // A real name is checked as a real name (丽丽 is one), a pseudonym as a pseudonym: as the registry does.
    const check = values.nameKind === 'real' ? checkRealName(values.name) : checkPseudonym(values.name);
    if (!check.ok) errors.name = { pseudonym: check.reason };
  }
  const organizations = [...new Set(values.organizations)];
  if (organizations.length === 0 || !organizations.every((o) => Organization.safeParse(o).success)) errors.organizations = { key: 'error.organizations' };
  const region = resolveRegion(values);
  if ('error' in region) errors.region = region.error;
  const peopleCount = /^\s*\d{1,4}\s*$/.test(values.peopleCount) ? Number(values.peopleCount) : NaN;
  if (!(peopleCount >= 1 && peopleCount <= MAX_PEOPLE)) errors.peopleCount = { key: 'error.peopleCount' };
  if (fullLength(b.text) > FIELD_LIMITS.text) errors.text = { key: 'error.text.tooLong' };
  if (!values.consent) errors.consent = { key: 'error.consent' };

  const powChallenge = one(b.powChallenge, 512);
  const powNonce = one(b.powNonce, 64);
  const formToken = one(b.formToken, 1024);
  const honeypot = one(b.website, 200);
  const antiAbuse: AntiAbuseProof = {
    ...(powChallenge !== '' && powNonce !== '' ? { pow: { challenge: powChallenge, nonce: powNonce } } : {}),
    ...(formToken !== '' ? { formToken } : {}),
    ...(honeypot !== '' ? { honeypot } : {}),
  };
  if (Object.keys(errors).length > 0 || 'error' in region) return { values, errors, antiAbuse, isRegionStep: false };
  return {
    values,
    errors,
    antiAbuse,
    isRegionStep: false,
    ...(values.submissionKey === '' ? {} : { submissionKey: values.submissionKey }),
    submission: {
      nameKind: values.nameKind as PublicSubmission['nameKind'],
      name: values.name.trim(),
      organizations: organizations as PublicSubmission['organizations'],
      peopleCount,
      region: region.region,
      text: values.text.trim(),
      consent: true,
    },
  };
}
