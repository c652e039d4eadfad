import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import type { TestHotline } from './test-runtime';
import { testPostgresUrl } from './test-runtime';

/**
 * Everything the database holds, as an attacker who stole it would read it: the raw SQLite file
 * with its WAL, or a pg_dump of the PostgreSQL database.
 */
export function rawDatabaseBytes(t: TestHotline): Buffer {
  const database = t.config.database;
  if (database.kind === 'sqlite') {
    const parts = [database.file, `${database.file}-wal`].filter((file) => existsSync(file)).map((file) => readFileSync(file));
    return Buffer.concat(parts);
  }
  const url = new URL(testPostgresUrl);
  url.pathname = `/${t.pgDatabase ?? ''}`;
  return execFileSync('pg_dump', ['--data-only', '--inserts', url.toString()], { maxBuffer: 512 * 1024 * 1024 });
}
