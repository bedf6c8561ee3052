/**
 * The signals research measures, per symbol and hour, from the hour's social metrics: weighted
 * sentiment, its trailing z-score, social volume, its trailing z-score, social dominance and sentiment
 * balance. The z-scores are the strategies' (operators/trailing-stats.ts): against the buckets of the
 * trailing `lookback` hours, the current one excluded; undefined (NaN) while fewer than `minHistory`
 * exist. Hours without a bucket are NaN in every signal. Pure.
 */
import { MIN_VOLUME_STD, trailingZ, ZSCORE_PARAMS } from '../../operators/index.js';
import type { ResearchSignal } from '../../sinks/reports/research-types.js';
import type { SymbolFrame } from './hourly-frame.js';

export const SIGNAL_LABELS: Readonly<Record<ResearchSignal, string>> = {
  sentiment: 'weighted sentiment',
  sentimentZ: 'sentiment z-score',
  volume: 'social volume',
  volumeZ: 'volume z-score',
  dominance: 'social dominance',
  balance: 'sentiment balance',
};

export interface SignalOptions {
  readonly lookbackHours: number;
}

/** The defaults of the zscore strategy, so research and strategies mean the same by "z-score". */
const MIN_HISTORY = ZSCORE_PARAMS.minHistory.default;
const MIN_SENTIMENT_STD = ZSCORE_PARAMS.minStd.default;

function trailingZSeries(
  frame: SymbolFrame,
  values: Float64Array,
  lookback: number,
  minStd: number,
): Float64Array {
  const out = new Float64Array(values.length).fill(Number.NaN);
  const trailing: number[] = [];
  for (let i = 0; i < values.length; i++) {
    if (frame.hasBucket[i] !== 1) continue;
    trailing.length = 0;
    for (let j = Math.max(0, i - lookback); j < i; j++)
      if (frame.hasBucket[j] === 1) trailing.push(values[j]!);
    out[i] = trailingZ(values[i]!, trailing, { minHistory: MIN_HISTORY, minStd }) ?? Number.NaN;
  }
  return out;
}

export function signalSeries(
  frame: SymbolFrame,
  { lookbackHours }: SignalOptions,
): Readonly<Record<ResearchSignal, Float64Array>> {
  const balance = frame.positive.map((p, i) => p - frame.negative[i]!);
  return {
    sentiment: frame.weightedMean,
    sentimentZ: trailingZSeries(frame, frame.weightedMean, lookbackHours, MIN_SENTIMENT_STD),
    volume: frame.volume,
    volumeZ: trailingZSeries(frame, frame.volume, lookbackHours, MIN_VOLUME_STD),
    dominance: frame.dominance,
    balance,
  };
}
