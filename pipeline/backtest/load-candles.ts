/**
 * Loads the hourly candles a backtest needs from ClickHouse `candles` in one query per market, then
 * builds the in-memory price series (which checks the period is covered).
 */
import type { ClickHouseClient } from '@clickhouse/client';
import type { SymbolCode } from '../../operators/types.js';
import { marketSymbolOf } from '../../sinks/exchange/market-symbol.js';
import { createClickHouseCandleStore } from '../../sinks/prices/candle-store.js';
import { createPriceSeries, HOUR_MS, type PriceSeries } from './price-series.js';

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
  const store = createClickHouseCandleStore(client, { url });
  for (const symbol of symbols) {
    const key = { exchange, symbol: marketSymbolOf(symbol, quote), timeframe: '1h' };
    const candles = await store.between(key, from - HOUR_MS, to + (maxGapHours + 1) * HOUR_MS);
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
