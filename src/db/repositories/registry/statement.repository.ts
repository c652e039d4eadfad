import { CompiledQuery, type Insertable, type Selectable, SqliteAdapter, type Updateable, sql } from 'kysely';
import { COPY_IN_MARK, copyText } from '../../copy-in';
import { ENCODED_STATEMENT_COLUMNS } from '../../schema/statement-copy';
import { eachRowQuery } from '../../database';
import type { StatementsTable } from '../../schema';
import { STATEMENT_COLUMNS } from '../../schema/statement-columns';

export { STATEMENT_COLUMNS } from '../../schema/statement-columns';
import type { Executor } from '../../store';

/** A stored statement row. */
export type StatementRow = Selectable<StatementsTable>;

/** What a statement's transparency-log entry is made from. */
export type LoggedStatementRow = Pick<
  StatementRow,
  'id' | 'sequence' | 'published_day' | 'province_code' | 'channel' | 'people' | 'party' | 'league' | 'pioneers' | 'name_kind' | 'public_name' | 'real_name_index' | 'region_code' | 'occupation' | 'text'
>;

/** The columns a public listing may show (no real name, no provenance). */
export type PublicStatementRow = Pick<
  StatementRow,
  'sequence' | 'public_name' | 'province_code' | 'published_at' | 'published_day' | 'people' | 'party' | 'league' | 'pioneers' | 'text' | 'corrected_at'
>;

/** Rows per INSERT: 3,200 parameters, well inside both SQLite's and PostgreSQL's limits. */
const INSERT_CHUNK = 100;
/** From this many rows on, PostgreSQL gets them by COPY. */
const COPY_FROM_ROWS = 200;
/** PostgreSQL's SQLSTATE for a unique constraint violated. */
const UNIQUE_VIOLATION = '23505';

/** INSERT text by dialect and row count (at most two dialects times a few counts). */
const insertSqlCache = new Map<string, string>();

const PUBLIC_COLUMNS = ['sequence', 'public_name', 'province_code', 'published_at', 'published_day', 'people', 'party', 'league', 'pioneers', 'text', 'corrected_at'] as const;

/** Statements: insert, moderate, list for the public, the queue and the feeds. */
export class StatementRepository {
  constructor(private readonly db: Executor) {}

  /** Inserts a statement; returns false (and inserts nothing) when its client id was already used. */
  async insert(row: Insertable<StatementsTable>): Promise<boolean> {
    const result = await this.db
      .insertInto('statements')
      .values(row)
      .onConflict((oc) => oc.column('client_id').doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
  }

  /**
   * Inserts statements, skipping any whose client id exists already; returns the ids actually
   * inserted. SQLite runs one prepared single-row INSERT per statement (in process, that is cheaper
   * than a multi-row one with RETURNING). PostgreSQL gets a few hundred rows or more at once (bulk
   * import, group commit) by COPY (see `copyMany`); small batches as multi-row INSERTs. The SQL is built once per shape
   * and reused with fresh parameters: building a 3,200-parameter statement anew took a fifth of a
   * bulk import.
   */
  async insertMany(rows: StatementsTable[]): Promise<Set<string>> {
    const inserted = new Set<string>();
    if (this.db.getExecutor().adapter instanceof SqliteAdapter) {
      const result = await this.db.executeQuery(eachRowQuery(this.insertSql(1, false), rows.map((row) => STATEMENT_COLUMNS.map((column) => row[column]))));
      result.rows.forEach((outcome, index) => {
        if (outcome.changes === 1) inserted.add((rows[index] as StatementsTable).id);
      });
      return inserted;
    }
    if (rows.length >= COPY_FROM_ROWS) {
      if (!this.db.isTransaction) return this.db.transaction().execute((tx) => new StatementRepository(tx).insertMany(rows));
      return this.copyMany(rows);
    }
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      const chunk = rows.slice(i, i + INSERT_CHUNK);
      const parameters: unknown[] = [];
      for (const row of chunk) for (const column of STATEMENT_COLUMNS) parameters.push(row[column]);
      const result = await this.db.executeQuery<{ id: string }>(CompiledQuery.raw(this.insertSql(chunk.length, true), parameters));
      for (const row of result.rows) inserted.add(row.id);
    }
    return inserted;
  }

