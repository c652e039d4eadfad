import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * Paths pino blanks out wherever they appear. Personal fields are redacted by name, so a field that
 * slips into a log line by mistake is still not written.
 */
export const REDACTED_PATHS = [
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["x-forwarded-for"]',
  'req.headers["x-real-ip"]',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.token',
  '*.realName',
  '*.real_name',
  '*.phone',
  '*.notes',
  '*.contact',
  '*.secret',
  '*.code',
  '*.recoveryCode',
  'password',
  'token',
  'realName',
  'phone',
  'ip',
  'remoteAddress',
  'remotePort',
];

/**
 * Creates the process logger. Pretty output only when a person is watching a terminal.
 * `destination` (tests) receives the JSON lines instead of stdout.
 */
export function createLogger(level: string, options: { pretty?: boolean; destination?: DestinationStream } = {}): Logger {
  const pretty = options.pretty ?? (options.destination === undefined && process.stdout.isTTY && process.env.NODE_ENV !== 'production');
  const settings = {
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    ...(pretty ? { transport: { target: 'pino-pretty', options: { colorize: true, ignore: 'pid,hostname' } } } : {}),
  };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}

export type { Logger };
