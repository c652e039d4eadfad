import path from 'node:path';
import { rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import pg from 'pg';
import { loadConfig } from '../src/config/config';
import { chinaDay } from '../src/domain/counters/china-day';
import { readDashboard } from '../src/domain/reports/dashboard';
import { openRuntime } from '../src/runtime';
import { createPostgresDatabase } from '../test/support/test-runtime';
import { type BenchResult, benchDir, benchEnv } from './support';

/**
 * (i) The coordinators' dashboard as the registry grows: `readDashboard` (every query the
 * dashboard's endpoint runs and the sums over them, then the JSON it answers with; the calls are
 * filled in SQL, their hourly sums as the migration fills them for existing calls) for today, 7 and
 * 30 days in China time and in Toronto time, at 10,000 statements and 1,000 calls and again at
 * 1,000,000 statements and 100,000 calls, on SQLite (the shipped default) and on PostgreSQL, in one
 * run. Target: p95 under 200 ms at the large size on both; the ratio to the small size shows how
 * much of the time grows with the data.
 */
const TARGET_MS = 200;
const SAMPLES = 40;
const DAY_MS = 86_400_000;
/** The registry's statements spread over this many days up to now (about 16,700 a day at 1 M). */
const STATEMENT_DAYS = 60;
/** Calls spread over the last 30 days. */
const CALL_DAYS = 30;
const PROVINCES = ['110000', '120000', '130000', '310000', '320000', '330000', '340000', '350000', '360000', '370000', '410000', '420000', '430000', '440000', '450000', '500000', '510000', '530000', '610000', '650000'];
const CHANNELS = ['web', 'hotline', 'outbound', 'service_point', 'email', 'volunteer_batch'];
const OUTCOMES = ['no_answer', 'busy', 'hung_up', 'listened', 'declined', 'registered', 'callback_requested'];

interface Sizes {
  statements: number;
  calls: number;
}

/** Statement i: published `i` steps back from now, its province, channel and organizations from i. */
function statementSql(dialect: 'sqlite' | 'postgres', sizes: Sizes, now: number): string {
  const step = Math.max(1, Math.floor((STATEMENT_DAYS * DAY_MS) / sizes.statements));
  const pick = (list: string[], expr: string) => `(CASE ${list.map((value, index) => `WHEN (${expr}) % ${list.length} = ${index} THEN '${value}'`).join(' ')} END)`;
  const t = `(${now} - i * ${step})`;
  const day =
    dialect === 'postgres'
      ? `to_char(to_timestamp(${t} / 1000.0) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD')`
      : `strftime('%Y-%m-%d', (${t} + 28800000) / 1000, 'unixepoch')`;
  const source = dialect === 'postgres' ? `generate_series(1::bigint, ${sizes.statements}) AS s(i)` : 'seq';
  const prefix = dialect === 'postgres' ? '' : `WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ${sizes.statements}) `;
  return `${prefix}INSERT INTO statements (id, client_id, status, name_kind, public_name, region_code, province_code, channel, text, cohorts, people, party, league, pioneers, provenance, sequence, published_at, published_day, created_at, updated_at)
    SELECT 'b' || i, 'bench:' || i, 'published', 'pseudonym', '福星', ${pick(PROVINCES, 'i')}, ${pick(PROVINCES, 'i')}, ${pick(CHANNELS, 'i / 7')}, '', '[{"count":1,"organizations":["party"]}]',
      1, CASE WHEN i % 3 = 0 THEN 0 ELSE 1 END, CASE WHEN i % 3 = 0 THEN 1 ELSE 0 END, CASE WHEN i % 5 = 0 THEN 1 ELSE 0 END,
      '{"kind":"volunteer","consent":"personal"}', i, ${t}, ${day}, ${t}, ${t}
    FROM ${source}`;
}

function callSql(dialect: 'sqlite' | 'postgres', sizes: Sizes, now: number): string {
  const step = Math.max(1, Math.floor((CALL_DAYS * DAY_MS) / sizes.calls));
  const pick = (list: string[], expr: string) => `(CASE ${list.map((value, index) => `WHEN (${expr}) % ${list.length} = ${index} THEN '${value}'`).join(' ')} END)`;
  const t = `(${now} - i * ${step})`;
  const answered = `CASE WHEN i % 7 IN (0, 1) THEN NULL ELSE ${t} + 5000 END`;
  const source = dialect === 'postgres' ? `generate_series(1::bigint, ${sizes.calls}) AS s(i)` : 'seq';
  const prefix = dialect === 'postgres' ? '' : `WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ${sizes.calls}) `;
  return `${prefix}INSERT INTO calls (id, client_id, owner_id, direction, provider, region_code, outcome, handed_out, campaign_id, people_registered, started_at, answered_at, ended_at, created_at, updated_at)
    SELECT 'c' || i, 'bench-call-' || i, 'u' || (i % 40), CASE WHEN i % 4 = 0 THEN 'inbound' ELSE 'outbound' END, 'manual', '430121', ${pick(OUTCOMES, 'i')}, '{}',
      CASE WHEN i % 2 = 0 THEN 'camp' || (i % 5) ELSE NULL END, CASE WHEN i % 7 = 5 THEN 1 + i % 3 ELSE 0 END, ${t}, ${answered}, ${t} + 5000 + (i % 600) * 1000, ${t}, ${t}
    FROM ${source}`;
}

const COUNTER_SQL = `INSERT INTO counters (dimension, key, people, party, league, pioneers)
  SELECT 'day_place', published_day || '|' || province_code || '|' || channel, sum(people), sum(party), sum(league), sum(pioneers)
  FROM statements WHERE status = 'published' GROUP BY published_day, province_code, channel`;
/** The hourly sums the calls repository keeps, as the migration that made them fills them for existing calls. */
const SUMS = `count(*), sum(CASE WHEN answered_at IS NOT NULL THEN 1 ELSE 0 END),
    sum(CASE WHEN answered_at IS NOT NULL AND ended_at IS NOT NULL AND ended_at > answered_at THEN ended_at - answered_at ELSE 0 END),
    sum(people_registered), sum(CASE WHEN people_registered > 0 THEN 1 ELSE 0 END)`;
const ROLLUP_SQL = [
  `INSERT INTO call_hours (hour, direction, outcome, calls, answered, talk_ms, people, registered_calls)
    SELECT (started_at / 3600000) * 3600000, direction, outcome, ${SUMS} FROM calls GROUP BY (started_at / 3600000) * 3600000, direction, outcome`,
  `INSERT INTO campaign_hours (hour, campaign_id, calls, answered, talk_ms, people, registered_calls)
    SELECT (started_at / 3600000) * 3600000, campaign_id, ${SUMS} FROM calls WHERE campaign_id IS NOT NULL GROUP BY (started_at / 3600000) * 3600000, campaign_id`,
];
const QUEUE_SQL = (sizes: Sizes) =>
  `INSERT INTO queue_calls (call_id, arrived_at, outcome, left_at) SELECT 'q' || id, started_at, CASE WHEN answered_at IS NULL THEN 'abandoned' ELSE 'answered' END, started_at + 4000 FROM calls WHERE direction = 'inbound' LIMIT ${sizes.calls}`;
const DUTY_SQL = (now: number) => `INSERT INTO duty_periods (user_id, presence, from_at, to_at) SELECT DISTINCT owner_id, 'available', ${now - CALL_DAYS * DAY_MS}, ${now} FROM calls`;
const CAMPAIGN_SQL = [0, 1, 2, 3, 4].map(
  (n) => `INSERT INTO campaigns (id, name, window_start_minute, window_end_minute, max_attempts, retry_spacing_minutes, priority, status, created_at) VALUES ('camp${n}', 'Campaign ${n}', 0, 1440, 3, 60, 0, 'active', 0)`,
);

function p95(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))] ?? Number.NaN;
}

