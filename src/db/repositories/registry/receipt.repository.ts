import type { Executor } from '../../store';

/** Receipt-code hashes and the statements they open. */
export class ReceiptRepository {
  constructor(private readonly db: Executor) {}

  /** Stores a receipt hash for a statement. */
  async insert(codeHash: string, statementId: string, now: number): Promise<void> {
    await this.db.insertInto('receipts').values({ code_hash: codeHash, statement_id: statementId, created_at: now }).execute();
  }

  /** Stores several receipt hashes. */
  async insertMany(rows: { codeHash: string; statementId: string }[], now: number): Promise<void> {
    for (let i = 0; i < rows.length; i += 500) {
      const chunk = rows.slice(i, i + 500).map((row) => ({ code_hash: row.codeHash, statement_id: row.statementId, created_at: now }));
      if (chunk.length > 0) await this.db.insertInto('receipts').values(chunk).execute();
    }
  }

  /** The statement's public state for a receipt hash, or undefined. */
  findStatus(codeHash: string): Promise<{ status: string; sequence: number | null; published_at: number | null; rejection_reason: string | null } | undefined> {
    return this.db
      .selectFrom('receipts')
      .innerJoin('statements', 'statements.id', 'receipts.statement_id')
      .select(['statements.status', 'statements.sequence', 'statements.published_at', 'statements.rejection_reason'])
      .where('receipts.code_hash', '=', codeHash)
      .executeTakeFirst();
  }

  /** The statement a receipt code's hash belongs to. */
  async findStatementId(codeHash: string): Promise<string | undefined> {
    const row = await this.db.selectFrom('receipts').select('statement_id').where('code_hash', '=', codeHash).executeTakeFirst();
    return row?.statement_id;
  }

  /** Forgets every receipt code of a statement (its erasure): the codes then open nothing. */
  async deleteOf(statementId: string): Promise<number> {
    const result = await this.db.deleteFrom('receipts').where('statement_id', '=', statementId).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
