/**
 * Validation of everything a user types into `sentiflow query` and `sentiflow prune`. Nothing reaches
 * SQL before it passed here: symbols match a pattern and the known set, times become epoch ms inside
 * ClickHouse's DateTime range, limits are whole numbers. Bad input is one ConfigError line that names
 * the flag (the value is shown JSON-quoted, so no control character breaks the line).
 */

import { ConfigError } from '../../lib/errors.js';
import { DEFAULT_SYMBOL_MAP, TWEET_SOURCES, type TweetSource } from '../../operators/index.js';
import { parseTimestamp } from '../../sinks/prices/csv-candles.js';

export const SYMBOL_PATTERN = /^[A-Z0-9]{2,10}$/;
export const KNOWN_SYMBOLS: readonly string[] = Object.keys(DEFAULT_SYMBOL_MAP).sort();
export const MAX_LIMIT = 1_000_000;
/** ClickHouse DateTime is UInt32 seconds: [1970-01-01, 2106-02-07). */
const MAX_DATETIME_MS = 2 ** 32 * 1000;

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

const shown = (text: string): string => JSON.stringify(text);

/** A duration like 90s, 15m, 12h, 30d or 2w in ms, or null when the text is not one. */
export function parseDurationMs(text: string): number | null {
  const match = /^(\d{1,9})([smhdw])$/.exec(text.trim());
  if (!match) return null;
  const ms = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  return ms > 0 ? ms : null;
}

/** An absolute time (ISO 8601, UTC when no zone is given; or epoch s/ms) as epoch ms. */
export function parseTime(text: string, flag: string): number {
  const ms = parseTimestamp(text);
  if (ms === null) {
    throw new ConfigError(
      `${flag}: ${shown(text)} is not a time (ISO 8601 like 2024-05-01T13:00Z, or epoch seconds/ms)`,
    );
  }
  if (ms < 0 || ms >= MAX_DATETIME_MS) {
    throw new ConfigError(`${flag}: ${shown(text)} is outside ClickHouse's DateTime range (1970 to 2106)`);
  }
  return ms;
}

export interface TimeRange {
  readonly fromMs: number;
  readonly toMs: number;
}

/**
 * [from, to): `to` defaults to now, `from` to 24 h before `to`; `from` may also be a duration
 * (`--from 7d` = seven days before `to`).
 */
export function parseRange(flags: { from?: string; to?: string }, now: number): TimeRange {
  const toMs = flags.to === undefined ? now : parseTime(flags.to, '--to');
  let fromMs = toMs - UNIT_MS.d;
  if (flags.from !== undefined) {
    const duration = parseDurationMs(flags.from);
    fromMs = duration === null ? parseTime(flags.from, '--from') : toMs - duration;
  }
  if (fromMs < 0) throw new ConfigError(`--from: ${shown(flags.from ?? '')} reaches before 1970`);
  if (fromMs >= toMs) {
    throw new ConfigError(
      `--from must be before --to (got ${new Date(fromMs).toISOString()} .. ${new Date(toMs).toISOString()})`,
    );
  }
  return { fromMs, toMs };
}

/** `--symbol X` and `--symbols X,Y` together, upper-cased, checked, unique, sorted. */
export function parseSymbols(
  flags: { symbol?: string; symbols?: string },
  known: readonly string[] = KNOWN_SYMBOLS,
): string[] {
  const texts = [flags.symbol, ...(flags.symbols ?? '').split(',')].filter(
    (t): t is string => t !== undefined && t.trim() !== '',
  );
  const symbols = new Set<string>();
  for (const text of texts) {
    const symbol = text.trim().toUpperCase();
    if (!SYMBOL_PATTERN.test(symbol)) {
      throw new ConfigError(`--symbol: ${shown(text)} is not a symbol (2-10 letters or digits, e.g. BTC)`);
    }
    if (!known.includes(symbol)) {
      throw new ConfigError(`--symbol: unknown symbol ${symbol} (known: ${known.join(', ')})`);
    }
    symbols.add(symbol);
  }
  if (flags.symbols !== undefined && symbols.size === 0) {
    throw new ConfigError('--symbols: expects a comma-separated list such as BTC,ETH');
  }
  return [...symbols].sort();
}

/** `--source x|bluesky|mastodon`: one post source. */
export function parseSource(text: string): TweetSource {
  const source = text.trim().toLowerCase();
  if (!(TWEET_SOURCES as readonly string[]).includes(source)) {
    throw new ConfigError(`--source: ${shown(text)} is not a source (one of: ${TWEET_SOURCES.join(', ')})`);
  }
  return source as TweetSource;
}

/** A whole number of rows in [1, MAX_LIMIT]. */
export function parseLimit(text: string): number {
  const n = /^\d{1,7}$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_LIMIT) {
    throw new ConfigError(`--limit: ${shown(text)} is not a whole number from 1 to ${MAX_LIMIT}`);
  }
  return n;
}
