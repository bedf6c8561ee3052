import { describe, expect, it } from 'vitest';
import type { Bucket } from '../../../operators/index.js';
import { evaluate } from '../../../pipeline/backtest/evaluate.js';
import { createPriceSeries, HOUR_MS } from '../../../pipeline/backtest/price-series.js';
import type { Candle } from '../../../sinks/prices/candle.js';

const T0 = Date.UTC(2021, 0, 4, 0, 0, 0);
const HOURS = 48;

function bucket(start: number, weightedMean: number): Bucket {
  return {
    kind: 'bucket',
    symbol: 'BTC',
    start,
    count: 50,
    scoreSum: weightedMean * 50,
    scoreMean: weightedMean,
    weightSum: 50,
    weightedScoreSum: weightedMean * 50,
    weightedMean,
    positive: weightedMean > 0 ? 50 : 0,
    negative: weightedMean < 0 ? 50 : 0,
    neutral: 0,
    distinctAuthors: 50,
    firstEventTime: start,
    lastEventTime: start + HOUR_MS - 1,
  };
}

/**
 * Sentiment is perfectly informative about the price move inside its own hour: even hours rise
 * 100 -> 110 with positive sentiment, odd hours fall back 110 -> 100 with negative sentiment. Only a
 * backtest that fills at a price from inside the bucket (its open) could profit from it.
 */
function world() {
  const candles: Candle[] = [];
  const buckets: Bucket[] = [];
  for (let h = 0; h <= HOURS + 8; h++) {
    const up = h % 2 === 0;
    const start = T0 + h * HOUR_MS;
    candles.push({
      openTime: start,
      open: up ? 100 : 110,
      high: 110,
      low: 100,
      close: up ? 110 : 100,
      volume: 1,
    });
    if (h < HOURS) buckets.push(bucket(start, up ? 0.8 : -0.8));
  }
  const series = createPriceSeries({ market: 'BTC/USDT', candles, from: T0, to: T0 + HOURS * HOUR_MS });
  return { buckets, prices: new Map([['BTC', series]]) };
}

const settings = {
  from: T0,
  to: T0 + HOURS * HOUR_MS,
  symbols: ['BTC'],
  strategy: 'threshold',
  params: { lookback: '1', threshold: '0.5', minCount: '1' },
  capital: 10_000,
  feeBps: 0,
  slippageBps: 0,
  quote: 'USDT',
};

describe('look-ahead guard', () => {
  it('fills at the open of the candle after the bucket, never at a price inside it', () => {
    const { prices } = world();
    const series = prices.get('BTC')!;
    const bucketStart = T0 + 2 * HOUR_MS; // rising hour: opens at 100, closes at 110
    expect(series.fillPrice(bucketStart + HOUR_MS)).toBe(110);
    expect(series.fillPrice(bucketStart + HOUR_MS)).not.toBe(100);
  });

  it("a strategy that could only win by peeking at its bucket's own price does not win", async () => {
    const { buckets, prices } = world();
    const result = await evaluate(buckets, prices, settings, { consumed: 0, stored: 0 });
    const buys = result.trades.filter((t) => t.side === 'buy');
    const sells = result.trades.filter((t) => t.side === 'sell');
    expect(buys.length).toBeGreaterThan(10);
    expect(sells.length).toBeGreaterThan(10);
    // Bought after the rise, sold after the fall: every round trip loses the full swing.
    expect(new Set(buys.map((t) => t.price))).toEqual(new Set([110]));
    expect(new Set(sells.map((t) => t.price))).toEqual(new Set([100]));
    expect(result.summary.totalReturn).toBeLessThan(0);
    expect(result.summary.winRate).toBe(0);
    for (const t of result.trades) expect(t.decidedAt % (2 * HOUR_MS)).toBe(t.side === 'buy' ? HOUR_MS : 0);
  });

  it('values the portfolio only with closes known at each hour', async () => {
    const { buckets, prices } = world();
    const result = await evaluate(buckets, prices, settings, { consumed: 0, stored: 0 });
    // Buy-and-hold bought at the first open (100) and marked at closes: 100 after odd hours, 110 after even ones.
    const marks = result.equity.slice(1, 5).map((p) => Math.round(p.benchmark));
    expect(marks).toEqual([11_000, 10_000, 11_000, 10_000]);
  });
});
