import { MIN_VOLUME_STD, socialFeatures } from './social-features.js';
import { type ParamSpecs, type ParamValues, type RawParams, resolveParams } from './strategy-params.js';
import type { Bucket, Position, Strategy, StrategyVerdict } from './types.js';
import { tradeOnSignal, ZSCORE_PARAMS } from './zscore-strategy.js';

const { lookback, minCount, minHistory, minStd, cooldown, size } = ZSCORE_PARAMS;

/** zscore's parameters (same meaning, same defaults) plus what the volume and the balance add. */
export const SURGE_PARAMS = {
  lookback,
  threshold: { ...ZSCORE_PARAMS.threshold, default: 1.5, doc: '|sentiment z| that triggers a trade' },
  volumeThreshold: {
    kind: 'number',
    min: -100,
    max: 100,
    default: 1,
    doc: 'volume z a BUY needs (attention confirming the mood)',
  },
  minBalance: {
    kind: 'number',
    min: -1,
    max: 1,
    default: 0,
    doc: 'share (positive - negative) / tweets a BUY needs above',
  },
  minCount,
  minHistory,
  minStd,
  cooldown,
  size,
} as const satisfies ParamSpecs;

export type SurgeParams = ParamValues<typeof SURGE_PARAMS>;

/**
 * Example strategy on sentiment and volume: BUY when the weighted sentiment's z-score against the
 * trailing `lookback` hours reaches `threshold` while the volume's z-score reaches `volumeThreshold`
 * and more tweets are positive than negative (by `minBalance` of the volume) — a mood shift that
 * many people carry, not a handful of posts. SELL (an exit) when the sentiment z falls to
 * -threshold, whatever the volume. HOLD on thin volume, while warming up and during the cooldown.
 * Pure; reads only its symbol's buckets.
 */
export function createSurgeStrategy(raw?: RawParams): Strategy {
  const p = resolveParams('surge', SURGE_PARAMS, raw);
  return {
    name: 'surge',
    historySize: p.lookback + 1,
    decide: (history, position) => decideSurge(history, position, p),
  };
}

export function decideSurge(history: readonly Bucket[], position: Position, p: SurgeParams): StrategyVerdict {
  const features = socialFeatures(history, { ...p, minVolumeStd: MIN_VOLUME_STD });
  if (features === null) return hold('no bucket', {});
  const { volume, balance, balanceShare, trailing } = features;
  const inputs: Record<string, number> = {
    weightedMean: history[history.length - 1]!.weightedMean,
    count: volume,
    balance,
    trailing,
  };
  if (volume < p.minCount) return hold(`volume ${volume} < minCount ${p.minCount}`, inputs);
  if (features.sentimentZ === null || features.volumeZ === null) {
    return hold(`warming up: ${trailing} of ${p.minHistory} trailing buckets`, inputs);
  }
  const z = features.sentimentZ;
  const volumeZ = features.volumeZ;
  Object.assign(inputs, { z, volumeZ });
  if (z >= p.threshold && volumeZ < p.volumeThreshold) {
    return hold(`z ${z.toFixed(3)} but volume z ${volumeZ.toFixed(3)} < ${p.volumeThreshold}`, inputs);
  }
  if (z >= p.threshold && balanceShare <= p.minBalance) {
    return hold(`z ${z.toFixed(3)} but balance ${balanceShare.toFixed(3)} <= ${p.minBalance}`, inputs);
  }
  return tradeOnSignal(z, p.threshold, 'z', history[history.length - 1]!.start, position, p, inputs);
}

function hold(reason: string, inputs: Readonly<Record<string, number>>): StrategyVerdict {
  return { action: 'HOLD', size: 0, reason, inputs };
}
