import { pinyin } from 'pinyin-pro';
import type { Locale } from './localized-text';
import { toTraditional } from './traditional';

/** Administrative level of a region, as the public form and the statistics name it. */
export type RegionLevel = 'province' | 'prefecture' | 'county';

/**
 * Ethnic groups named in autonomous regions, prefectures, counties and banners, so that
 * "湘西土家族苗族自治州" shortens to "湘西" in English; a generic "anything before 族" rule would eat
 * the place name too. Most are followed by 族; the second list also appears without it
 * (伊犁哈萨克自治州). Requiring 族 keeps "长白朝鲜族自治县" from losing its 白.
 */
// prettier-ignore
const ETHNIC_GROUPS = [
  '达斡尔', '鄂温克', '土家', '布依', '景颇', '傈僳', '哈尼', '朝鲜', '仡佬', '毛南', '仫佬', '纳西', '拉祜',
  '普米', '独龙', '撒拉', '保安', '东乡', '裕固', '布朗', '各', '壮', '回', '藏', '苗', '侗',
  '彝', '白', '傣', '羌', '黎', '瑶', '畲', '水', '佤', '怒', '满', '土',
];
const ETHNIC_GROUPS_WITHOUT_ZU = ['柯尔克孜', '维吾尔', '哈萨克', '鄂伦春', '塔吉克', '蒙古', '锡伯'];

const AUTONOMOUS_SUFFIX = new RegExp(
  `(?:(?:${ETHNIC_GROUPS.join('|')})族|(?:${ETHNIC_GROUPS_WITHOUT_ZU.join('|')})族?)+自治(?:区|州|县|旗)$`,
);

/** Districts named for a people without being autonomous: 管城回族区 is "Guancheng District". */
const ETHNIC_DISTRICT_SUFFIX = new RegExp(`(?:(?:${ETHNIC_GROUPS.join('|')})族)+区$`);

/**
 * Names whose usual English form is not their pinyin: Shaanxi keeps its doubled vowel to tell it
 * from Shanxi, and a few capitals are known abroad by their non-Han names.
 */
const ENGLISH_NAMES: Readonly<Record<string, string>> = {
  陕西省: 'Shaanxi',
  内蒙古自治区: 'Inner Mongolia',
  西藏自治区: 'Tibet',
  香港特别行政区: 'Hong Kong',
  澳门特别行政区: 'Macau',
  哈尔滨市: 'Harbin',
  呼和浩特市: 'Hohhot',
  乌鲁木齐市: 'Urumqi',
  拉萨市: 'Lhasa',
};

/**
 * Place-name readings that differ from the everyday reading pinyin-pro picks (蔚县 is Yu, not Wei;
 * 喀什 is Kashi, not Kashen). Keyed by the name with its administrative suffix removed.
 */
const STEM_READINGS: Readonly<Record<string, string>> = {
  蔚: 'yu',
  单: 'shan',
  歙: 'she',
  浚: 'xun',
  喀什: 'ka shi',
  郫都: 'pi du',
  涡阳: 'guo yang',
  黄陂: 'huang pi',
  洪洞: 'hong tong',
  乐亭: 'lao ting',
  大埔: 'da bu',
  筠连: 'jun lian',
  繁峙: 'fan shi',
  闵行: 'min hang',
};

/** Characters that place names read one way while everyday words read them another (成都 du, not dou). */
const CHARACTER_READINGS: Readonly<Record<string, string>> = {
  都: 'du',
  乐: 'le',
  什: 'shi',
  棱: 'ling',
};

/** The English word for a county-level unit, by the Chinese suffix that names its kind. */
const COUNTY_KIND_WORDS: readonly (readonly [suffix: RegExp, word: string])[] = [
  [/新区$/, ' New Area'],
  [/区$/, ' District'],
  [/(?:自治旗|旗)$/, ' Banner'],
  [/(?:自治县|县)$/, ' County'],
];

/** The place name without the suffix that says what kind of unit it is (湖南省 -> 湖南). */
function stemOf(name: string): string {
  const autonomous = name.replace(AUTONOMOUS_SUFFIX, '').replace(ETHNIC_DISTRICT_SUFFIX, '');
  if (autonomous !== name) {
    // "东乡族自治县": the ethnic group is the place name, so only "族自治县" goes.
    return autonomous.length > 0 ? autonomous : name.replace(/族?自治(?:区|州|县|旗)$/, '');
  }
  const stem = name.replace(/(?:特别行政区|自治区|地区|新区|省|市|盟|区|县|旗)$/, '');
  return stem.length > 0 ? stem : name;
}

/** Joins pinyin syllables into one romanized word, with the apostrophe that keeps Xi'an apart from xian. */
function romanize(syllables: readonly string[]): string {
  const word = syllables.map((syllable, index) => (index > 0 && /^[aeoāáǎàēéěèōóǒò]/.test(syllable) ? `'${syllable}` : syllable)).join('');
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** The English name of a place: its pinyin without tones, plus "County", "District" or "Banner" below the prefecture. */
function englishName(name: string, level: RegionLevel): string {
  const known = ENGLISH_NAMES[name];
  if (known !== undefined) return known;
  const stem = stemOf(name);
  const reading = STEM_READINGS[stem];
  const syllables =
    reading !== undefined
      ? reading.split(' ')
      : pinyin(stem, { toneType: 'none', type: 'array' }).map((syllable, index) => CHARACTER_READINGS[stem.charAt(index)] ?? syllable);
  const base = romanize(syllables);
  if (level !== 'county') return base;
  // Without the kind word 湘潭市 and 湘潭县 would both read "Xiangtan".
  const kind = COUNTY_KIND_WORDS.find(([suffix]) => suffix.test(name));
  return kind === undefined ? base : `${base}${kind[1]}`;
}

/**
 * A Simplified Chinese place name from the GB/T 2260 data in the given locale: unchanged for
 * zh-Hans, converted to Traditional characters for zh-Hant, romanized for English.
 */
export function placeName(name: string, level: RegionLevel, locale: Locale): string {
  switch (locale) {
    case 'zh-Hans':
      return name;
    case 'zh-Hant':
      return toTraditional(name);
    case 'en':
      return englishName(name, level);
  }
}
