import type { ProvinceCount } from '../../domain/counters/counter-cache';
import { LOCALES, type Locale } from '../../shared/localized-text';
import { regionName } from '../../shared/regions';

/** A province's totals as the public API shows them. */
export interface ProvinceCountOut extends ProvinceCount {
  name: Record<Locale, string>;
}

/** Province totals with their names in every language ('unknown' for a code no table knows). */
export function presentProvinces(counts: readonly ProvinceCount[]): ProvinceCountOut[] {
  return counts.map((count) => {
    const code = count.provinceCode === '' ? 'unknown' : count.provinceCode;
    const name = Object.fromEntries(LOCALES.map((locale) => [locale, regionName(code, locale) ?? regionName('unknown', locale) ?? code])) as Record<Locale, string>;
    return { ...count, provinceCode: code, name };
  });
}
