import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import type { TestHotline } from './test-runtime';
import { testPostgresUrl } from './test-runtime';

/** Each row of every table as PostgreSQL prints it (bytea as hex, like pg_dump), for machines without pg_dump. */
const SQL_DUMP = `
const pg = require('pg');
(async () => {
  const client = new pg.Client({ connectionString: process.argv[1] });
  await client.connect();
  const tables = await client.query("select tablename from pg_tables where schemaname = 'public'");
  for (const { tablename } of tables.rows) {
    const rows = await client.query('select t::text as row from "' + tablename + '" t');
    for (const { row } of rows.rows) process.stdout.write(tablename + ' ' + row + '\\n');
  }
  await client.end();
})().catch((error) => { console.error(error); process.exit(1); });
`;


/**
 * Everything the database holds, as an attacker who stole it would read it: the raw SQLite file
 * with its WAL, or a pg_dump of the PostgreSQL database (every row as text where pg_dump is not
 * installed or is older than the server, as with the tests' own embedded PostgreSQL).
 */
export function rawDatabaseBytes(t: TestHotline): Buffer {
  const database = t.config.database;
  if (database.kind === 'sqlite') {
    const parts = [database.file, `${database.file}-wal`].filter((file) => existsSync(file)).map((file) => readFileSync(file));
    return Buffer.concat(parts);
  }
  const url = new URL(testPostgresUrl);
  url.pathname = `/${t.pgDatabase ?? ''}`;
  try {
    return execFileSync('pg_dump', ['--data-only', '--inserts', url.toString()], { maxBuffer: 512 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    // Not installed, or older than the server (pg_dump refuses a newer server).
  }
  return execFileSync(process.execPath, ['-e', SQL_DUMP, url.toString()], { maxBuffer: 512 * 1024 * 1024 });
}
