/**
 * `prices sync`: pages through an exchange's OHLCV history into the candle store. Resumes from the
 * newest stored candle (re-fetching it, since it may have been stored while still forming), writes
 * each page before asking for the next, and stores only candles that had closed by `until`.
 * Idempotent: a rerun rewrites the same candles, which the store replaces.
 */
import { InputError } from '../../lib/errors.js';
import { type Candle, type SeriesKey, timeframeMs } from './candle.js';
import type { CandleStore } from './candle-store.js';

/** One page of candles from `since` (inclusive), oldest first. */
export interface OhlcvSource {
  fetchPage(symbol: string, timeframe: string, since: number, limit: number): Promise<readonly Candle[]>;
}

export interface SyncProgress {
  readonly fetched: number;
  readonly stored: number;
  /** Open time of the newest stored candle so far. */
  readonly position: number;
  readonly from: number;
  readonly until: number;
}

export interface SyncOptions {
  readonly key: SeriesKey;
  readonly source: OhlcvSource;
  readonly store: CandleStore;
  readonly from: number;
  /** Upper bound (exclusive) for candle close times; defaults to now. */
  readonly until?: number;
  readonly pageLimit?: number;
  /** Stop after this many pages (tests, partial runs); resumable afterwards. */
  readonly maxPages?: number;
  readonly onProgress?: (progress: SyncProgress) => void;
  readonly now?: () => number;
}

export interface SyncReport {
  readonly pages: number;
  readonly stored: number;
  readonly resumedFrom: number | null;
  readonly start: number;
  readonly last: number | null;
}

export async function syncCandles(options: SyncOptions): Promise<SyncReport> {
  const {
    key,
    source,
    store,
    from,
    pageLimit = 1000,
    maxPages = Number.POSITIVE_INFINITY,
    onProgress,
  } = options;
  const step = timeframeMs(key.timeframe);
  if (step === null) throw new InputError('timeframe', `'${key.timeframe}' is not a timeframe like 1h`);
  const until = options.until ?? (options.now ?? Date.now)();
  const resumedFrom = await store.lastOpenTime(key);
  const start = resumedFrom !== null && resumedFrom >= from ? resumedFrom : Math.ceil(from / step) * step;
  let since = start;
  let pages = 0;
  let stored = 0;
  let fetched = 0;
  let last: number | null = null;
  while (since + step <= until && pages < maxPages) {
    const page = await source.fetchPage(key.symbol, key.timeframe, since, pageLimit);
    pages += 1;
    fetched += page.length;
    const closed = page.filter((c) => c.openTime >= since && c.openTime + step <= until);
    if (closed.length === 0) break;
    await store.write(key, closed, `ccxt:${key.exchange}`);
    stored += closed.length;
    last = closed.at(-1)?.openTime ?? last;
    onProgress?.({ fetched, stored, position: last ?? since, from: start, until });
    const next = (last ?? since) + step;
    if (next <= since) break;
    since = next;
  }
  return { pages, stored, resumedFrom, start, last };
}
