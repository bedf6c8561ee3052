import { describe, expect, it } from 'vitest';
import {
  HOURS_PER_YEAR,
  hourlyReturns,
  maxDrawdown,
  sharpeRatio,
  sortinoRatio,
  totalReturn,
  tradeStats,
} from '../../../pipeline/backtest/metrics.js';

describe('backtest metrics on hand-made equity curves', () => {
  it('computes simple hourly returns and the total return', () => {
    expect(hourlyReturns([100, 110, 99])).toEqual([expect.closeTo(0.1, 12), expect.closeTo(-0.1, 12)]);
    expect(totalReturn([100, 110, 99])).toBeCloseTo(-0.01, 12);
    expect(totalReturn([])).toBe(0);
  });

  it('annualises Sharpe from hourly returns with the sample deviation', () => {
    // Returns +1%, -1%, +1%, -1%, +2%: mean 0.4%, sample std sqrt(((0.6^2)*2 + (1.4^2)*2 + 1.6^2)/4)%.
    const returns = [0.01, -0.01, 0.01, -0.01, 0.02];
    const std = Math.sqrt((0.006 ** 2 * 2 + 0.014 ** 2 * 2 + 0.016 ** 2) / 4);
    expect(sharpeRatio(returns)).toBeCloseTo((0.004 / std) * Math.sqrt(HOURS_PER_YEAR), 9);
    expect(sharpeRatio(returns, 1)).toBeCloseTo(0.004 / std, 12);
  });

  it('has no Sharpe for a flat curve or a single return', () => {
    expect(sharpeRatio([0, 0, 0])).toBeNull();
    expect(sharpeRatio([0.05])).toBeNull();
  });

  it('computes Sortino from the downside deviation over all hours', () => {
    const returns = [0.02, -0.01, 0.03, -0.02];
    const downside = Math.sqrt((0.01 ** 2 + 0.02 ** 2) / 4);
    expect(sortinoRatio(returns, 1)).toBeCloseTo(0.005 / downside, 12);
    expect(sortinoRatio([0.01, 0.02])).toBeNull();
  });

  it('finds the deepest drawdown, its peak, trough and recovery', () => {
    const curve = [100, 120, 90, 110, 60, 80, 121, 100];
    const dd = maxDrawdown(curve);
    expect(dd.depth).toBeCloseTo(0.5, 12); // 120 -> 60
    expect(dd.peakIndex).toBe(1);
    expect(dd.troughIndex).toBe(4);
    expect(dd.recoveryIndex).toBe(6);
    expect(dd.duration).toBe(5);
  });

  it('measures an unrecovered drawdown to the end of the curve', () => {
    const dd = maxDrawdown([100, 90, 80, 85]);
    expect(dd.depth).toBeCloseTo(0.2, 12);
    expect(dd.recoveryIndex).toBeNull();
    expect(dd.duration).toBe(3);
  });

  it('reports no drawdown on a curve that only rises', () => {
    expect(maxDrawdown([1, 2, 3]).depth).toBe(0);
  });

  it('counts wins and averages closed trades', () => {
    expect(tradeStats([10, -5, 20, -1])).toEqual({ closed: 4, winRate: 0.5, averageTrade: 6 });
    expect(tradeStats([])).toEqual({ closed: 0, winRate: null, averageTrade: null });
  });
});
