/**
 * The one pino root logger. Logs go to stderr (stdout carries command results such as `score` and
 * `export` output), JSON by default and pretty on a terminal. Secrets are redacted by key name
 * wherever they appear, so a config slice or an error object can be logged without leaking them.
 */
import { Writable } from 'node:stream';
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
  /**
   * Secret values (config's secretValues): any occurrence in a finished line, whatever key or message
   * text carries it (an error message quoting a URL with a password, a header dump), is replaced by
   * [redacted]. Key-name redaction catches structured fields; this catches the rest.
   */
  readonly secrets?: readonly string[];
}

/** Values shorter than this are not scrubbed from text (they would mangle ordinary words). */
const MIN_SCRUBBED_LENGTH = 4;

/** A stream that replaces every secret value in each line before passing it on. */
function scrubbing(target: NodeJS.WritableStream, secrets: readonly string[]): NodeJS.WritableStream {
  const values = [...new Set(secrets)]
    .filter((s) => s.length >= MIN_SCRUBBED_LENGTH)
    .sort((a, b) => b.length - a.length);
  // A secret may appear JSON-escaped inside a line: scrub both forms.
  const forms = values.flatMap((v) => [v, JSON.stringify(v).slice(1, -1)]);
  const scrub = (line: string): string => forms.reduce((out, v) => out.split(v).join('[redacted]'), line);
  return new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      target.write(scrub(String(chunk)));
      done();
    },
  });
}

export function createLogger(options: LoggerOptions): Logger {
  const base = {
    level: options.level,
    base: { app: 'sentiflow' },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  const usePretty = options.pretty ?? (options.destination === undefined && process.stderr.isTTY === true);
  const secrets = options.secrets ?? [];
  if (usePretty) {
    const out =
      secrets.length > 0 ? scrubbing(options.destination ?? process.stderr, secrets) : options.destination;
    return pino(base, pretty({ destination: out ?? 2, sync: true, colorize: true }));
  }
  if (secrets.length > 0) return pino(base, scrubbing(options.destination ?? process.stderr, secrets));
  return pino(base, options.destination ?? pino.destination({ fd: 2, sync: true }));
}
