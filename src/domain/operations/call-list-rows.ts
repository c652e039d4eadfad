import { parsePhoneNumber } from '../../shared/phone';
import { isValidRegionCode } from '../../shared/regions';
import { type ImportProblem, ListCategory } from '../../shared/schemas/operations';

/** One CSV row as read, by column name. */
export type CsvRecord = Record<string, string | undefined>;

/** A row that passed validation. */
export interface ValidListRow {
  e164: string;
  organization: string;
  category: ListCategory;
  regionCode: string | null;
}

/** Accepted header names for each field (English and Chinese). */
const HEADER_ALIASES: Record<'number' | 'organization' | 'category' | 'region', string[]> = {
  number: ['number', 'phone', 'phone_number', 'telephone', '号码', '电话', '電話'],
  organization: ['organization', 'organization_name', 'organisation', 'name', '单位', '單位', '机构', '機構'],
  category: ['category', 'type', '类别', '類別'],
  region: ['region', 'region_code', '地区', '地區'],
};

const CATEGORY_ALIASES: Record<string, ListCategory> = {
  county: 'county_government',
  county_gov: 'county_government',
  县政府: 'county_government',
  縣政府: 'county_government',
  政府: 'government',
  公安: 'police',
  派出所: 'police',
  police_station: 'police',
  检察院: 'procuratorate',
  檢察院: 'procuratorate',
  prosecutor: 'procuratorate',
  法院: 'court',
  学校: 'school',
  學校: 'school',
  医院: 'hospital',
  醫院: 'hospital',
  公司: 'company',
  business: 'company',
  住宅: 'home',
  家庭: 'home',
  residence: 'home',
};

/** The longest value a field may hold; longer rows are refused, not truncated. */
export const MAX_FIELD_LENGTH = 200;

/** Maps a header line to canonical field names; unknown columns are kept and ignored. */
export function canonicalHeader(columns: string[]): string[] {
  return columns.map((column) => {
    const name = column.normalize('NFKC').trim().toLowerCase().replace(/[\s-]+/g, '_');
    for (const [field, aliases] of Object.entries(HEADER_ALIASES)) if (aliases.includes(name)) return field;
    return name;
  });
}

/** Reads a category as people write it ("County government", "police", "派出所"). */
export function parseCategory(text: string): ListCategory | undefined {
  const key = text.normalize('NFKC').trim().toLowerCase().replace(/[\s-]+/g, '_');
  const direct = ListCategory.safeParse(key);
  if (direct.success) return direct.data;
  return CATEGORY_ALIASES[key];
}

/** Validates one record; returns the row or the first problem found. */
export function validateListRecord(record: CsvRecord): { ok: true; row: ValidListRow } | { ok: false; problem: ImportProblem } {
  const numberText = record.number?.trim() ?? '';
  const organization = record.organization?.normalize('NFKC').trim() ?? '';
  const categoryText = record.category?.trim() ?? '';
  const regionText = record.region?.trim() ?? '';
  if ([numberText, organization, categoryText, regionText].some((value) => value.length > MAX_FIELD_LENGTH)) return { ok: false, problem: 'FIELD_TOO_LONG' };
  if (numberText === '') return { ok: false, problem: 'NUMBER_MISSING' };
  const phone = parsePhoneNumber(numberText);
  if (!phone.ok) {
    const problem: ImportProblem = phone.reason === 'TOO_SHORT' ? 'NUMBER_TOO_SHORT' : phone.reason === 'TOO_LONG' ? 'NUMBER_TOO_LONG' : 'NUMBER_INVALID';
    return { ok: false, problem };
  }
  if (organization === '') return { ok: false, problem: 'ORGANIZATION_MISSING' };
  const category = parseCategory(categoryText);
  if (!category) return { ok: false, problem: 'CATEGORY_UNKNOWN' };
  if (regionText !== '' && !isValidRegionCode(regionText)) return { ok: false, problem: 'REGION_UNKNOWN' };
  return { ok: true, row: { e164: phone.e164, organization, category, regionCode: regionText === '' ? (phone.regionCode ?? null) : regionText } };
}
