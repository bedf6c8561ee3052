/** Candles (OHLCV) and their ClickHouse row (migrations/0100_candles.sql). */

export interface Candle {
  /** Open time, epoch ms, aligned to the timeframe. */
  readonly openTime: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

/** Which series a candle belongs to. */
export interface SeriesKey {
  readonly exchange: string;
  readonly symbol: string;
  readonly timeframe: string;
}

export interface CandleRow {
  readonly exchange: string;
  readonly symbol: string;
  readonly timeframe: string;
  /** Unix seconds (ClickHouse DateTime accepts them in JSONEachRow on 18.16 and current). */
  readonly open_time: number;
  readonly open_time_ms: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
  readonly source: string;
  readonly version: number;
}

export function toCandleRow(key: SeriesKey, candle: Candle, source: string, version: number): CandleRow {
  return {
    exchange: key.exchange,
    symbol: key.symbol,
    timeframe: key.timeframe,
    open_time: Math.floor(candle.openTime / 1000),
    open_time_ms: candle.openTime,
    open: candle.open,
    high: candle.high,
    low: candle.low,
    close: candle.close,
    volume: candle.volume,
    source,
    version,
  };
}

const UNIT_MS: Readonly<Record<string, number>> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Milliseconds of a ccxt timeframe ('1m', '15m', '1h', '4h', '1d', '1w'), or null when unsupported. */
export function timeframeMs(timeframe: string): number | null {
  const match = /^([1-9]\d{0,2})([mhdw])$/.exec(timeframe);
  if (!match) return null;
  return Number(match[1]) * (UNIT_MS[match[2] ?? ''] ?? 0) || null;
}

/** Validation shared by commands and stores: these values reach SQL as literals. */
export const SYMBOL_PATTERN = /^[A-Z0-9]{1,20}\/[A-Z0-9]{1,20}$/;
export const EXCHANGE_PATTERN = /^[a-z0-9_]{1,40}$/;
