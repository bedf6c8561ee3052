import { describe, expect, it } from 'vitest';
import { binSize, downsample, monthlyReturns, sentimentEma } from '../../../sinks/reports/report-series.js';
import type { EquityPoint, SymbolHour } from '../../../sinks/reports/types.js';

const hour = (weightedMean: number | null, count: number): SymbolHour => ({
  time: 0,
  weightedMean,
  count,
  close: 1,
});

describe('sentimentEma', () => {
  it('weights hours by volume and lets hours without tweets only decay', () => {
    // alpha = 2 / (3 + 1) = 0.5
    const ema = sentimentEma([hour(null, 0), hour(0.8, 10), hour(null, 0), hour(-0.4, 30)], 3);
    expect(ema[0]).toBeNull();
    expect(ema[1]).toBeCloseTo(0.8, 12);
    expect(ema[2]).toBeCloseTo(0.8, 12); // (0.25 * 8) / (0.25 * 10)
    expect(ema[3]).toBeCloseTo((0.125 * 8 + 0.5 * -12) / (0.125 * 10 + 0.5 * 30), 12);
  });
});

describe('downsample', () => {
  it.each([
    ['last non-null value per bin', 'last', [1, null, 3, null, null, null, 7], [3, null, 7]],
    ['mean with nulls as 0', 'mean', [1, null, 3, 4, 5, 6, 7], [4 / 3, 5, 7]],
    ['minimum', 'min', [1, -2, 3, 4, null, 6, 7], [-2, 4, 7]],
  ] as const)('%s', (_name, reduce, values, expected) => {
    expect(downsample(values, 3, reduce)).toEqual(expected);
  });

  it('bins only what exceeds the limit', () => {
    expect(binSize(2_000, 2_000)).toBe(1);
    expect(binSize(26_281, 2_000)).toBe(14);
  });
});

describe('monthlyReturns', () => {
  const at = (iso: string, equity: number, benchmark: number): EquityPoint => ({
    time: Date.parse(iso),
    equity,
    benchmark,
    exposure: 0,
  });

  it('compounds from the capital, month end over month end, the midnight point closing the month before', () => {
    const months = monthlyReturns(
      [
        at('2021-01-15T00:00:00Z', 1_000, 1_000),
        at('2021-01-31T23:00:00Z', 1_050, 990),
        at('2021-02-01T00:00:00Z', 1_100, 980),
        at('2021-02-15T00:00:00Z', 1_200, 1_000),
        at('2021-03-01T00:00:00Z', 1_210, 1_078),
        at('2021-03-02T00:00:00Z', 1_089, 1_078),
      ],
      1_000,
    );
    expect(months.map((m) => [m.year, m.month])).toEqual([
      [2021, 1],
      [2021, 2],
      [2021, 3],
    ]);
    expect(months[0]!.strategy).toBeCloseTo(0.1, 12);
    expect(months[0]!.benchmark).toBeCloseTo(-0.02, 12);
    expect(months[1]!.strategy).toBeCloseTo(0.1, 12);
    expect(months[1]!.benchmark).toBeCloseTo(0.1, 12);
    expect(months[2]!.strategy).toBeCloseTo(-0.1, 12);
  });
});
