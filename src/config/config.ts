import { existsSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';

const port = z.coerce
  .number({ message: 'expected a port number' })
  .int('expected a whole number')
  .min(1, 'expected a port between 1 and 65535')
  .max(65535, 'expected a port between 1 and 65535');

const positiveInt = (what: string) =>
  z.coerce.number({ message: `expected ${what}` }).int(`expected ${what}`).positive(`expected ${what}`);

/**
 * Which proxies in front of Hotline may name the client: `false` (none: the socket address is the
 * client), a number of hops (`true` is 1: one nginx or Caddy that appends the address it saw), or a
 * comma-separated list of proxy addresses and CIDR ranges. Never "trust everything": a client could
 * then choose its own address with a forged `X-Forwarded-For` and escape every per-client limit.
 */
const trustProxy = z
  .string()
  .trim()
  .transform((value, ctx): false | number | string[] => {
    const lower = value.toLowerCase();
    if (['false', '0', 'no', 'off', ''].includes(lower)) return false;
    if (['true', 'yes', 'on'].includes(lower)) return 1;
    if (/^\d+$/.test(value)) {
      const hops = Number(value);
      if (hops <= 16) return hops;
    }
    const entries = value.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
    const wrong = entries.filter((entry) => !isProxyAddress(entry));
    if (entries.length === 0 || wrong.length > 0) {
      ctx.addIssue({ code: 'custom', message: `expected false, a number of proxy hops (1 to 16) or proxy addresses such as 10.0.0.5,10.0.1.0/24; not an address: ${wrong.join(', ') || value}` });
      return z.NEVER;
    }
    return entries;
  });

function isProxyAddress(entry: string): boolean {
  const [address, prefix, extra] = entry.split('/');
  if (extra !== undefined || address === undefined) return false;
  const family = isIP(address);
  if (family === 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d+$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

const booleanish = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/**
 * Every setting Hotline reads, by the environment variable that sets it. A config file may set the
 * same names; the environment wins. One schema so that `serve`, `doctor` and every CLI command
 * refuse a wrong setting the same way.
 */
export const ConfigSchema = z.object({
  PORT: port.default(8080),
  HOTLINE_HOST: z.string().min(1).default('127.0.0.1'),
  HOTLINE_DATA_DIR: z.string().min(1, 'expected a folder path').default('./data'),
  HOTLINE_DATABASE_URL: z
    .string()
    .regex(/^(postgres(ql)?:\/\/|sqlite:)/, 'expected postgres://user@host:port/database or sqlite:/path/to/file.db')
    .optional(),
  HOTLINE_KEY_FILE: z.string().min(1, 'expected a file path').default('./secrets/hotline.keys'),
  HOTLINE_KEYRING: z.string().min(1).optional(),
  /** The newest audit head, kept outside the database; next to the key file unless set. */
  HOTLINE_AUDIT_HEAD_FILE: z.string().min(1, 'expected a file path').optional(),
  HOTLINE_PUBLIC_URL: z.url({ message: 'expected an absolute URL such as https://hotline.example.org' }).optional(),
  HOTLINE_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HOTLINE_SESSION_IDLE_MINUTES: positiveInt('a number of minutes').default(30),
  HOTLINE_SESSION_ABSOLUTE_HOURS: positiveInt('a number of hours').default(12),
  HOTLINE_COOKIE_SECURE: booleanish.optional(),
  HOTLINE_TRUST_PROXY: trustProxy.default(false),
  /**
   * Redis shared by several `hotline serve` instances on one PostgreSQL (live events, the queue,
   * rate limits, one-use tickets, the lease). Unset: one instance, nothing shared.
   */
  HOTLINE_REDIS_URL: z.string().regex(/^rediss?:\/\//, 'expected redis://host:6379 or rediss://host:6380').optional(),
  /** Prefix of every key Hotline writes in Redis, so that several installs can share one Redis. */
  HOTLINE_REDIS_PREFIX: z.string().regex(/^[A-Za-z0-9:_.-]{1,40}$/, 'expected up to 40 letters, digits or : _ . -').default('hotline:'),
  HOTLINE_NOTES_RETENTION_DAYS: positiveInt('a number of days').default(90),
  /** Public statement submissions accepted per client (keyed hash of the address) per minute. */
  HOTLINE_PUBLIC_SUBMIT_PER_MINUTE: positiveInt('a number of submissions').default(10),
  /** Proof-of-work difficulty (leading zero bits) the public form must solve; 16 is ~0.5 s on a phone. */
  HOTLINE_POW_DIFFICULTY: z.coerce.number({ message: 'expected a number of bits' }).int().min(0).max(24).default(16),
  /** Live-counter streams (SSE) open at once, all visitors together; beyond it pages poll the JSON counters. */
  HOTLINE_PUBLIC_STREAMS_MAX: positiveInt('a number of connections').default(1000),
  /**
   * ... and from one client address (many visitors share a circumvention tool's exit address, so it
   * is generous): no single client can hold every stream and push everyone else onto polling.
   */
  HOTLINE_PUBLIC_STREAMS_PER_CLIENT: positiveInt('a number of connections').default(50),
  // Telephony (src/telephony). Twilio is off unless the account SID and auth token are set.
  HOTLINE_TWILIO_ACCOUNT_SID: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'expected a Twilio account SID (AC + 32 hex digits)').optional(),
  HOTLINE_TWILIO_AUTH_TOKEN: z.string().min(16, 'expected a Twilio auth token').max(128).optional(),
  HOTLINE_TWILIO_API_KEY_SID: z.string().regex(/^SK[0-9a-fA-F]{32}$/, 'expected a Twilio API key SID (SK + 32 hex digits)').optional(),
  HOTLINE_TWILIO_API_KEY_SECRET: z.string().min(16).max(128).optional(),
  HOTLINE_TWILIO_TWIML_APP_SID: z.string().regex(/^AP[0-9a-fA-F]{32}$/, 'expected a TwiML app SID (AP + 32 hex digits)').optional(),
  /** The Twilio number (E.164) the far end sees when a volunteer dials out from the console. */
  HOTLINE_TWILIO_CALLER_ID: z.string().regex(/^\+[1-9][0-9]{6,14}$/, 'expected a Twilio phone number in E.164, e.g. +14155550100').optional(),
  // SIP (Kamailio + rtpengine) is off unless the shared secret between Kamailio and Hotline is set.
  HOTLINE_SIP_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{24,128}$/, 'expected 24 to 128 random letters, digits, - or _ (e.g. openssl rand -base64 32 | tr +/ -_ | tr -d =)')
    .optional(),
  HOTLINE_SIP_DOMAIN: z.string().regex(/^[A-Za-z0-9.-]{1,253}$/, 'expected a domain name or IP address').default('127.0.0.3'),
  HOTLINE_SIP_LISTEN_IP: z.string().regex(/^[0-9a-fA-F.:]{2,45}$/, 'expected an IP address').default('127.0.0.3'),
  HOTLINE_SIP_PORT: port.default(5060),
  HOTLINE_SIP_WS_PORT: port.default(5066),
  HOTLINE_SIP_TRUNK: z.string().regex(/^\d{1,3}(\.\d{1,3}){3}(:\d{1,5})?$/, 'expected the IPv4 address (and :port) of the SIP trunk').optional(),
  HOTLINE_SIP_TRUNK_USERNAME: z.string().regex(/^[A-Za-z0-9_.+-]{1,128}$/, 'expected the trunk account name').optional(),
  HOTLINE_SIP_TRUNK_PASSWORD: z.string().regex(/^[^"\\\s]{1,256}$/, 'expected a password without quotes, backslashes or spaces').optional(),
  HOTLINE_SIP_RING_SECONDS: positiveInt('a number of seconds').default(15),
  HOTLINE_SIP_WS_URL: z.string().regex(/^wss?:\/\/[^\s"'<>]+$/, 'expected the ws:// or wss:// address browsers reach the SIP WebSocket at').optional(),
  HOTLINE_SIP_CALLER_LANGUAGE: z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/, 'expected a language tag such as zh or yue').optional(),
  /** Longest a caller waits for a volunteer to accept; then the call becomes a callback request. */
  HOTLINE_QUEUE_WAIT_SECONDS: positiveInt('a number of seconds').default(90),
  /** Demo mode: coordinators may simulate inbound calls from the board (for training; never in production). */
  HOTLINE_DEMO_CALLS: booleanish.default(false),
  /** The hotline's own number, which volunteers read out to the people they call (shown in the workspace). */
  HOTLINE_PHONE_NUMBER: z.string().trim().min(3).max(40).regex(/^[+0-9 ()-]+$/, 'expected a phone number such as +1 416 555 0100').optional(),
  HOTLINE_CAMPAIGN_MESSAGES_DIR: z.string().min(1, 'expected a folder path').optional(),
  HOTLINE_RTPENGINE_NG: z.string().regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, 'expected host:port of rtpengine\'s control socket').default('127.0.0.1:2223'),
  HOTLINE_RTP_INTERFACE: z.string().regex(/^[0-9a-fA-F.:]{2,45}$/, 'expected an IP address').default('127.0.0.1'),
  HOTLINE_RTP_PORT_MIN: port.default(30000),
  HOTLINE_RTP_PORT_MAX: port.default(30999),
  HOTLINE_CALL_RECORDING: booleanish.default(false),
});

/** The validated settings, with the derived values the rest of the code needs. */
export type Config = z.infer<typeof ConfigSchema> & {
  /** Absolute data folder. */
  dataDir: string;
  /** Absolute key file path. */
  keyFile: string;
  /** Absolute path of the file that keeps the newest audit head outside the database. */
  auditHeadFile: string;
  /** Where the database lives. */
  database: { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };
  /** Base URL printed in links (first-admin link, invitations). */
  publicUrl: string;
  /** Whether session cookies carry the Secure flag. */
  cookieSecure: boolean;
};

/** A setting that is wrong; the message names the setting and what is expected. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** HOTLINE_* names read outside the configuration: the config file's name, test hooks and tools. */
const NON_SETTING_NAMES = new Set(['HOTLINE_CONFIG', 'HOTLINE_CHROMIUM', 'HOTLINE_IMPORT_CRASH_AFTER_BATCHES', 'HOTLINE_IMPORT_CRASH_AT']);
const NON_SETTING_PREFIXES = ['HOTLINE_TEST_', 'HOTLINE_BENCH_'];
/** Names that look like settings but do nothing, with what to do instead. */
const UNSUPPORTED: Record<string, string> = {
  HOTLINE_PUBLIC_PORT: 'separate public and staff ports are not supported yet; PORT serves both',
  HOTLINE_STAFF_PORT: 'separate public and staff ports are not supported yet; PORT serves both',
};

/** How many single-character edits turn `a` into `b`. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** Why a name is not a setting, suggesting the closest one when it looks like a typo. */
function unknownSettingMessage(name: string, where: string): string {
  const unsupported = UNSUPPORTED[name];
  if (unsupported !== undefined) return `${name}: ${unsupported} (${where})`;
  let closest: string | undefined;
  let best = Infinity;
  for (const known of Object.keys(ConfigSchema.shape)) {
    const distance = editDistance(name, known);
    if (distance < best) [closest, best] = [known, distance];
  }
  const suggestion = closest !== undefined && best <= Math.max(2, Math.floor(name.length / 4)) ? `; did you mean ${closest}?` : '; see the README for the settings';
  return `${name}: unknown setting (${where})${suggestion}`;
}

/**
 * A mistyped HOTLINE_* variable would otherwise be ignored in silence (HOTLINE_DATA_DIRR leaving
 * the data in ./data): every HOTLINE_* name must be a setting or one of the few read elsewhere.
 */
function unknownEnvironmentNames(env: Env): string[] {
  const known = new Set(Object.keys(ConfigSchema.shape));
  return Object.keys(env)
    .filter((name) => name.startsWith('HOTLINE_') && env[name] !== undefined)
    .filter((name) => !known.has(name) && !NON_SETTING_NAMES.has(name) && !NON_SETTING_PREFIXES.some((prefix) => name.startsWith(prefix)))
    .sort()
    .map((name) => unknownSettingMessage(name, 'environment variable'));
}

/**
 * Reads settings from an optional JSON config file (`HOTLINE_CONFIG`, or `./hotline.config.json` when it
 * exists) and the environment, validates them and derives absolute paths.
 */
export function loadConfig(env: Env = process.env, cwd = process.cwd()): Config {
  const unknown = unknownEnvironmentNames(env);
  if (unknown.length > 0) throw new ConfigError(`Invalid configuration:\n  ${unknown.join('\n  ')}`);
  const fromFile = readConfigFile(env, cwd);
  const merged: Env = { ...fromFile };
  for (const key of Object.keys(ConfigSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') merged[key] = value;
  }
  const parsed = ConfigSchema.safeParse(merged);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = issue.path.join('.') || '(config)';
      const given = merged[name];
      return `${name}: ${issue.message}${given === undefined ? '' : ` (got ${JSON.stringify(given)})`}`;
    });
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const raw = parsed.data;
  const dataDir = path.resolve(cwd, raw.HOTLINE_DATA_DIR);
  const keyFile = path.resolve(cwd, raw.HOTLINE_KEY_FILE);
  const auditHeadFile = raw.HOTLINE_AUDIT_HEAD_FILE ? path.resolve(cwd, raw.HOTLINE_AUDIT_HEAD_FILE) : path.join(path.dirname(keyFile), 'hotline.audit-head');
  const url = raw.HOTLINE_DATABASE_URL;
  const database: Config['database'] =
    url === undefined
      ? { kind: 'sqlite', file: path.join(dataDir, 'hotline.db') }
      : url.startsWith('sqlite:')
        ? { kind: 'sqlite', file: path.resolve(cwd, url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '')) }
        : { kind: 'postgres', url };
  const publicUrl = (raw.HOTLINE_PUBLIC_URL ?? `http://localhost:${raw.PORT}`).replace(/\/$/, '');
  const isLocalHttp = /^http:\/\/(localhost|127\.0\.0\.1)(:|\/|$)/.test(publicUrl);
  if (publicUrl.startsWith('https:') && raw.HOTLINE_SIP_WS_URL?.startsWith('ws:')) {
    throw new ConfigError('Invalid configuration:\n  HOTLINE_SIP_WS_URL: the console is served over https, so browsers refuse a ws:// softphone connection; expected wss://');
  }
  return {
    ...raw,
    dataDir,
    keyFile,
    auditHeadFile,
    database,
    publicUrl,
    cookieSecure: raw.HOTLINE_COOKIE_SECURE ?? !isLocalHttp,
  };
}

function readConfigFile(env: Env, cwd: string): Env {
  const explicit = env.HOTLINE_CONFIG;
  const file = explicit ? path.resolve(cwd, explicit) : path.join(cwd, 'hotline.config.json');
  if (!existsSync(file)) {
    if (explicit) throw new ConfigError(`HOTLINE_CONFIG: the config file ${file} does not exist`);
    return {};
  }
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`HOTLINE_CONFIG: ${file} is not valid JSON (${(error as Error).message})`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new ConfigError(`HOTLINE_CONFIG: ${file} must hold a JSON object such as {"PORT": 8080}`);
  }
  const known = new Set(Object.keys(ConfigSchema.shape));
  const out: Env = {};
  for (const [key, value] of Object.entries(data)) {
    if (!known.has(key)) throw new ConfigError(`Invalid configuration:\n  ${unknownSettingMessage(key, `in ${file}`)}`);
    out[key] = String(value);
  }
  return out;
}

/** Renders a database location for messages without its password. */
export function describeDatabase(database: Config['database']): string {
  if (database.kind === 'sqlite') return `SQLite file ${database.file}`;
  try {
    const url = new URL(database.url);
    if (url.password) url.password = '***';
    return `PostgreSQL ${url.toString()}`;
  } catch {
    return 'PostgreSQL (unparseable HOTLINE_DATABASE_URL)';
  }
}