  /**
   * Inserts new rows encoded ahead as COPY text of `ENCODED_STATEMENT_COLUMNS` (PostgreSQL only;
   * an import encodes them on its preparing thread), by one COPY. The caller holds the registry
   * lock and has left out the client ids already stored: a conflict fails the transaction.
   */
  async insertEncoded(data: Buffer): Promise<void> {
    if (this.db.getExecutor().adapter instanceof SqliteAdapter) throw new Error('encoded statements are for PostgreSQL');
    if (!this.db.isTransaction) throw new Error('encoded statements are inserted in the transaction that checked them');
    await this.db.executeQuery(CompiledQuery.raw(`${COPY_IN_MARK}COPY statements (${ENCODED_STATEMENT_COLUMNS.join(', ')}) FROM STDIN`, [data]));
  }

  /**
   * PostgreSQL's bulk path, in a transaction. Both writers of statements hold the registry lock and
   * have left out the client ids already stored, so the rows normally go by one COPY straight into
   * `statements` (inside a savepoint). Should one conflict after all, the savepoint is rolled back
   * and the same data goes by COPY into a session temporary table and one `INSERT ... SELECT ... ON
   * CONFLICT DO NOTHING`, which skips the known ones.
   */
  private async copyMany(rows: StatementsTable[]): Promise<Set<string>> {
    const run = (text: string, parameters: unknown[] = []) => this.db.executeQuery<{ id: string }>(CompiledQuery.raw(text, parameters));
    const columns = STATEMENT_COLUMNS.join(', ');
    const data = copyText(rows, STATEMENT_COLUMNS);
    await run('SAVEPOINT statements_copy');
    try {
      await run(`${COPY_IN_MARK}COPY statements (${columns}) FROM STDIN`, [data]);
      await run('RELEASE SAVEPOINT statements_copy');
      return new Set(rows.map((row) => row.id));
    } catch (error) {
      if ((error as { code?: unknown }).code !== UNIQUE_VIOLATION) throw error;
      await run('ROLLBACK TO SAVEPOINT statements_copy');
    }
    await run('CREATE TEMP TABLE IF NOT EXISTS statements_incoming (LIKE statements INCLUDING DEFAULTS)');
    await run('TRUNCATE statements_incoming');
    await run(`${COPY_IN_MARK}COPY statements_incoming (${columns}) FROM STDIN`, [data]);
    const result = await run(`INSERT INTO statements (${columns}) SELECT ${columns} FROM statements_incoming ON CONFLICT (client_id) DO NOTHING RETURNING id`);
    await run('TRUNCATE statements_incoming');
    return new Set(result.rows.map((row) => row.id));
  }

  /** The INSERT of `count` rows in this database's dialect (built by Kysely on first use, then kept). */
  private insertSql(count: number, isReturning: boolean): string {
    const key = `${this.db.getExecutor().adapter.constructor.name}:${count}:${isReturning}`;
    let text = insertSqlCache.get(key);
    if (text === undefined) {
      const template = Object.fromEntries(STATEMENT_COLUMNS.map((column) => [column, null])) as unknown as Insertable<StatementsTable>;
      const insert = this.db
        .insertInto('statements')
        .values(Array.from({ length: count }, () => template))
        .onConflict((oc) => oc.column('client_id').doNothing());
      text = (isReturning ? insert.returning('id').compile() : insert.compile()).sql;
      insertSqlCache.set(key, text);
    }
    return text;
  }

  /**
   * Which of these client ids are stored already. PostgreSQL gets them as one array parameter (an
   * import asks for 2,000 at a time, and a 2,000-parameter IN list cost more to build and plan than
   * to look up), behind a sub-select: given the array itself, the planner estimates each of its
   * elements, which took 25 ms of a 2 ms lookup.
   */
  async existingClientIds(clientIds: string[]): Promise<Set<string>> {
    if (clientIds.length === 0) return new Set();
    if (this.db.getExecutor().adapter instanceof SqliteAdapter) {
      const found = await this.db.selectFrom('statements').select('client_id').where('client_id', 'in', clientIds).execute();
      return new Set(found.map((row) => row.client_id as string));
    }
    // One text of ids a line each: the driver escapes every element of an array parameter, and
    // that cost more than the lookup. Ids with a line break (none an import makes) go as an array.
    const isPlain = clientIds.every((clientId) => !clientId.includes('\n'));
    const found = await this.db.executeQuery<{ client_id: string }>(
      isPlain
        ? CompiledQuery.raw("SELECT client_id FROM statements WHERE client_id = ANY((SELECT string_to_array($1, E'\\n'))::text[])", [clientIds.join('\n')])
        : CompiledQuery.raw('SELECT client_id FROM statements WHERE client_id = ANY((SELECT $1)::text[])', [clientIds]),
    );
    return new Set(found.rows.map((row) => row.client_id));
  }

