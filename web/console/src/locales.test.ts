import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONSOLE_LOCALES } from './locale';

const LOCALES_DIR = path.resolve(import.meta.dirname, '../../../locales');

function keysOf(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([key, inner]) => keysOf(inner, prefix ? `${prefix}.${key}` : key));
}

function read(locale: string, file: string): unknown {
  return JSON.parse(readFileSync(path.join(LOCALES_DIR, locale, file), 'utf8'));
}

const namespaces = readdirSync(path.join(LOCALES_DIR, 'en')).filter((file) => file.endsWith('.json'));

describe('translations', () => {
  it('has the same namespace files in every language', () => {
    expect(namespaces).toEqual(expect.arrayContaining(['console.json', 'operations.json', 'public.json']));
    for (const locale of CONSOLE_LOCALES) {
      const files = readdirSync(path.join(LOCALES_DIR, locale)).filter((file) => file.endsWith('.json'));
      expect(files.sort(), locale).toEqual([...namespaces].sort());
    }
  });

  it.each(namespaces)('has every English text of %s in Simplified and Traditional Chinese too', (file) => {
    const english = keysOf(read('en', file)).sort();
    for (const locale of CONSOLE_LOCALES.filter((l) => l !== 'en')) {
      expect({ locale, file, keys: keysOf(read(locale, file)).sort() }).toEqual({ locale, file, keys: english });
    }
  });
});
