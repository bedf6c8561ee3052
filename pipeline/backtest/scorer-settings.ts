/**
 * The score threads' settings from the config: the same sections, the same derivation as
 * engineOptionsFrom() (pipeline/config.ts), so the threads score exactly as `process` does.
 */
import { type Config, engineOptionsFrom } from '../config.js';
import type { ScorerSettings } from '../process/frame-scorer.js';

/** The config sections the engine is built from (engineOptionsFrom). */
export type EngineConfig = Pick<Config, 'symbols' | 'filter' | 'scorer' | 'window' | 'strategy'>;

export function scorerSettingsFrom(
  config: EngineConfig,
): Pick<ScorerSettings, 'scoring' | 'filter' | 'weight'> {
  // scoringOptions is plain data (the learned model as typed arrays): it crosses to a thread as it is.
  const { filter, weight, scoringOptions } = engineOptionsFrom(config);
  return { scoring: scoringOptions, filter, weight };
}
