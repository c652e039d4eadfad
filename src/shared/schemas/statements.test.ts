import { describe, expect, it } from 'vitest';
import { RegisterStatementInput, parseRegisterStatementInput } from './statements';
import { prng } from '../prng';

const valid = {
  clientId: 'import:H000000001',
  nameKind: 'pseudonym',
  name: ' 万顺 ',
  cohorts: [
    { count: 8, organizations: ['party'] },
    { count: 11, organizations: ['league', 'pioneers'] },
  ],
  region: ' 430121 ',
  occupation: 'police',
  channel: 'outbound',
  text: ' 声明退出 ',
  provenance: { kind: 'volunteer', consent: 'named_by_other', relation: ' 同事 ', callId: 'c1' },
};

/** Values a field may be replaced with: good ones, edge cases, wrong types. */
const REPLACEMENTS: unknown[] = [
  undefined,
  null,
  '',
  ' ',
  'x',
  '王建国',
  'real',
  'pseudonym',
  'web',
  'abroad',
  'unknown',
  '110000',
  '999999',
  'police',
  'x'.repeat(7),
  'x'.repeat(8),
  'x'.repeat(60),
  'x'.repeat(61),
  'x'.repeat(64),
  'x'.repeat(65),
  'x'.repeat(100),
  ` ${'x'.repeat(100)} `,
  'x'.repeat(101),
  'x'.repeat(2000),
  'x'.repeat(2001),
  0,
  1,
  1.5,
  10_000,
  10_001,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  -1,
  true,
  [],
  ['party'],
  ['party', 'party', 'party'],
  ['party', 'league', 'pioneers', 'party'],
  ['nobody'],
  {},
  { kind: 'self' },
  { kind: 'self', extra: 1 },
  { kind: 'volunteer' },
  { kind: 'volunteer', consent: 'personal' },
  { kind: 'volunteer', consent: 'personal', callId: '' },
  { kind: 'volunteer', consent: 'personal', relation: undefined },
  { kind: 'other' },
  [{ count: 1, organizations: ['party'] }],
  [{ count: 0, organizations: ['party'] }],
  [{ count: 1, organizations: [] }],
  [{ count: 1, organizations: ['party'], extra: true }],
  Array.from({ length: 11 }, () => ({ count: 1, organizations: ['league'] })),
  [null],
];

/** Paths into the input that mutations replace (a nested path reaches into cohorts and provenance). */
const PATHS = [
  ['clientId'],
  ['nameKind'],
  ['name'],
  ['realName'],
  ['cohorts'],
  ['cohorts', 0],
  ['cohorts', 0, 'count'],
  ['cohorts', 1, 'organizations'],
  ['region'],
  ['occupation'],
  ['channel'],
  ['text'],
  ['provenance'],
  ['provenance', 'consent'],
  ['provenance', 'relation'],
  ['provenance', 'callId'],
  ['provenance', 'kind'],
  ['extra'],
] as const;

function mutated(random: () => number): unknown {
  const input = structuredClone(valid) as Record<string, unknown>;
  const changes = 1 + Math.floor(random() * 3);
  for (let i = 0; i < changes; i += 1) {
    const path = PATHS[Math.floor(random() * PATHS.length)] ?? PATHS[0];
    const value = REPLACEMENTS[Math.floor(random() * REPLACEMENTS.length)];
    let target: unknown = input;
    for (const key of path.slice(0, -1)) target = typeof target === 'object' && target !== null ? (target as Record<string | number, unknown>)[key] : undefined;
    if (typeof target !== 'object' || target === null) continue;
    const last = path[path.length - 1] as string | number;
    if (value === undefined && random() < 0.5) delete (target as Record<string | number, unknown>)[last];
    else (target as Record<string | number, unknown>)[last] = structuredClone(value);
  }
  return input;
}

describe('parsing a statement to register', () => {
  it('agrees with the schema on 20,000 generated and mutated inputs: same verdict, same value, same key order', () => {
    const random = prng(7);
    let accepted = 0;
    for (let i = 0; i < 20_000; i += 1) {
      const input = i === 0 ? valid : mutated(random);
      const fast = parseRegisterStatementInput(input);
      const schema = RegisterStatementInput.safeParse(input);
      expect(fast.success, JSON.stringify(input)).toBe(schema.success);
      if (fast.success && schema.success) {
        accepted += 1;
        expect(JSON.stringify(fast.data), JSON.stringify(input)).toBe(JSON.stringify(schema.data));
      }
    }
    // Both verdicts are well represented.
    expect(accepted).toBeGreaterThan(1_000);
    expect(accepted).toBeLessThan(19_000);
  });

  it('trims and drops unknown keys like the schema, and words errors through zod', () => {
    const parsed = parseRegisterStatementInput({ ...valid, extra: 'dropped' });
    expect(parsed.success && parsed.data).toMatchObject({ name: '万顺', region: '430121', text: '声明退出', provenance: { relation: '同事' } });
    expect(parsed.success && 'extra' in parsed.data).toBe(false);
    const refused = parseRegisterStatementInput({ ...valid, cohorts: [{ count: 0, organizations: ['party'] }] });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.path).toEqual(['cohorts', 0, 'count']);
  });
});
