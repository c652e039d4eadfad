import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AuditHead, AuditHeadStore } from '../domain/audit/audit-head';

interface HeadFileContent extends AuditHead {
  keyringId: string;
  at: string;
}

/**
 * Keeps the newest audit head in a small file outside the database (by default next to the key
 * file), written after each commit that appended audit rows. Someone who can rewrite the database
 * but not this file cannot cut the newest rows off the chain unnoticed. The file only ever moves
 * forward: a process that saw an older head never overwrites a newer one written by another.
 */
export class AuditHeadFile implements AuditHeadStore {
  private pending: AuditHead | undefined;
  private isFlushScheduled = false;

  constructor(
    readonly file: string,
    private readonly keyringId: string,
    private readonly onError: (error: Error) => void = () => undefined,
  ) {}

  get description(): string {
    return this.file;
  }

  record(head: AuditHead): void {
    if (!this.pending || head.seq > this.pending.seq) this.pending = head;
    if (this.isFlushScheduled) return;
    this.isFlushScheduled = true;
    // One write per burst of commits (a group commit appends many rows), before the caller goes on.
    queueMicrotask(() => {
      this.flush();
    });
  }

  read(): AuditHead | undefined {
    const content = this.readFile();
    return content && content.keyringId === this.keyringId ? { seq: content.seq, mac: content.mac } : undefined;
  }

  replace(head: AuditHead): void {
    this.pending = undefined;
    this.write(head);
  }

  /** Writes the pending head now. */
  flush(): void {
    this.isFlushScheduled = false;
    const head = this.pending;
    if (!head) return;
    this.pending = undefined;
    const current = this.read();
    if (current && current.seq >= head.seq) return;
    this.write(head);
  }

  private write(head: AuditHead): void {
    try {
      mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
      const content: HeadFileContent = { keyringId: this.keyringId, seq: head.seq, mac: head.mac, at: new Date().toISOString() };
      const temporary = `${this.file}.${process.pid}.tmp`;
      writeFileSync(temporary, `${JSON.stringify(content)}\n`, { mode: 0o600 });
      renameSync(temporary, this.file);
    } catch (error) {
      this.onError(error as Error);
    }
  }

  private readFile(): HeadFileContent | undefined {
    if (!existsSync(this.file)) return undefined;
    try {
      const data = JSON.parse(readFileSync(this.file, 'utf8')) as Partial<HeadFileContent>;
      if (typeof data.seq !== 'number' || typeof data.mac !== 'string' || typeof data.keyringId !== 'string') return undefined;
      return data as HeadFileContent;
    } catch {
      return undefined;
    }
  }
}
