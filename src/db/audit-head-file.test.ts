import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseAuditHead } from '../domain/audit/audit-head';
import { AuditHeadFile } from './audit-head-file';

const mac = (digit: string) => digit.repeat(64);
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'hotline-head-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('the audit head file', () => {
  it('writes one head per burst of commits, the newest, and never moves back', async () => {
    const file = path.join(dir, 'secrets', 'hotline.audit-head');
    const writer = new AuditHeadFile(file, 'ring-1');
    writer.record({ seq: 3, mac: mac('a') });
    writer.record({ seq: 5, mac: mac('b') });
    writer.record({ seq: 4, mac: mac('c') });
    await Promise.resolve();
    expect(writer.read()).toEqual({ seq: 5, mac: mac('b') });
    // Another process that saw only row 4 does not overwrite row 5.
    const other = new AuditHeadFile(file, 'ring-1');
    other.record({ seq: 4, mac: mac('c') });
    other.flush();
    expect(other.read()).toEqual({ seq: 5, mac: mac('b') });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ keyringId: 'ring-1', seq: 5 });
    other.replace({ seq: 2, mac: mac('d') });
    expect(writer.read()).toEqual({ seq: 2, mac: mac('d') });
  });

  it('ignores a head file of another keyring or one that is damaged, and reports write failures', () => {
    const file = path.join(dir, 'hotline.audit-head');
    new AuditHeadFile(file, 'ring-1').replace({ seq: 9, mac: mac('e') });
    expect(new AuditHeadFile(file, 'ring-2').read()).toBeUndefined();
    writeFileSync(file, 'not json');
    expect(new AuditHeadFile(file, 'ring-1').read()).toBeUndefined();
    const errors: string[] = [];
    const blocked = new AuditHeadFile(path.join(file, 'below-a-file'), 'ring-1', (error) => errors.push(error.message));
    blocked.replace({ seq: 1, mac: mac('f') });
    expect(errors).toHaveLength(1);
  });

  it('parses the N:mac form that "hotline audit head" prints', () => {
    expect(parseAuditHead(` 12:${mac('a')}\n`)).toEqual({ seq: 12, mac: mac('a') });
    expect(() => parseAuditHead('12:abc')).toThrow(/expected an audit head such as 1234:/);
  });
});
