import { z } from 'zod';
import { LOCALES } from '../../shared/localized-text';
import { regionName } from '../../shared/regions';

/** A region with its name in every console language, so the browser needs no region tables. */
export const RegionOut = z.object({
  code: z.string(),
  name: z.object({ en: z.string(), 'zh-Hans': z.string(), 'zh-Hant': z.string() }),
});
export type RegionOut = z.infer<typeof RegionOut>;

/** A region code as API output; null for no code or one we do not know. */
export function presentRegion(code: string | null): RegionOut | null {
  if (code === null) return null;
  const names = LOCALES.map((locale) => [locale, regionName(code, locale)] as const);
  if (names.some(([, name]) => name === undefined)) return null;
  return { code, name: Object.fromEntries(names) as RegionOut['name'] };
}
