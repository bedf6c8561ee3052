/**
 * One symbol's hours on a regular grid: the social metrics of each hour that has a bucket, and the
 * close of each hour that has a candle. Hours without either stay NaN (never filled): analyses
 * exclude them and count why. Index i is the hour starting at `start + i` hours. Pure.
 */
import type { Candle } from '../../sinks/prices/candle.js';

export const HOUR_MS = 3_600_000;

/** Social metrics of one (symbol, hour), as `query metrics` returns them. */
export interface MetricRow {
  readonly symbol: string;
  /** Hour start, epoch ms. */
  readonly hour: number;
  readonly volume: number;
  readonly authors: number;
  readonly positive: number;
  readonly negative: number;
  readonly weightedMean: number;
  /** The symbol's share of every symbol's volume in the hour. */
  readonly dominance: number;
}

export interface Grid {
  /** Epoch ms of index 0, on the hour. */
  readonly start: number;
  readonly length: number;
  /** The analysed hours: indices [from, to). */
  readonly from: number;
  readonly to: number;
}

export interface SymbolFrame {
  readonly symbol: string;
  readonly grid: Grid;
  readonly hasBucket: Uint8Array;
  readonly volume: Float64Array;
  readonly positive: Float64Array;
  readonly negative: Float64Array;
  readonly weightedMean: Float64Array;
  readonly dominance: Float64Array;
  /** Close of the candle opening at the hour: the price when the hour's bucket closed. */
  readonly close: Float64Array;
}

/** The grid covering [from - before, to + after) hours, analysing [from, to). */
export function gridFor(fromMs: number, toMs: number, beforeHours: number, afterHours: number): Grid {
  const first = Math.floor(fromMs / HOUR_MS) - beforeHours;
  const end = Math.ceil(toMs / HOUR_MS);
  return {
    start: first * HOUR_MS,
    length: end + afterHours - first,
    from: beforeHours,
    to: end - first,
  };
}

const filled = (n: number): Float64Array => new Float64Array(n).fill(Number.NaN);

export function buildFrame(
  symbol: string,
  rows: readonly MetricRow[],
  candles: readonly Candle[],
  grid: Grid,
): SymbolFrame {
  const n = grid.length;
  const frame: SymbolFrame = {
    symbol,
    grid,
    hasBucket: new Uint8Array(n),
    volume: filled(n),
    positive: filled(n),
    negative: filled(n),
    weightedMean: filled(n),
    dominance: filled(n),
    close: filled(n),
  };
  const indexOf = (ms: number): number => {
    const i = (ms - grid.start) / HOUR_MS;
    return Number.isInteger(i) && i >= 0 && i < n ? i : -1;
  };
  for (const r of rows) {
    const i = indexOf(r.hour);
    if (i < 0 || r.symbol !== symbol || !(r.volume > 0)) continue;
    frame.hasBucket[i] = 1;
    frame.volume[i] = r.volume;
    frame.positive[i] = r.positive;
    frame.negative[i] = r.negative;
    frame.weightedMean[i] = r.weightedMean;
    frame.dominance[i] = r.dominance;
  }
  for (const c of candles) {
    const i = indexOf(c.openTime);
    if (i >= 0 && c.close > 0 && Number.isFinite(c.close)) frame.close[i] = c.close;
  }
  return frame;
}

/** Log return from hour t's close to hour t + h's close; NaN where either candle is missing. */
export function forwardReturns(close: Float64Array, hours: number): Float64Array {
  const out = filled(close.length);
  for (let t = 0; t + hours < close.length; t++) out[t] = Math.log(close[t + hours]! / close[t]!);
  return out;
}
