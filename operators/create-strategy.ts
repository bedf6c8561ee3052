import { parseParamList, type RawParams, StrategyError } from './strategy-params.js';
import { createSurgeStrategy, SURGE_PARAMS } from './surge-strategy.js';
import { createThresholdStrategy, THRESHOLD_PARAMS } from './threshold-strategy.js';
import type { Strategy } from './types.js';
import { createZScoreStrategy, ZSCORE_PARAMS } from './zscore-strategy.js';

export const STRATEGY_NAMES = ['zscore', 'threshold', 'surge'] as const;
export type StrategyName = (typeof STRATEGY_NAMES)[number];
export const DEFAULT_STRATEGY: StrategyName = 'zscore';

/** Each strategy's parameters with their range, default and meaning (for --help and docs). */
export const STRATEGY_PARAMS = {
  zscore: ZSCORE_PARAMS,
  threshold: THRESHOLD_PARAMS,
  surge: SURGE_PARAMS,
} as const;

/**
 * Creates a strategy by name from raw params (strings from the CLI or numbers).
 * Unknown names, unknown params and bad values throw StrategyError with one clear line.
 *
 * Example: createStrategy('zscore', 'threshold=1.5,lookback=48')
 */
export function createStrategy(name: string, params: RawParams | string | readonly string[] = {}): Strategy {
  const raw =
    typeof params === 'string' || Array.isArray(params) ? parseParamList(params) : (params as RawParams);
  switch (name) {
    case 'zscore':
      return createZScoreStrategy(raw);
    case 'threshold':
      return createThresholdStrategy(raw);
    case 'surge':
      return createSurgeStrategy(raw);
    default:
      throw new StrategyError(`unknown strategy "${name}"; known: ${STRATEGY_NAMES.join(', ')}`);
  }
}

export { StrategyError };
