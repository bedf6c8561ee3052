import { HOUR_MS } from './hourly-windows.js';
import { type ParamSpecs, type ParamValues, type RawParams, resolveParams } from './strategy-params.js';
import { meanStd } from './trailing-stats.js';
import type { Bucket, Position, Strategy, StrategyVerdict } from './types.js';

export const ZSCORE_PARAMS = {
  lookback: { kind: 'int', min: 2, max: 24 * 90, default: 24, doc: 'trailing window, in hours' },
  threshold: { kind: 'number', min: 0, max: 100, default: 2, doc: '|z| that triggers a trade' },
  minCount: { kind: 'int', min: 1, max: 1e9, default: 20, doc: 'tweets a bucket needs to count' },
  minHistory: {
    kind: 'int',
    min: 2,
    max: 24 * 90,
    default: 6,
    doc: 'trailing buckets needed before trading',
  },
  minStd: {
    kind: 'number',
    min: 1e-6,
    max: 10,
    default: 0.02,
    doc: 'floor on the trailing standard deviation',
  },
  cooldown: { kind: 'int', min: 0, max: 24 * 90, default: 3, doc: 'hours after a trade without trading' },
  size: { kind: 'number', min: 0.001, max: 1, default: 1, doc: 'fraction of the maximum position per trade' },
} as const satisfies ParamSpecs;

export type ZScoreParams = ParamValues<typeof ZSCORE_PARAMS>;

const EXPOSURE_EPSILON = 1e-9;

/**
 * Default strategy: the z-score of the current bucket's weighted sentiment against the trailing
 * `lookback` hours of buckets (each with at least minCount tweets). BUY when z >= threshold and not
 * fully in, SELL when z <= -threshold and holding; HOLD otherwise, during the cooldown, on thin
 * volume, and while fewer than minHistory trailing buckets exist. Pure.
 */
export function createZScoreStrategy(raw?: RawParams): Strategy {
  const p = resolveParams('zscore', ZSCORE_PARAMS, raw);
  return {
    name: 'zscore',
    historySize: p.lookback + 1,
    decide: (history, position) => decideZScore(history, position, p),
  };
}

export function decideZScore(
  history: readonly Bucket[],
  position: Position,
  p: ZScoreParams,
): StrategyVerdict {
  const current = history[history.length - 1];
  if (current === undefined) return hold('no bucket', {});
  const inputs: Record<string, number> = { weightedMean: current.weightedMean, count: current.count };
  if (current.count < p.minCount) return hold(`volume ${current.count} < minCount ${p.minCount}`, inputs);
  const from = current.start - p.lookback * HOUR_MS;
  const trailing = history.filter((b) => b.start >= from && b.start < current.start && b.count >= p.minCount);
  inputs.trailing = trailing.length;
  if (trailing.length < p.minHistory) {
    return hold(`warming up: ${trailing.length} of ${p.minHistory} trailing buckets`, inputs);
  }
  const stats = meanStd(trailing.map((b) => b.weightedMean));
  const mean = stats.mean;
  const std = Math.max(stats.std, p.minStd);
  const z = (current.weightedMean - mean) / std;
  Object.assign(inputs, { mean, std, z });
  return tradeOnSignal(z, p.threshold, 'z', current.start, position, p, inputs);
}

/**
 * Shared trading rule: position aware, long-only, with a cooldown measured in event time. A SELL that
 * leaves the strategy flat is an exit and has size 1: the exchange sink then sells the whole free
 * balance (see Decision.size), so no remainder is left behind when the price moved since the buy.
 */
export function tradeOnSignal(
  signal: number,
  threshold: number,
  label: string,
  bucketStart: number,
  position: Position,
  p: { readonly cooldown: number; readonly size: number },
  inputs: Record<string, number>,
): StrategyVerdict {
  const shown = `${label} ${signal.toFixed(3)}`;
  const wantsBuy = signal >= threshold;
  const wantsSell = signal <= -threshold;
  if (!wantsBuy && !wantsSell) return hold(`${shown} within ±${threshold}`, inputs);
  const last = position.lastTradeAt ?? null;
  if (last !== null && bucketStart - last < p.cooldown * HOUR_MS) {
    return hold(`${shown} but cooling down since ${new Date(last).toISOString()}`, inputs);
  }
  if (wantsBuy) {
    const room = 1 - position.exposure;
    if (room <= EXPOSURE_EPSILON) return hold(`${shown} >= ${threshold} but already fully in`, inputs);
    return { action: 'BUY', size: Math.min(p.size, room), reason: `${shown} >= ${threshold}`, inputs };
  }
  if (position.exposure <= EXPOSURE_EPSILON) return hold(`${shown} <= -${threshold} but flat`, inputs);
  const exits = p.size >= position.exposure - EXPOSURE_EPSILON;
  return {
    action: 'SELL',
    size: exits ? 1 : p.size,
    reason: `${shown} <= -${threshold}${exits ? ', exit' : ''}`,
    inputs,
  };
}

function hold(reason: string, inputs: Readonly<Record<string, number>>): StrategyVerdict {
  return { action: 'HOLD', size: 0, reason, inputs };
}
