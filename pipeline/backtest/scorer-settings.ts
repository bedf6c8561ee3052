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
  const { filter, weight } = engineOptionsFrom(config);
  // engineOptionsFrom builds its model with createScoringModel(scorer minus weight).
  const { weight: _weight, ...scoring } = config.scorer;
  return { scoring, filter, weight };
}
