import { Converter } from 'opencc-js/t2cn';

/** What kind of threat a submission seems to contain. */
export type ThreatCategory = 'bomb' | 'kill' | 'explosive' | 'extortion';

/**
 * Words and phrases that mark a submission for an admin. Chinese entries are in Simplified
 * characters (text is converted before matching, so Traditional is caught too). Kept to phrases
 * that threaten, not words a statement naturally uses: "杀" alone appears in "不再为中共杀人".
 */
export const THREAT_PATTERNS: Record<ThreatCategory, RegExp[]> = {
  bomb: [/炸弹/u, /炸掉/u, /炸死/u, /炸毁/u, /\bbomb(s|ing|ed)?\b/i, /\bblow (you|it|them) up\b/i],
  kill: [/杀了你/u, /杀死你/u, /杀你全家/u, /弄死你/u, /砍死/u, /要你的?命/u, /\bkill (you|u|them|him|her|everyone|all of you)\b/i, /\bi will kill\b/i, /\bshoot (you|them)\b/i],
  explosive: [/炸药/u, /爆炸物/u, /雷管/u, /\bexplosives?\b/i, /\bdetonat(e|or)\b/i, /\bTNT\b/],
  extortion: [/勒索/u, /敲诈/u, /交出.{0,6}(钱|赎金)/u, /赎金/u, /\bextort(ion)?\b/i, /\bransom\b/i, /\bpay (us|me) or\b/i],
};

let toSimplified: ((text: string) => string) | undefined;

/** Traditional to Simplified (opencc), loaded on first use. */
export function simplified(text: string): string {
  toSimplified ??= Converter({ from: 't', to: 'cn' });
  return toSimplified(text);
}

/**
 * The first characters of the Chinese phrases above, and the Traditional characters (after NFKC)
 * that become one of them in Simplified: 殺 and 贖. A text with none of them cannot match a
 * Chinese phrase, and is not converted (the conversion was the costliest part of an import's
 * checks). threats.test.ts checks this list against the phrases and the whole conversion table.
 */
export const CHINESE_THREAT_STARTS = '炸杀弄砍要爆雷勒敲交赎殺贖';
const CHINESE_HINT = new RegExp(`[${CHINESE_THREAT_STARTS}]`, 'u');
const HAS_HAN = /\p{Script=Han}/u;
const CATEGORIES = (Object.keys(THREAT_PATTERNS) as ThreatCategory[]).map((category) => ({
  category,
  chinese: THREAT_PATTERNS[category].filter((pattern) => HAS_HAN.test(pattern.source)),
  // Every other phrase is in Latin letters.
  latin: THREAT_PATTERNS[category].filter((pattern) => !HAS_HAN.test(pattern.source)),
}));

/**
 * The threat categories found in a submission's text fields (empty when none). Matching ignores
 * case, full-width forms (NFKC) and Traditional vs. Simplified characters.
 */
export function detectThreats(...texts: string[]): ThreatCategory[] {
  const normalized = texts.join('\n').normalize('NFKC');
  const mayBeChinese = CHINESE_HINT.test(normalized);
  const mayBeLatin = /[A-Za-z]/.test(normalized);
  if (!mayBeChinese && !mayBeLatin) return [];
  const text = mayBeChinese ? simplified(normalized) : normalized;
  return CATEGORIES.filter(({ chinese, latin }) => (mayBeChinese && chinese.some((pattern) => pattern.test(text))) || (mayBeLatin && latin.some((pattern) => pattern.test(text)))).map(
    ({ category }) => category,
  );
}