  /**
   * Before a bulk insert: which of these client ids are stored already, and the last public
   * number; on PostgreSQL in one round trip (see `existingClientIds`).
   */
  async storedAndLastNumber(clientIds: string[]): Promise<{ stored: Set<string>; lastNumber: number }> {
    const isPlain = clientIds.every((clientId) => !clientId.includes('\n'));
    if (this.db.getExecutor().adapter instanceof SqliteAdapter || !isPlain) {
      return { stored: await this.existingClientIds(clientIds), lastNumber: await this.maxSequence() };
    }
    const found = await this.db.executeQuery<{ last_number: number | string | null; stored: string[] | null }>(
      CompiledQuery.raw(
        "SELECT (SELECT max(sequence) FROM statements) AS last_number, ARRAY(SELECT client_id FROM statements WHERE client_id = ANY((SELECT string_to_array($1, E'\\n'))::text[])) AS stored",
        [clientIds.join('\n')],
      ),
    );
    const row = found.rows[0];
    return { stored: new Set(row?.stored ?? []), lastNumber: Number(row?.last_number ?? 0) };
  }

  /**
   * Published statements after number `after` that have no entry in the transparency log (published
   * before the log existed), by number: what building the log from existing statements appends.
   */
  async publishedWithoutLogEntry(after: number, limit: number): Promise<LoggedStatementRow[]> {
    // By the public number's index: SQLite would rather take the status index and sort every published
    // statement for each batch, unless the unary + keeps it off that index.
    const status = this.db.getExecutor().adapter instanceof SqliteAdapter ? sql`+status` : sql`status`;
    const result = await sql<LoggedStatementRow>`select id, sequence, published_day, province_code, channel, people, party, league, pioneers, name_kind, public_name, real_name_index, region_code, occupation, text
      from statements where sequence > ${after} and ${status} = 'published'
      and not exists (select 1 from log_entries where log_entries.sequence = statements.sequence) order by sequence limit ${limit}`.execute(this.db);
    return result.rows;
  }

  findByClientIds(clientIds: string[]): Promise<StatementRow[]> {
    if (clientIds.length === 0) return Promise.resolve([]);
    return this.db.selectFrom('statements').selectAll().where('client_id', 'in', clientIds).execute();
  }

