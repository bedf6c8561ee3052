/**
 * Reference prices from stored candles without look-ahead: at time `at`, the close of the newest
 * candle that had closed by then (open + timeframe <= at). Too old a candle gives no price rather
 * than a stale one.
 */
import type { PriceSource } from '../exchange/types.js';
import { timeframeMs } from './candle.js';
import type { CandleStore } from './candle-store.js';

export interface CandlePriceSourceOptions {
  readonly store: CandleStore;
  readonly exchange: string;
  readonly timeframe?: string;
  /** How many timeframes back a closed candle may lie before it counts as stale. */
  readonly maxStaleCandles?: number;
}

export function createCandlePriceSource({
  store,
  exchange,
  timeframe = '1h',
  maxStaleCandles = 3,
}: CandlePriceSourceOptions): PriceSource {
  const step = timeframeMs(timeframe);
  if (step === null) throw new RangeError(`unsupported timeframe ${timeframe}`);
  return {
    async priceAt(symbol, at) {
      const candle = await store.candleAt({ exchange, symbol, timeframe }, at - step);
      if (!candle || candle.openTime < at - step * (1 + maxStaleCandles)) return null;
      return candle.close;
    },
  };
}

/** Fixed prices per symbol (tests, demos). */
export function createFixedPriceSource(
  prices: Readonly<Record<string, number>>,
): PriceSource & { set(symbol: string, price: number): void } {
  const table = new Map(Object.entries(prices));
  return {
    async priceAt(symbol) {
      return table.get(symbol) ?? null;
    },
    set(symbol, price) {
      table.set(symbol, price);
    },
  };
}
