import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

export { copyText } from './copy-text';

/**
 * A query whose text starts with this mark is a `COPY ... FROM STDIN`: its one parameter is the
 * data, in COPY's text format (see `copy-text.ts`). The pool's clients send it as a COPY stream, the
 * bulk path PostgreSQL offers; through Kysely it stays an ordinary query on the transaction's
 * connection, so it commits or rolls back with everything else in the transaction.
 */
export const COPY_IN_MARK = '/* hotline:copy-in */ ';

type Query = pg.PoolClient['query'];

/** Lets a pool client run `COPY_IN_MARK` queries (called once per new client). */
export function allowCopyIn(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  const patched = (...args: unknown[]): unknown => {
    const [text, values] = args;
    if (typeof text === 'string' && text.startsWith(COPY_IN_MARK) && Array.isArray(values) && Buffer.isBuffer(values[0])) {
      return copyIn(query, text.slice(COPY_IN_MARK.length), values[0]);
    }
    return query(...args);
  };
  client.query = patched as Query;
}

async function copyIn(query: (...args: unknown[]) => unknown, text: string, data: Buffer): Promise<{ command: string; rowCount: number; rows: never[] }> {
  const stream = query(copyFrom(text)) as ReturnType<typeof copyFrom>;
  await pipeline(Readable.from([data]), stream);
  return { command: 'COPY', rowCount: stream.rowCount, rows: [] };
}
