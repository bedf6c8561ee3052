/**
 * The one pino root logger. Logs go to stderr (stdout carries command results such as `score` and
 * `export` output), JSON by default and pretty on a terminal. Secrets are redacted by key name
 * wherever they appear, so a config slice or an error object can be logged without leaking them.
 */
import { type Logger, pino } from 'pino';
import pretty from 'pino-pretty';
import type { Config } from './config.js';

export type { Logger };

/** Keys whose values never reach a log line, at any depth up to three levels. */
const SECRET_KEYS = [
  'password',
  'secret',
  'apiKey',
  'bearerToken',
  'token',
  'authorization',
  'Authorization',
  'X-MBX-APIKEY',
  'signature',
];
const REDACT_PATHS = SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `*.*.*.${k}`]);

export interface LoggerOptions {
  readonly level: Config['log']['level'];
  /** Pretty output; defaults to whether stderr is a terminal. */
  readonly pretty?: boolean;
  /** Where lines go; defaults to stderr. Tests pass a capturing stream. */
  readonly destination?: NodeJS.WritableStream;
}

export function createLogger(options: LoggerOptions): Logger {
  const base = {
    level: options.level,
    base: { app: 'sentiflow' },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  const usePretty = options.pretty ?? (options.destination === undefined && process.stderr.isTTY === true);
  if (usePretty) {
    return pino(base, pretty({ destination: options.destination ?? 2, sync: true, colorize: true }));
  }
  return pino(base, options.destination ?? pino.destination({ fd: 2, sync: true }));
}
