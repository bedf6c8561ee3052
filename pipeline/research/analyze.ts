/**
 * The research analysis of one symbol: for each signal, the IC per horizon with a moving-block
 * bootstrap interval, the hit rate and quintile returns, and the lead-lag curve with its peak. Pure
 * and deterministic: each bootstrap is seeded from (seed, symbol, signal, horizon), so results do not
 * depend on the order they are computed in.
 */

import type { Candle } from '../../sinks/prices/candle.js';
import {
  type Excluded,
  type HorizonResult,
  type LeadLagPeak,
  RESEARCH_SIGNALS,
  type ResearchReport,
  type ResearchSettings,
  type SignalResult,
  type SymbolResult,
} from '../../sinks/reports/research-types.js';
import { createRandom } from '../sources/synthetic-random.js';
import { buildFrame, forwardReturns, gridFor, type MetricRow, type SymbolFrame } from './hourly-frame.js';
import { SIGNAL_LABELS, signalSeries } from './signals.js';
import {
  blockBootstrapCorrelations,
  blockLengthFor,
  normalQuantile,
  percentileInterval,
  standardError,
} from './stats/block-bootstrap.js';
import { centeredRanksOver, shiftedCorrelation } from './stats/lead-lag.js';
import { createPairRanker, hitRate, quantileMeans } from './stats/paired-ranks.js';
import { sortedOrder } from './stats/ranks.js';

const QUINTILES = 5;

/** FNV-1a over the parts: a bootstrap's seed that does not depend on computation order. */
export function seedOf(seed: number, ...parts: readonly (string | number)[]): number {
  let h = 0x811c9dc5 ^ seed;
  for (const ch of parts.join('|')) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193);
  return h >>> 0;
}

export function analyzeSymbol(frame: SymbolFrame, market: string, settings: ResearchSettings): SymbolResult {
  const { grid } = frame;
  const hours = grid.to - grid.from;
  const series = signalSeries(frame, { lookbackHours: settings.lookbackHours });
  const signals = RESEARCH_SIGNALS.map((signal) => ({
    signal,
    x: series[signal],
    order: sortedOrder(series[signal]),
  }));
  const ranker = createPairRanker(grid.length);
  const draws = (key: string) => createRandom(seedOf(settings.seed, frame.symbol, key));
  const between = { from: grid.from, to: grid.to };

  // Per horizon, every signal against the same forward returns; one bootstrap draws for all of them.
  const byHorizon = settings.horizons.map((h) => {
    const y = forwardReturns(frame.close, h);
    const yOrder = sortedOrder(y);
    const ranks = signals.map(({ x, order }) =>
      ranker.rank({ x, xOrder: order, y, yOrder, shift: 0, ...between }, true),
    );
    const blockHours = blockLengthFor(hours, h, settings.minBlockHours);
    const samples = blockBootstrapCorrelations(
      ranks.map((r) => ({ x: r.cx, y: r.cy })),
      { resamples: settings.resamples, blockLength: blockHours, random: draws(`horizon ${h}`) },
    );
    return signals.map(({ x }, i): HorizonResult => {
      const r = ranks[i]!;
      const found = r.ic === null ? null : percentileInterval(samples[i]!, settings.confidence);
      return {
        horizon: h,
        ic: r.ic,
        interval: found && { ...found, level: settings.confidence },
        n: r.n,
        hitRate: hitRate(r.cx, r.yValues),
        blockHours,
        excluded: excludedHours(frame, x, y),
        quintiles: quantileMeans(r.cx, r.yValues, r.n, QUINTILES),
      };
    });
  });

  // ret1[u]: the 1 h return of hour u itself (close of u-1 to close of u); lag L pairs x[t] with ret1[t + L].
  const ret1 = new Float64Array(grid.length).fill(Number.NaN);
  ret1.set(forwardReturns(frame.close, 1).subarray(0, grid.length - 1), 1);
  const ret1Order = sortedOrder(ret1);
  const ret1Ranks = centeredRanksOver(
    ret1,
    grid.from - settings.maxLagHours,
    grid.to + settings.maxLagHours,
    ret1Order,
  );
  const results: SignalResult[] = signals.map(({ signal, x, order }, i) => {
    const xRanks = centeredRanksOver(x, grid.from, grid.to, order);
    const scan = scanLags(settings.maxLagHours, (lag) =>
      shiftedCorrelation(xRanks, ret1Ranks, lag, grid.from, grid.to),
    );
    let peak: LeadLagPeak | null = null;
    if (scan.best !== null) {
      // Exact at the peak. Its interval is widened for being the largest of all lags (Bonferroni)
      // and, at a level that extreme, normal with the bootstrap's standard error.
      const ranks = ranker.rank(
        { x, xOrder: order, y: ret1, yOrder: ret1Order, shift: scan.best.lag, ...between },
        true,
      );
      const blockHours = blockLengthFor(hours, 1, settings.minBlockHours);
      const level = 1 - (1 - settings.confidence) / scan.lags.length;
      const [samples] = blockBootstrapCorrelations([{ x: ranks.cx, y: ranks.cy }], {
        resamples: settings.peakResamples,
        blockLength: blockHours,
        random: draws(`${signal} lag`),
      });
      const se = standardError(samples!);
      const ic = ranks.ic ?? scan.best.ic;
      const z = normalQuantile((1 + level) / 2);
      const interval =
        se === null || ranks.ic === null ? null : { low: ic - z * se, high: ic + z * se, level };
      peak = { lag: scan.best.lag, ic, interval, n: ranks.n, blockHours };
    }
    const { lags, ic, n } = scan;
    const horizons = byHorizon.map((perSignal) => perSignal[i]!);
    return { signal, label: SIGNAL_LABELS[signal], horizons, leadLag: { lags, ic, n, peak } };
  });
  return {
    symbol: frame.symbol,
    market,
    hours,
    hoursWithTweets: count(frame.hasBucket, grid.from, grid.to, (v) => v === 1),
    hoursWithCandles: count(frame.close, grid.from, grid.to, Number.isFinite),
    signals: results,
  };
}

