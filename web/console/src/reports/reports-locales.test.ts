import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import en from '../../../../locales/en/reports.json';
import zhHans from '../../../../locales/zh-Hans/reports.json';
import zhHant from '../../../../locales/zh-Hant/reports.json';

function keysOf(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [prefix];
  return Object.entries(value).flatMap(([key, inner]) => keysOf(inner, prefix ? `${prefix}.${key}` : key));
}

describe('reports translations', () => {
  const english = keysOf(en).sort();

  it('has every English text in Simplified and Traditional Chinese too', () => {
    expect(keysOf(zhHans).sort()).toEqual(english);
    expect(keysOf(zhHant).sort()).toEqual(english);
  });

  it('has a text for every key the reports screens use', () => {
    const dir = import.meta.dirname;
    const used = readdirSync(dir)
      .filter((file) => file.endsWith('.tsx'))
      .flatMap((file) => [...readFileSync(path.join(dir, file), 'utf8').matchAll(/\bt\('([\w.]+)'/g)].map((match) => match[1] ?? ''));
    expect(used.length).toBeGreaterThan(40);
    const known = new Set(english.flatMap((key) => [key, key.replace(/_(one|other)$/, '')]));
    expect(used.filter((key) => !known.has(key))).toEqual([]);
  });
});
