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

  /** Records a statement's erasure. */
  async recordErasure(row: { statement_id: string; erased_at: number; erased_by: string | null; counted: number }): Promise<void> {
    await this.db.insertInto('statement_erasures').values(row).execute();
  }

  /** Whether a statement was erased. */
  async isErased(statementId: string): Promise<boolean> {
    return (await this.db.selectFrom('statement_erasures').select('statement_id').where('statement_id', '=', statementId).executeTakeFirst()) !== undefined;
  }

  /** Erasures, newest first, with the statement's public number. */
  listErasures(limit: number): Promise<{ statement_id: string; erased_at: number; erased_by: string | null; counted: number; sequence: number | null; status: string }[]> {
    return this.db
      .selectFrom('statement_erasures')
      .innerJoin('statements', 'statements.id', 'statement_erasures.statement_id')
      .select(['statement_erasures.statement_id', 'statement_erasures.erased_at', 'statement_erasures.erased_by', 'statement_erasures.counted', 'statements.sequence', 'statements.status'])
      .orderBy('statement_erasures.erased_at', 'desc')
      .limit(limit)
      .execute();
  }
}
