import { Converter } from 'opencc-js/cn2t';

let converter: ((text: string) => string) | undefined;

/**
 * Simplified Chinese text in Traditional characters (Taiwan standard, phrase-aware). Built on first
 * use: the phrase dictionary takes a noticeable moment to load. Server-side: the dictionary is about
 * a megabyte, too much for the console's bundle.
 */
export function toTraditional(text: string): string {
  converter ??= Converter({ from: 'cn', to: 'tw' });
  return converter(text);
}
