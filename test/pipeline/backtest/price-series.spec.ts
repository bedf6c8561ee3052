import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../lib/errors.js';
import { createPriceSeries, HOUR_MS } from '../../../pipeline/backtest/price-series.js';
import type { Candle } from '../../../sinks/prices/candle.js';

const T0 = Date.UTC(2021, 0, 1);
const candle = (h: number, open: number, close: number): Candle => ({
  openTime: T0 + h * HOUR_MS,
  open,
  high: Math.max(open, close),
  low: Math.min(open, close),
  close,
  volume: 1,
});
const hours = (n: number, skip: readonly number[] = []): Candle[] =>
  Array.from({ length: n }, (_, h) => candle(h, 100 + h, 101 + h)).filter(
    (c) => !skip.includes((c.openTime - T0) / HOUR_MS),
  );

describe('price series of a backtest', () => {
  it('fills at the open of the first candle opening at or after the time', () => {
    const s = createPriceSeries({ market: 'BTC/USDT', candles: hours(12), from: T0, to: T0 + 10 * HOUR_MS });
    expect(s.fillPrice(T0 + 3 * HOUR_MS)).toBe(103);
    expect(s.fillPrice(T0 + 3 * HOUR_MS + 1)).toBe(104);
  });

  it('values at the close of the newest candle that had closed', () => {
    const s = createPriceSeries({ market: 'BTC/USDT', candles: hours(12), from: T0, to: T0 + 10 * HOUR_MS });
    expect(s.closeAt(T0 + 3 * HOUR_MS)).toBe(103); // candle 2 closed at hour 3
    expect(s.closeAt(T0 + 3 * HOUR_MS - 1)).toBe(102);
    expect(s.closeAt(T0)).toBeNull();
  });

  it('carries prices over a short gap and counts the missing hours', () => {
    const s = createPriceSeries({
      market: 'BTC/USDT',
      candles: hours(12, [4, 5]),
      from: T0,
      to: T0 + 10 * HOUR_MS,
    });
    expect(s.gaps).toBe(2);
    expect(s.fillPrice(T0 + 4 * HOUR_MS)).toBe(106);
    expect(s.closeAt(T0 + 6 * HOUR_MS)).toBe(104);
  });

  it('refuses a period whose candles stop short, naming the market and the command that loads them', () => {
    const build = () =>
      createPriceSeries({
        market: 'BTC/USDT',
        candles: hours(12, [3, 4, 5, 6, 7, 8, 9, 10]),
        from: T0,
        to: T0 + 10 * HOUR_MS,
        maxGapHours: 6,
        hint: 'load them with: sentiflow prices import',
      });
    expect(build).toThrow(ConfigError);
    expect(build).toThrow(
      /no complete price history for BTC\/USDT: 8 of the 11 hourly candles from 2021-01-01T00:00Z to 2021-01-01T10:00Z are missing, 8 in a row from 2021-01-01T03:00Z \(at most 6 are carried over\); load them with: sentiflow prices import$/,
    );
  });

  it('refuses a period that starts before the first candle', () => {
    expect(() =>
      createPriceSeries({ market: 'ETH/USDT', candles: hours(12, [0]), from: T0, to: T0 + 5 * HOUR_MS }),
    ).toThrow(/the first of the 6 hourly candles from 2021-01-01T00:00Z to 2021-01-01T05:00Z is missing/);
  });

  it('refuses a period without any candle', () => {
    expect(() =>
      createPriceSeries({ market: 'SOL/USDT', candles: [], from: T0, to: T0 + 5 * HOUR_MS }),
    ).toThrow(/no complete price history for SOL\/USDT: none of the 6 hourly candles .* is stored$/);
  });
});
