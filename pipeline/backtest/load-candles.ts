/**
 * Loads the hourly candles a backtest needs from ClickHouse `candles` in one query per market, then
 * builds the in-memory price series (which checks the period is covered).
 */
import type { ClickHouseClient } from '@clickhouse/client';
import type { SymbolCode } from '../../operators/types.js';
import { toClickHouseError } from '../../sinks/clickhouse/client.js';
import { numberLiteral, quoteString } from '../../sinks/clickhouse/sql.js';
import { marketSymbolOf } from '../../sinks/exchange/market-symbol.js';
import type { Candle, SeriesKey } from '../../sinks/prices/candle.js';
import { validateSeriesKey } from '../../sinks/prices/candle-store.js';
import { createPriceSeries, HOUR_MS, type PriceSeries } from './price-series.js';

/** SQL of the range read, exported so it is checked on ClickHouse 18.16 and current ClickHouse. */
export function candleRangeQuery(key: SeriesKey, from: number, to: number): string {
  validateSeriesKey(key);
  const where = `exchange = ${quoteString(key.exchange)} AND symbol = ${quoteString(key.symbol)} AND timeframe = ${quoteString(key.timeframe)}`;
  return (
    `SELECT open_time_ms, open, high, low, close, volume FROM candles FINAL WHERE ${where} ` +
    `AND open_time_ms >= ${numberLiteral(Math.floor(from))} AND open_time_ms <= ${numberLiteral(Math.floor(to))} ` +
    'ORDER BY open_time_ms'
  );
}

interface StoredCandle {
  open_time_ms: string | number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

export interface LoadCandlesOptions {
  readonly url: string;
  readonly exchange: string;
  readonly quote: string;
  readonly symbols: readonly SymbolCode[];
  readonly from: number;
  readonly to: number;
  readonly maxGapHours?: number;
}

export async function loadPriceSeries(
  client: ClickHouseClient,
  { url, exchange, quote, symbols, from, to, maxGapHours = 6 }: LoadCandlesOptions,
): Promise<Map<SymbolCode, PriceSeries>> {
  const out = new Map<SymbolCode, PriceSeries>();
  for (const symbol of symbols) {
    const key = { exchange, symbol: marketSymbolOf(symbol, quote), timeframe: '1h' };
    const query = candleRangeQuery(key, from - HOUR_MS, to + (maxGapHours + 1) * HOUR_MS);
    let rows: StoredCandle[];
    try {
      rows = await (await client.query({ query, format: 'JSONEachRow' })).json<StoredCandle>();
    } catch (error) {
      throw toClickHouseError(error, `reading ${key.symbol} candles`, url);
    }
    const candles: Candle[] = rows.map((r) => ({
      openTime: Number(r.open_time_ms),
      open: Number(r.open),
      high: Number(r.high),
      low: Number(r.low),
      close: Number(r.close),
      volume: Number(r.volume),
    }));
    out.set(
      symbol,
      createPriceSeries({
        market: key.symbol,
        candles,
        from,
        to,
        maxGapHours,
        hint: `load them with: sentiflow prices import <file.csv> --exchange ${exchange} --symbol ${key.symbol} (or prices sync)`,
      }),
    );
  }
  return out;
}
