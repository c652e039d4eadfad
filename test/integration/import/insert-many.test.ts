import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareStatement } from '../../../src/domain/statements/register-statement';
import { newId } from '../../../src/domain/auth/secrets';
import { type TestHotline, startTestHotline } from '../../support/test-runtime';

/**
 * Many statements at once (bulk import, group commit): on PostgreSQL they go by COPY (from 200
 * rows), and every value must come back exactly as it went in, whatever characters it holds.
 */
let t: TestHotline;
beforeAll(async () => {
  t = await startTestHotline();
});
afterAll(async () => t.close());

const awkward = ['tab\there', 'new\nline', 'back\\slash \\N \\x41', 'carriage\rreturn', '退党声明 「万顺」', '', 'trailing\\'];

describe('inserting many statements at once', () => {
  it('stores 300 rows with tabs, newlines, backslashes and Chinese text byte for byte, and skips known client ids', async () => {
    const rows = Array.from({ length: 300 }, (_, index) => {
      const prepared = prepareStatement(t.runtime, {
        source: { kind: 'operator' },
        input: {
          nameKind: 'real',
          name: ['王小明', '李华', '张伟'][index % 3] ?? '王小明',
          cohorts: [{ count: 1 + (index % 3), organizations: ['party'] }],
          region: '430121',
          channel: 'outbound',
          text: awkward[index % awkward.length] ?? '',
          provenance: { kind: 'volunteer', consent: 'personal' },
        },
        hasReceipt: false,
      });
      return { ...prepared.row, id: newId(), client_id: `bulk-${index}` };
    });
    const inserted = await t.runtime.store.registry.statements.insertMany(rows);
    expect(inserted.size).toBe(300);
    for (const row of rows.filter((_, index) => index % 37 === 0)) {
      const stored = await t.runtime.store.registry.statements.findById(row.id);
      expect(stored?.text).toBe(row.text);
      expect(stored?.public_name).toBe(row.public_name);
      expect(Buffer.compare(Buffer.from(stored?.real_name_enc ?? []), Buffer.from(row.real_name_enc ?? []))).toBe(0);
      expect(stored?.created_at).toBe(row.created_at);
      expect(stored?.cohorts).toBe(row.cohorts);
    }
    // The same client ids again (a replayed batch) plus 250 new ones: only the new ones are stored.
    const again = [...rows.slice(0, 50), ...rows.slice(0, 250).map((row, index) => ({ ...row, id: newId(), client_id: `bulk-new-${index}` }))];
    const second = await t.runtime.store.registry.statements.insertMany(again);
    expect(second.size).toBe(250);
  });
});
