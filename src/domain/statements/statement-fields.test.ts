import { describe, expect, it } from 'vitest';
import { newReceiptCode, normalizeRealNameForIndex, normalizeReceiptCode, redactStatementText } from './statement-fields';

describe('statement fields', () => {
  it('normalizes real names so spacing, width and Traditional characters do not hide a duplicate', () => {
    expect(normalizeRealNameForIndex('王 建國')).toBe(normalizeRealNameForIndex('王建国'));
    expect(normalizeRealNameForIndex('Ｊｏｈｎ  Smith')).toBe('johnsmith');
    expect(normalizeRealNameForIndex('王建国')).not.toBe(normalizeRealNameForIndex('王建军'));
  });

  it('makes receipt codes of three groups that survive retyping', () => {
    const code = newReceiptCode();
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(normalizeReceiptCode(code.toLowerCase().replaceAll('-', ' '))).toBe(normalizeReceiptCode(code));
    expect(new Set(Array.from({ length: 200 }, newReceiptCode)).size).toBe(200);
  });

  it('removes telephone numbers and the real name from a statement text', () => {
    const text = redactStatementText('我是王建国，电话 +86 138 0013 8000，座机 010-65529988，退出中共', '王建国');
    expect(text).not.toContain('138');
    expect(text).not.toContain('65529988');
    expect(text).not.toContain('王建国');
    expect(text).toContain('王*国');
    expect(text).toContain('退出中共');
  });

  it('leaves ordinary text alone', () => {
    expect(redactStatementText('2026年退出共青团和少先队')).toBe('2026年退出共青团和少先队');
  });
});