/** IC at every lag in [-maxLag, maxLag]; the best is the largest |IC| (the shorter lag on a tie). */
function scanLags(maxLag: number, icAt: (lag: number) => { readonly r: number | null; readonly n: number }) {
  const lags: number[] = [];
  const ic: (number | null)[] = [];
  const n: number[] = [];
  let best: { lag: number; ic: number } | null = null;
  for (let lag = -maxLag; lag <= maxLag; lag++) {
    const { r, n: pairs } = icAt(lag);
    lags.push(lag);
    ic.push(r);
    n.push(pairs);
    if (r === null) continue;
    const better =
      best === null ||
      Math.abs(r) > Math.abs(best.ic) ||
      (Math.abs(r) === Math.abs(best.ic) && Math.abs(lag) < Math.abs(best.lag));
    if (better) best = { lag, ic: r };
  }
  return { lags, ic, n, best };
}

function excludedHours(frame: SymbolFrame, x: Float64Array, y: Float64Array): Excluded {
  let noTweets = 0;
  let noCandles = 0;
  let noSignal = 0;
  for (let t = frame.grid.from; t < frame.grid.to; t++) {
    if (frame.hasBucket[t] !== 1) noTweets++;
    else if (!Number.isFinite(y[t]!)) noCandles++;
    else if (!Number.isFinite(x[t]!)) noSignal++;
  }
  return { noTweets, noCandles, noSignal };
}

function count(values: ArrayLike<number>, from: number, to: number, keep: (v: number) => boolean): number {
  let n = 0;
  for (let i = from; i < to; i++) if (keep(values[i]!)) n++;
  return n;
}

export const DEFAULT_RESEARCH_SETTINGS: ResearchSettings = {
  horizons: [1, 4, 24],
  lookbackHours: 24,
  maxLagHours: 48,
  resamples: 1_000,
  peakResamples: 300,
  minBlockHours: 24,
  confidence: 0.95,
  seed: 1,
};

export interface SymbolInput {
  readonly symbol: string;
  readonly market: string;
  /** This symbol's metrics from `lookbackHours` before the period to its end. */
  readonly rows: readonly MetricRow[];
  /** Hourly candles of its market, from `maxLagHours + 1` before the period to the longest horizon after it. */
  readonly candles: readonly Candle[];
}

/** The hours of metrics and candles before and after the period that the analysis of [from, to) reads. */
export function marginsOf(settings: ResearchSettings): { before: number; after: number } {
  return {
    before: Math.max(settings.lookbackHours, settings.maxLagHours + 1),
    after: Math.max(settings.maxLagHours, ...settings.horizons) + 1,
  };
}

export function analyze(
  fromMs: number,
  toMs: number,
  symbols: readonly SymbolInput[],
  settings: ResearchSettings = DEFAULT_RESEARCH_SETTINGS,
): ResearchReport {
  const { before, after } = marginsOf(settings);
  const grid = gridFor(fromMs, toMs, before, after);
  return {
    from: new Date(fromMs).toISOString(),
    to: new Date(toMs).toISOString(),
    settings,
    symbols: symbols.map((s) =>
      analyzeSymbol(buildFrame(s.symbol, s.rows, s.candles, grid), s.market, settings),
    ),
  };
}