/** Fills a fresh database of `dialect` to `sizes`, then times the dashboard's periods. */
async function measure(dialect: 'sqlite' | 'postgres', sizes: Sizes, log: (line: string) => void): Promise<Record<string, number>> {
  const dir = benchDir(`dashboard-${dialect}`);
  const database = dialect === 'postgres' ? await createPostgresDatabase() : undefined;
  try {
    const env = benchEnv(dir, database ? { HOTLINE_DATABASE_URL: database.url } : {});
    const config = loadConfig(env, dir);
    const now = Date.now();
    // Migrate, then fill outside the runtime (one SQL statement per table), then open it again to time.
    await (await openRuntime(config, { createKeysIfNew: true, migrate: true })).close();
    const started = performance.now();
    const statements = [...CAMPAIGN_SQL, statementSql(dialect, sizes, now), callSql(dialect, sizes, now), ...ROLLUP_SQL, COUNTER_SQL, QUEUE_SQL(sizes), DUTY_SQL(now)];
    if (dialect === 'postgres' && database) {
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      // The generated calls' volunteers have no accounts: no foreign key checks while filling.
      try {
        await client.query("SET session_replication_role = 'replica'");
        for (const sql of statements) await client.query(sql);
        await client.query('VACUUM ANALYZE');
      } finally {
        await client.end();
      }
    } else {
      const db = new Database(path.join(config.dataDir, 'hotline.db'));
      db.pragma('foreign_keys = OFF');
      db.transaction(() => {
        for (const sql of statements) db.exec(sql);
      })();
      db.exec('ANALYZE');
      db.close();
    }
    log(`  ${dialect}: ${sizes.statements.toLocaleString('en')} statements, ${sizes.calls.toLocaleString('en')} calls filled in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const runtime = await openRuntime(config, { createKeysIfNew: false, migrate: false });
    try {
      const actor = { id: 'bench-coordinator', role: 'coordinator' as const, username: 'bench' };
      const today = chinaDay(now);
      const periods: Record<string, { from: string; to: string }> = {
        today: { from: today, to: today },
        '7 days': { from: chinaDay(now - 6 * DAY_MS), to: today },
        '30 days': { from: chinaDay(now - 29 * DAY_MS), to: today },
      };
      const timings: Record<string, number> = {};
      for (const zone of ['Asia/Shanghai', 'America/Toronto']) {
        for (const [name, period] of Object.entries(periods)) {
          const run = async () => JSON.stringify(await readDashboard(runtime, { actor, ...period, zone }));
          for (let i = 0; i < 5; i++) await run();
          const samples: number[] = [];
          for (let i = 0; i < SAMPLES; i++) {
            const begin = performance.now();
            await run();
            samples.push(performance.now() - begin);
          }
          timings[`${name}, ${zone === 'Asia/Shanghai' ? 'China time' : 'Toronto time'}`] = p95(samples);
        }
      }
      return timings;
    } finally {
      await runtime.close();
    }
  } finally {
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs (i) on both databases; `large` and `small` set the sizes (statements; calls are a tenth). */
export async function runDashboardBench(options: { large?: number; small?: number } = {}): Promise<BenchResult> {
  const large = options.large ?? 1_000_000;
  const small = options.small ?? 10_000;
  const lines: string[] = [`(i) the dashboard (readDashboard + JSON), p95 of ${SAMPLES} after 5 untimed, at ${small.toLocaleString('en')} and ${large.toLocaleString('en')} statements (a tenth as many calls)`];
  const log = (line: string) => {
    lines.push(line);
  };
  let isOk = true;
  for (const dialect of ['sqlite', 'postgres'] as const) {
    const smallTimes = await measure(dialect, { statements: small, calls: Math.round(small / 10) }, log);
    const largeTimes = await measure(dialect, { statements: large, calls: Math.round(large / 10) }, log);
    for (const [name, ms] of Object.entries(largeTimes)) {
      const base = smallTimes[name] ?? Number.NaN;
      const met = ms < TARGET_MS;
      if (!met) isOk = false;
      lines.push(`  ${dialect.padEnd(8)} ${name.padEnd(24)} p95 ${ms.toFixed(1).padStart(7)} ms at ${large.toLocaleString('en')} (${base.toFixed(1)} ms at ${small.toLocaleString('en')}, ${(ms / base).toFixed(2)}x)  ${met ? 'ok' : `MISSED (target < ${TARGET_MS} ms)`}`);
    }
  }
  return { name: 'dashboard', lines, isOk };
}