  /** How many statements are marked as duplicates of this one. */
  async countDuplicatesOf(id: string): Promise<number> {
    const row = await this.db.selectFrom('statements').select((eb) => eb.fn.countAll<number | string>().as('n')).where('duplicate_of', '=', id).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** The statement with this id. */
  findById(id: string): Promise<StatementRow | undefined> {
    return this.db.selectFrom('statements').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** The statement with this id, locked against concurrent moderation until the transaction ends (PostgreSQL). */
  async findByIdForUpdate(id: string, isPostgres: boolean): Promise<StatementRow | undefined> {
    const query = this.db.selectFrom('statements').selectAll().where('id', '=', id);
    return isPostgres ? query.forUpdate().executeTakeFirst() : query.executeTakeFirst();
  }

  /** The statement registered with this client id. */
  findByClientId(clientId: string): Promise<StatementRow | undefined> {
    return this.db.selectFrom('statements').selectAll().where('client_id', '=', clientId).executeTakeFirst();
  }

  /** Changes a statement. */
  async update(id: string, changes: Updateable<StatementsTable>): Promise<void> {
    await this.db.updateTable('statements').set(changes).where('id', '=', id).execute();
  }

  /**
   * Statements for the staff archive, newest first, narrowed by any of: ids, creation time, province,
   * status, channel; `before` continues a page after the last row shown (creation time, then id).
   */
  search(
    filter: { ids?: string[]; createdFrom?: number; createdTo?: number; provinceCode?: string; status?: string; channel?: string; withoutHeld?: boolean },
    limit: number,
    before?: { createdAt: number; id: string },
  ): Promise<StatementRow[]> {
    let query = this.db.selectFrom('statements').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit);
    if (filter.ids) query = filter.ids.length === 0 ? query.where('id', 'is', null) : query.where('id', 'in', filter.ids);
    if (filter.createdFrom !== undefined) query = query.where('created_at', '>=', filter.createdFrom);
    if (filter.createdTo !== undefined) query = query.where('created_at', '<', filter.createdTo);
    if (filter.provinceCode !== undefined) query = query.where('province_code', '=', filter.provinceCode);
    if (filter.status !== undefined) query = query.where('status', '=', filter.status);
    if (filter.channel !== undefined) query = query.where('channel', '=', filter.channel);
    if (filter.withoutHeld) query = query.where('status', '!=', 'held');
    if (before) query = query.where((eb) => eb.or([eb('created_at', '<', before.createdAt), eb.and([eb('created_at', '=', before.createdAt), eb('id', '<', before.id)])]));
    return query.execute();
  }

  /** The highest public sequence number given so far (0 when none). */
  async maxSequence(): Promise<number> {
    const row = await this.db
      .selectFrom('statements')
      .select((eb) => eb.fn.max<number | string | null>('sequence').as('n'))
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** Statements waiting for moderation in the given statuses, oldest first. */
  queue(statuses: string[], limit: number): Promise<StatementRow[]> {
    return this.db.selectFrom('statements').selectAll().where('status', 'in', statuses).orderBy('created_at').orderBy('id').limit(limit).execute();
  }

  /** Other statements whose real name has the same blind index. */
  sameRealName(index: string, exceptId: string, limit: number): Promise<Pick<StatementRow, 'id' | 'status' | 'sequence' | 'public_name' | 'created_at'>[]> {
    return this.db
      .selectFrom('statements')
      .select(['id', 'status', 'sequence', 'public_name', 'created_at'])
      .where('real_name_index', '=', index)
      .where('id', '!=', exceptId)
      .orderBy('created_at')
      .limit(limit)
      .execute();
  }

  /** The newest published statements, before a sequence number when given. */
  latestPublished(limit: number, beforeSequence?: number): Promise<PublicStatementRow[]> {
    let query = this.db.selectFrom('statements').select(PUBLIC_COLUMNS).where('status', '=', 'published').orderBy('sequence', 'desc').limit(limit);
    if (beforeSequence !== undefined) query = query.where('sequence', '<', beforeSequence);
    return query.execute();
  }

  /** Published statements of one CST day in sequence order, after a sequence number when given. */
  publishedOnDay(day: string, limit: number, afterSequence = 0): Promise<PublicStatementRow[]> {
    return this.db
      .selectFrom('statements')
      .select(PUBLIC_COLUMNS)
      .where('published_day', '=', day)
      .where('status', '=', 'published')
      .where('sequence', '>', afterSequence)
      .orderBy('sequence')
      .limit(limit)
      .execute();
  }

  /** How many statements are published. */
  async countPublished(): Promise<number> {
    const row = await this.db.selectFrom('statements').where('status', '=', 'published').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return row.n;
  }

  /** How many statements exist (all statuses). */
  async count(): Promise<number> {
    const row = await this.db.selectFrom('statements').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return row.n;
  }

  /** Sums of published statements grouped by a column, for counter rebuilds. */
  async publishedSums(groupBy: 'published_day' | 'province_code' | 'channel' | 'day_place' | null): Promise<{ key: string; people: number; party: number; league: number; pioneers: number }[]> {
    const sums = this.db
      .selectFrom('statements')
      .where('status', '=', 'published')
      .select((eb) => [
        eb.fn.sum<string | number | null>('people').as('people'),
        eb.fn.sum<string | number | null>('party').as('party'),
        eb.fn.sum<string | number | null>('league').as('league'),
        eb.fn.sum<string | number | null>('pioneers').as('pioneers'),
      ]);
    const rows =
      groupBy === null
        ? (await sums.execute()).map((row) => ({ ...row, key: '' }))
        : groupBy === 'day_place'
          ? await sums
              .select(sql<string>`published_day || '|' || province_code || '|' || channel`.as('key'))
              .where('published_day', 'is not', null)
              .groupBy(['published_day', 'province_code', 'channel'])
              .execute()
          : await sums.select(`${groupBy} as key`).groupBy(groupBy).execute();
    return rows
      .filter((row) => row.people !== null)
      .map((row) => ({
        key: String(row.key),
        people: Number(row.people),
        party: Number(row.party),
        league: Number(row.league),
        pioneers: Number(row.pioneers),
      }));
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
