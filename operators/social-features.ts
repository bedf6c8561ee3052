/**
 * The social metrics a strategy can derive from its own symbol's closed buckets (oldest first): volume,
 * its trailing z-score, the sentiment z-score, sentiment balance and unique authors. Pure, and a
 * function of that symbol's history only, so it is identical in `process --stage all`, in a split
 * `--stage window` instance (which sees only the symbols of its partitions) and in a backtest.
 *
 * Social dominance (the symbol's share of every symbol's volume in the hour) is deliberately not here:
 * it needs the other symbols' buckets of the same hour, which a split window instance does not see,
 * and which even one process closes per symbol, not per hour. It lives in SQL (`query metrics`) and in
 * `sentiflow research` instead.
 */
import { HOUR_MS } from './hourly-windows.js';
import { trailingZ } from './trailing-stats.js';
import type { Bucket } from './types.js';

/** Volume z-scores are floored at one tweet of standard deviation: a flat trailing volume is no surge. */
export const MIN_VOLUME_STD = 1;

export interface SocialFeatures {
  /** Stored tweets in the current bucket (social volume). */
  readonly volume: number;
  /** Volume against the trailing buckets' volumes; null while warming up. */
  readonly volumeZ: number | null;
  /** Weighted sentiment against the trailing buckets'; null while warming up. */
  readonly sentimentZ: number | null;
  /** Sentiment balance: positive minus negative tweets. */
  readonly balance: number;
  /** Balance as a share of the volume, in [-1, 1]. */
  readonly balanceShare: number;
  readonly authors: number;
  /** Trailing buckets the z-scores used. */
  readonly trailing: number;
}

export interface SocialFeatureOptions {
  /** Trailing window in hours (the current bucket excluded). */
  readonly lookback: number;
  /** Trailing buckets with fewer tweets are left out. */
  readonly minCount: number;
  readonly minHistory: number;
  /** Floor on the sentiment standard deviation. */
  readonly minStd: number;
  /** Floor on the volume standard deviation, in tweets. */
  readonly minVolumeStd: number;
}

/** Features of the last bucket of `history`, or null for an empty history. */
export function socialFeatures(
  history: readonly Bucket[],
  options: SocialFeatureOptions,
): SocialFeatures | null {
  const current = history[history.length - 1];
  if (current === undefined) return null;
  const from = current.start - options.lookback * HOUR_MS;
  const trailing = history.filter(
    (b) => b.start >= from && b.start < current.start && b.count >= options.minCount,
  );
  const z = (pick: (b: Bucket) => number, minStd: number): number | null =>
    trailingZ(pick(current), trailing.map(pick), { minHistory: options.minHistory, minStd });
  const balance = current.positive - current.negative;
  return {
    volume: current.count,
    volumeZ: z((b) => b.count, options.minVolumeStd),
    sentimentZ: z((b) => b.weightedMean, options.minStd),
    balance,
    balanceShare: current.count > 0 ? balance / current.count : 0,
    authors: current.distinctAuthors,
    trailing: trailing.length,
  };
}
