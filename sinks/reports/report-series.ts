/**
 * The series report.html draws, made readable over years: sentiment smoothed by a volume-weighted EMA,
 * long series downsampled to a bounded number of points (keeping every buy and sell marker), and
 * monthly returns of the strategy against buy-and-hold. Pure.
 */
import type { EquityPoint, SymbolHour } from './types.js';

/**
 * EMA of the weighted sentiment over `hours` (alpha = 2 / (hours + 1)), weighted by volume: an hour of
 * many tweets moves it more than an hour of few, and hours without tweets only let it decay, so a
 * quiet night does not drag it to 0. Null until the first tweet.
 */
export function sentimentEma(hours: readonly SymbolHour[], emaHours: number): (number | null)[] {
  const alpha = 2 / (Math.max(1, emaHours) + 1);
  let weighted = 0;
  let volume = 0;
  return hours.map((h) => {
    const count = h.weightedMean === null ? 0 : h.count;
    weighted = (1 - alpha) * weighted + alpha * count * (h.weightedMean ?? 0);
    volume = (1 - alpha) * volume + alpha * count;
    return volume > 0 ? weighted / volume : null;
  });
}

/** Points of at most `maxPoints` bins of `size` hours each; size 1 when the series is short enough. */
export function binSize(points: number, maxPoints: number): number {
  return Math.max(1, Math.ceil(points / Math.max(1, maxPoints)));
}

export type Reducer = 'last' | 'mean' | 'min';

/**
 * Column by column, `size` consecutive values become one: the last non-null one (prices, EMAs and
 * markers: a bin with a trade keeps it), the mean (volumes, nulls as 0) or the minimum (drawdowns).
 */
export function downsample(
  values: readonly (number | null)[],
  size: number,
  reduce: Reducer,
): (number | null)[] {
  if (size <= 1) return [...values];
  const out: (number | null)[] = [];
  for (let from = 0; from < values.length; from += size) {
    const bin = values.slice(from, from + size);
    const present = bin.filter((v): v is number => v !== null);
    if (reduce === 'mean') out.push(present.reduce((a, b) => a + b, 0) / bin.length);
    else if (present.length === 0) out.push(null);
    else out.push(reduce === 'min' ? Math.min(...present) : present[present.length - 1]!);
  }
  return out;
}

export interface MonthlyReturn {
  readonly year: number;
  /** 1 to 12. */
  readonly month: number;
  readonly strategy: number;
  readonly benchmark: number;
}

/**
 * Return of each calendar month (UTC) from the equity curve: the value at the month's end over the
 * value at the previous month's end (the capital before the first month). A point's value holds at
 * its time, so the point at midnight on the 1st closes the month before; the first point is the start.
 * First and last months are partial when the period is.
 */
export function monthlyReturns(equity: readonly EquityPoint[], capital: number): MonthlyReturn[] {
  const ends = new Map<string, EquityPoint>();
  // The first point is the start of the period, not the end of a month.
  for (const p of equity.slice(1)) {
    const at = new Date(p.time - 1);
    ends.set(`${at.getUTCFullYear()}-${at.getUTCMonth() + 1}`, p);
  }
  const out: MonthlyReturn[] = [];
  let previous = { equity: capital, benchmark: capital };
  for (const [key, p] of ends) {
    const [year, month] = key.split('-').map(Number) as [number, number];
    out.push({
      year,
      month,
      strategy: previous.equity > 0 ? p.equity / previous.equity - 1 : 0,
      benchmark: previous.benchmark > 0 ? p.benchmark / previous.benchmark - 1 : 0,
    });
    previous = p;
  }
  return out;
}
