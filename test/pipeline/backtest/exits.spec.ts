/**
 * Backtest bookkeeping of exits and dust: an exit sells the whole position whatever the price did,
 * and what cannot be sold is flat for exposure and win rate and marked in the trades.
 */
import { describe, expect, it } from 'vitest';
import type { Decision } from '../../../operators/types.js';
import { createPriceSeries, HOUR_MS } from '../../../pipeline/backtest/price-series.js';
import { simulate } from '../../../pipeline/backtest/simulate.js';
import { summarize } from '../../../pipeline/backtest/summarize.js';
import type { Candle } from '../../../sinks/prices/candle.js';
import { decision } from '../../fixtures/exchange/decisions.js';

const T0 = Date.UTC(2021, 0, 4);
const HOURS = 24;

/** Hourly candles with the given open price per hour (close = next open). */
function pricesOf(opens: (h: number) => number) {
  const candles: Candle[] = [];
  for (let h = 0; h <= HOURS + 8; h++) {
    const open = opens(h);
    candles.push({ openTime: T0 + h * HOUR_MS, open, high: open, low: open, close: opens(h + 1), volume: 1 });
  }
  return new Map([
    ['BTC', createPriceSeries({ market: 'BTC/USDT', candles, from: T0, to: T0 + HOURS * HOUR_MS })],
  ]);
}

/** A decision filled at the open of hour `h`. */
const at = (h: number, action: Decision['action'], size: number): Decision =>
  decision({ action, size, bucketStart: T0 + (h - 1) * HOUR_MS, reason: `${action} at ${h}` });

const run = (decisions: Decision[], prices: ReturnType<typeof pricesOf>, capital: number) =>
  simulate(decisions, { from: T0, to: T0 + HOURS * HOUR_MS, symbols: ['BTC'], prices, capital, feeBps: 10 });

function summary(sim: Awaited<ReturnType<typeof run>>, capital: number) {
  return summarize(sim, {
    from: T0,
    to: T0 + HOURS * HOUR_MS,
    symbols: ['BTC'],
    strategy: 'zscore',
    params: {},
    capital,
    feeBps: 10,
    slippageBps: 0,
    decisions: 0,
    tweets: { consumed: 0, stored: 0, buckets: 0 },
    candleGaps: 0,
  });
}

describe('backtest exits', () => {
  it('sell the whole position after a rise and leave the backtest flat', async () => {
    const prices = pricesOf((h) => 20_000 + 300 * h);
    const sim = await run([at(2, 'BUY', 1), at(6, 'SELL', 1)], prices, 10_000);
    const [buy, sell] = sim.trades;
    expect(sell?.amount).toBe(buy?.amount);
    expect(sell?.dust).toBe(0);
    const after = sim.equity.filter((p) => p.time >= T0 + 6 * HOUR_MS);
    expect(after.every((p) => p.exposure === 0)).toBe(true);
    // In the market from the end of hour 2 to the end of hour 5: 4 of the 25 hourly points.
    expect(summary(sim, 10_000).exposure).toBeCloseTo(4 / 25, 12);
  });

  it('count a remainder that a crash made unsellable as flat, close it as dust and keep the next trade clean', async () => {
    // 20,000 until hour 8, then 8,000: the 15% kept by the partial sell falls below the $5 minimum.
    const prices = pricesOf((h) => (h < 8 ? 20_000 : 8_000));
    const decisions = [
      at(2, 'BUY', 1),
      at(4, 'SELL', 0.85),
      at(10, 'SELL', 1),
      at(12, 'BUY', 1),
      at(14, 'SELL', 1),
    ];
    const sim = await run(decisions, prices, 60);
    const [, partial, dustClose, rebuy, exit] = sim.trades;
    expect(partial).toMatchObject({ side: 'sell', dust: 0 });
    expect(partial!.amount).toBeGreaterThan(0);
    // The exit at hour 10 could not sell: a row marked dust, no fill, the loss of the remainder realised.
    const left = sim.trades[0]!.amount - partial!.amount;
    expect(left * 8_000).toBeLessThan(5);
    expect(dustClose).toMatchObject({
      side: 'sell',
      amount: 0,
      cost: 0,
      price: 8_000,
      reason: 'SELL at 10; dust, not sold',
    });
    expect(dustClose!.dust).toBeCloseTo(left, 12);
    expect(dustClose!.pnl).toBeLessThan(-left * 11_000);
    // The next round trip at a flat 8,000 loses its fees only: the old remainder's basis does not leak in.
    expect(rebuy?.side).toBe('buy');
    expect(exit?.amount).toBeCloseTo(rebuy!.amount + left, 12);
    expect(exit!.pnl).toBeCloseTo(-(rebuy!.fee + exit!.fee), 9);
    // Hours holding only the dust are out of the market.
    const dustHours = sim.equity.filter((p) => p.time >= T0 + 9 * HOUR_MS && p.time < T0 + 12 * HOUR_MS);
    expect(dustHours.every((p) => p.exposure === 0)).toBe(true);
    const s = summary(sim, 60);
    expect(s.trades).toBe(4);
    expect(s.closedTrades).toBe(3);
    expect(s.winRate).toBe(0);
  });
});
