import { HOUR_MS } from './hourly-windows.js';
import { type ParamSpecs, type ParamValues, type RawParams, resolveParams } from './strategy-params.js';
import type { Bucket, Position, Strategy, StrategyVerdict } from './types.js';
import { tradeOnSignal } from './zscore-strategy.js';

export const THRESHOLD_PARAMS = {
  lookback: {
    kind: 'int',
    min: 1,
    max: 24 * 90,
    default: 1,
    doc: 'hours averaged (1 = the current bucket only)',
  },
  threshold: { kind: 'number', min: 0, max: 1, default: 0.2, doc: 'weighted mean that triggers a trade' },
  minCount: { kind: 'int', min: 1, max: 1e9, default: 20, doc: 'tweets the current bucket needs' },
  cooldown: { kind: 'int', min: 0, max: 24 * 90, default: 0, doc: 'hours after a trade without trading' },
  size: { kind: 'number', min: 0.001, max: 1, default: 1, doc: 'fraction of the maximum position per trade' },
} as const satisfies ParamSpecs;

export type ThresholdParams = ParamValues<typeof THRESHOLD_PARAMS>;

/**
 * Simple alternative: the count-weighted average of the weighted sentiment over the last
 * `lookback` hours. BUY at or above +threshold, SELL at or below -threshold, position aware. Pure.
 */
export function createThresholdStrategy(raw?: RawParams): Strategy {
  const p = resolveParams('threshold', THRESHOLD_PARAMS, raw);
  return {
    name: 'threshold',
    historySize: p.lookback,
    decide: (history, position) => decideThreshold(history, position, p),
  };
}

export function decideThreshold(
  history: readonly Bucket[],
  position: Position,
  p: ThresholdParams,
): StrategyVerdict {
  const current = history[history.length - 1];
  if (current === undefined) return { action: 'HOLD', size: 0, reason: 'no bucket', inputs: {} };
  const inputs: Record<string, number> = { weightedMean: current.weightedMean, count: current.count };
  if (current.count < p.minCount) {
    return { action: 'HOLD', size: 0, reason: `volume ${current.count} < minCount ${p.minCount}`, inputs };
  }
  const from = current.start - (p.lookback - 1) * HOUR_MS;
  let weighted = 0;
  let count = 0;
  for (const b of history) {
    if (b.start < from || b.start > current.start) continue;
    weighted += b.weightedMean * b.count;
    count += b.count;
  }
  const mean = count === 0 ? 0 : weighted / count;
  inputs.mean = mean;
  return tradeOnSignal(mean, p.threshold, 'mean', current.start, position, p, inputs);
}
