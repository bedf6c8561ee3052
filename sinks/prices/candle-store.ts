/**
 * Where candles live: the port and its ClickHouse adapter (table `candles`, ReplacingMergeTree, so
 * writing a candle again replaces it). Series keys are validated before they reach SQL as literals.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import type { Logger } from 'pino';
import { InputError } from '../../lib/errors.js';
import { toClickHouseError } from '../clickhouse/client.js';
import { insertRows } from '../clickhouse/insert.js';
import { numberLiteral, quoteString } from '../clickhouse/sql.js';
import {
  type Candle,
  EXCHANGE_PATTERN,
  type SeriesKey,
  SYMBOL_PATTERN,
  timeframeMs,
  toCandleRow,
} from './candle.js';

export interface CandleStore {
  /** Writes candles of one series; idempotent (same open time replaces). */
  write(key: SeriesKey, candles: readonly Candle[], source: string): Promise<void>;
  /** Open time of the newest stored candle, or null when the series is empty. */
  lastOpenTime(key: SeriesKey): Promise<number | null>;
  /** Newest candle whose open time is <= `at`, or null. */
  candleAt(key: SeriesKey, at: number): Promise<Candle | null>;
  /** The candles with open time in [from, to], oldest first. */
  between(key: SeriesKey, from: number, to: number): Promise<Candle[]>;
}

export function validateSeriesKey(key: SeriesKey): SeriesKey {
  if (!EXCHANGE_PATTERN.test(key.exchange))
    throw new InputError('exchange', `'${key.exchange}' is not an exchange id`);
  if (!SYMBOL_PATTERN.test(key.symbol))
    throw new InputError('symbol', `'${key.symbol}' is not a symbol like BTC/USDT`);
  if (timeframeMs(key.timeframe) === null)
    throw new InputError('timeframe', `'${key.timeframe}' is not a timeframe like 1h`);
  return key;
}

export interface ClickHouseCandleStoreOptions {
  readonly url: string;
  readonly logger?: Logger;
  /** Version of written rows (later writes win); defaults to the wall clock. */
  readonly now?: () => number;
}

interface StoredCandle {
  open_time_ms: string | number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

function seriesWhere(key: SeriesKey): string {
  validateSeriesKey(key);
  return `exchange = ${quoteString(key.exchange)} AND symbol = ${quoteString(key.symbol)} AND timeframe = ${quoteString(key.timeframe)}`;
}

/** SQL of the store, exported so the same text is tested on ClickHouse 18.16 and on current ClickHouse (chdb). */
export const CANDLE_QUERIES = {
  lastOpenTime: (key: SeriesKey): string =>
    `SELECT max(open_time_ms) AS last, count() AS n FROM candles WHERE ${seriesWhere(key)}`,
  candleAt: (key: SeriesKey, at: number): string =>
    `SELECT open_time_ms, open, high, low, close, volume FROM candles FINAL WHERE ${seriesWhere(key)} ` +
    `AND open_time_ms <= ${numberLiteral(Math.floor(at))} ORDER BY open_time_ms DESC LIMIT 1`,
  between: (key: SeriesKey, from: number, to: number): string =>
    `SELECT open_time_ms, open, high, low, close, volume FROM candles FINAL WHERE ${seriesWhere(key)} ` +
    `AND open_time_ms >= ${numberLiteral(Math.floor(from))} AND open_time_ms <= ${numberLiteral(Math.floor(to))} ` +
    'ORDER BY open_time_ms',
};

const candleOf = (row: StoredCandle): Candle => ({
  openTime: Number(row.open_time_ms),
  open: Number(row.open),
  high: Number(row.high),
  low: Number(row.low),
  close: Number(row.close),
  volume: Number(row.volume),
});

export function createClickHouseCandleStore(
  client: ClickHouseClient,
  { url, logger, now = Date.now }: ClickHouseCandleStoreOptions,
): CandleStore {
  const select = async <T>(query: string, doing: string): Promise<T[]> => {
    try {
      const result = await client.query({ query, format: 'JSONEachRow' });
      return await result.json<T>();
    } catch (error) {
      throw toClickHouseError(error, doing, url);
    }
  };
  return {
    async write(key, candles, source) {
      validateSeriesKey(key);
      const version = now();
      const rows = candles.map((c) => toCandleRow(key, c, source, version));
      await insertRows(client, 'candles', rows, { url, ...(logger ? { logger } : {}) });
    },
    async lastOpenTime(key) {
      const rows = await select<{ last: string | number; n: string | number }>(
        CANDLE_QUERIES.lastOpenTime(key),
        'reading the last stored candle',
      );
      const row = rows[0];
      return row && Number(row.n) > 0 ? Number(row.last) : null;
    },
    async candleAt(key, at) {
      const rows = await select<StoredCandle>(CANDLE_QUERIES.candleAt(key, at), 'reading a candle');
      const row = rows[0];
      return row ? candleOf(row) : null;
    },
    async between(key, from, to) {
      const rows = await select<StoredCandle>(
        CANDLE_QUERIES.between(key, from, to),
        `reading ${key.symbol} candles`,
      );
      return rows.map(candleOf);
    },
  };
}

/** In-memory store for tests and backtests that load candles from a file. */
export function createMemoryCandleStore(): CandleStore & {
  readonly series: Map<string, Map<number, Candle>>;
} {
  const series = new Map<string, Map<number, Candle>>();
  const id = (key: SeriesKey): string => `${key.exchange}|${key.symbol}|${key.timeframe}`;
  const of = (key: SeriesKey): Map<number, Candle> => {
    const existing = series.get(id(key));
    if (existing) return existing;
    const created = new Map<number, Candle>();
    series.set(id(key), created);
    return created;
  };
  return {
    series,
    async write(key, candles) {
      const map = of(validateSeriesKey(key));
      for (const c of candles) map.set(c.openTime, c);
    },
    async lastOpenTime(key) {
      const times = [...of(key).keys()];
      return times.length ? Math.max(...times) : null;
    },
    async candleAt(key, at) {
      let best: Candle | null = null;
      for (const c of of(key).values())
        if (c.openTime <= at && (best === null || c.openTime > best.openTime)) best = c;
      return best;
    },
    async between(key, from, to) {
      return [...of(key).values()]
        .filter((c) => c.openTime >= from && c.openTime <= to)
        .sort((a, b) => a.openTime - b.openTime);
    },
  };
}
