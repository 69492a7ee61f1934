import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * Keys whose values are never written, wherever they appear in a log line (two levels deep).
 * The runner logs ids, names, statuses and error messages only, never inputs, outputs or
 * connection values; this list is the net under that rule.
 */
const SECRET_KEYS = [
  'password',
  'passwd',
  'secret',
  'token',
  'apiToken',
  'apiKey',
  'authorization',
  'Authorization',
  'clientSecret',
  'privateKey',
  'cookie',
  'secrets',
  'settings',
  'input',
  'output',
];
const REDACT_PATHS = SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);

/** Structured JSON logs on stderr (stdout carries command output). Level from FLOWSTEAD_LOG_LEVEL. */
export function createLogger(options: { level?: string } = {}): Logger {
  return pino(
    {
      name: 'flowstead-runner',
      level: options.level ?? process.env['FLOWSTEAD_LOG_LEVEL'] ?? 'info',
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    // Synchronous: lines must not be lost when the process exits right after a run.
    pino.destination({ fd: 2, sync: true }),
  );
}
