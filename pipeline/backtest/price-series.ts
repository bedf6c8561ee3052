/**
 * Hourly candles of one market held in memory for a backtest, with the two prices it needs and no
 * look-ahead: fills at the open of the first candle opening at or after the decision (a decision is
 * taken when its bucket closes, so nothing from inside that bucket), valuations at the close of the
 * newest candle that had closed by then. Coverage is checked up front: a period the candles do not
 * cover is one clear ConfigError naming the hours missing.
 */

import { ConfigError } from '../../lib/errors.js';
import type { Candle } from '../../sinks/prices/candle.js';

export const HOUR_MS = 3_600_000;

export interface PriceSeries {
  readonly market: string;
  /** The candles held, by open time. */
  readonly candles: readonly Candle[];
  /** Open of the first candle with open time in [at, at + maxGap hours], or null. */
  fillPrice(at: number): number | null;
  /** Close of the newest candle closed by `at` (open + 1h <= at), carried over gaps, or null before the first. */
  closeAt(at: number): number | null;
  /** Hours inside the checked period without a candle. */
  readonly gaps: number;
}

export interface SeriesOptions {
  readonly market: string;
  /** Candles in any order (duplicates: the last wins). */
  readonly candles: readonly Candle[];
  /** The period to cover: hours from `from` (floored to the hour) to `to` (ceiled). */
  readonly from: number;
  readonly to: number;
  /** Longest run of missing hours carried forward before the period counts as uncovered. */
  readonly maxGapHours?: number;
  /** Said in the error: how to get the candles. */
  readonly hint?: string;
}

const iso = (ms: number): string => new Date(ms).toISOString().replace(':00.000Z', 'Z');

export function createPriceSeries({
  market,
  candles,
  from,
  to,
  maxGapHours = 6,
  hint = '',
}: SeriesOptions): PriceSeries {
  const byOpen = new Map<number, Candle>();
  for (const c of candles) byOpen.set(c.openTime, c);
  const opens = [...byOpen.keys()].sort((a, b) => a - b);
  const first = Math.floor(from / HOUR_MS) * HOUR_MS;
  // The last fill happens at `to` at the latest, which needs the candle opening then.
  const last = Math.ceil(to / HOUR_MS) * HOUR_MS;
  let missing = 0;
  let run = 0;
  let longest = { length: 0, start: 0 };
  for (let t = first; t <= last; t += HOUR_MS) {
    if (byOpen.has(t)) {
      run = 0;
      continue;
    }
    missing++;
    run++;
    if (run > longest.length) longest = { length: run, start: t - (run - 1) * HOUR_MS };
  }
  const total = (last - first) / HOUR_MS + 1;
  const uncoveredStart = !byOpen.has(first);
  if (missing === total || longest.length > maxGapHours || uncoveredStart) {
    const span = `${total} hourly candles from ${iso(first)} to ${iso(last)}`;
    const why =
      missing === total
        ? `none of the ${span} is stored`
        : longest.length > maxGapHours
          ? `${missing} of the ${span} are missing, ${longest.length} in a row from ${iso(longest.start)} (at most ${maxGapHours} are carried over)`
          : `the first of the ${span} is missing`;
    throw new ConfigError(`no complete price history for ${market}: ${why}${hint ? `; ${hint}` : ''}`);
  }

  const indexAtOrAfter = (at: number): number => {
    let lo = 0;
    let hi = opens.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (opens[mid]! < at) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return {
    market,
    candles: opens.map((t) => byOpen.get(t)!),
    gaps: missing,
    fillPrice(at) {
      const open = opens[indexAtOrAfter(at)];
      if (open === undefined || open > at + maxGapHours * HOUR_MS) return null;
      return byOpen.get(open)!.open;
    },
    closeAt(at) {
      // Newest candle with open + 1h <= at, i.e. open <= at - 1h.
      const i = indexAtOrAfter(at - HOUR_MS + 1) - 1;
      const open = opens[i];
      return open === undefined ? null : byOpen.get(open)!.close;
    },
  };
}
