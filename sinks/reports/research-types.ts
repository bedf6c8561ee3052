/**
 * What `sentiflow research` produces: per symbol and signal, the information coefficient (Spearman's
 * rho with the forward log return) per horizon with a moving-block bootstrap interval, the hit rate,
 * mean returns per quintile, and the lead-lag curve. The terminal table, research.json and
 * research.html read these shapes.
 */

export const RESEARCH_SIGNALS = [
  'sentiment',
  'sentimentZ',
  'volume',
  'volumeZ',
  'dominance',
  'balance',
] as const;
export type ResearchSignal = (typeof RESEARCH_SIGNALS)[number];

export interface ResearchInterval {
  readonly low: number;
  readonly high: number;
  /** Confidence level, e.g. 0.95. */
  readonly level: number;
}

/** Hours of the period left out of one analysis, by why; never filled in. */
export interface Excluded {
  /** No stored tweet for the symbol in the hour (no bucket). */
  readonly noTweets: number;
  /** No candle for the hour or for the end of the horizon. */
  readonly noCandles: number;
  /** Tweets and candles, but the signal is undefined (a z-score warming up or on a flat history). */
  readonly noSignal: number;
}

export interface HorizonResult {
  readonly horizon: number;
  /** Spearman's rho of the signal with the forward log return; null with too few hours. */
  readonly ic: number | null;
  readonly interval: ResearchInterval | null;
  /** Hours used. */
  readonly n: number;
  /** Share of hours where the signal's side of its median matched the return's sign. */
  readonly hitRate: number | null;
  readonly blockHours: number;
  readonly excluded: Excluded;
  /** Mean forward log return per quintile of the signal, lowest quintile first. */
  readonly quintiles: readonly { readonly mean: number | null; readonly n: number }[];
}

export interface LeadLagPeak {
  readonly lag: number;
  readonly ic: number;
  /**
   * Widened for being the largest of all lags (Bonferroni): level 1 - (1 - confidence) / lags; a
   * normal interval with the block bootstrap's standard error, as percentiles that far out would need
   * tens of thousands of resamples.
   */
  readonly interval: ResearchInterval | null;
  readonly n: number;
  readonly blockHours: number;
}

/** IC of the signal at hour t with the 1 h return of hour t + lag: lag > 0, the signal leads. */
export interface LeadLag {
  readonly lags: readonly number[];
  readonly ic: readonly (number | null)[];
  readonly n: readonly number[];
  readonly peak: LeadLagPeak | null;
}

export interface SignalResult {
  readonly signal: ResearchSignal;
  readonly label: string;
  readonly horizons: readonly HorizonResult[];
  readonly leadLag: LeadLag;
}

export interface SymbolResult {
  readonly symbol: string;
  readonly market: string;
  /** Hours in the period, with a bucket, with a candle. */
  readonly hours: number;
  readonly hoursWithTweets: number;
  readonly hoursWithCandles: number;
  readonly signals: readonly SignalResult[];
}

export interface ResearchSettings {
  readonly horizons: readonly number[];
  readonly lookbackHours: number;
  readonly maxLagHours: number;
  /** Block-bootstrap resamples of each IC's percentile interval. */
  readonly resamples: number;
  /** Resamples of the standard error behind the lead-lag peak's (normal) interval. */
  readonly peakResamples: number;
  readonly minBlockHours: number;
  readonly confidence: number;
  readonly seed: number;
}

export interface ResearchReport {
  readonly from: string;
  readonly to: string;
  readonly settings: ResearchSettings;
  readonly symbols: readonly SymbolResult[];
}
