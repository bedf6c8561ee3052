import { ConfigError } from '../../lib/errors.js';
import {
  createScoringModel,
  createStrategy,
  type FilterOptions,
  parseParamList,
  type ScoringModel,
  type ScoringOptions,
  type Strategy,
  StrategyError,
  type TweetWeightOptions,
  type WindowOptions,
} from '../../operators/index.js';
import { scoringOptionsFrom } from '../scorer-model.js';
import type { Config } from './schema.js';

/**
 * The operator chain's options from the config's engine sections (symbols, filter, scorer, window,
 * strategy). `process` uses it; `backtest` should too, so both decide identically for one file.
 * `strategy` overrides come from command-line flags: a name replaces the configured strategy (and its
 * params), params are merged over the configured ones.
 */
export function engineOptionsFrom(
  config: Pick<Config, 'symbols' | 'filter' | 'scorer' | 'window' | 'strategy'>,
  overrides: { readonly strategy?: string; readonly params?: readonly string[] } = {},
): EngineSettings {
  const { filter, scorer, window } = config;
  const name = overrides.strategy ?? config.strategy.name;
  const base = overrides.strategy === undefined ? config.strategy.params : {};
  const params = { ...base, ...parseParamList(overrides.params ?? []) };
  let strategy: Strategy;
  try {
    strategy = createStrategy(name, params);
  } catch (error) {
    if (error instanceof StrategyError) throw new ConfigError(error.message);
    throw error;
  }
  const scoring = scoringOptionsFrom(scorer);
  return {
    scoring: createScoringModel(scoring),
    scoringOptions: scoring,
    strategy,
    filter: {
      symbols: config.symbols,
      languages: filter.languages,
      keepUndetermined: filter.keepUndetermined,
      minAccountAgeMs: filter.minAccountAgeDays * 86_400_000,
      minFollowers: filter.minFollowers,
      maxCashtags: filter.maxCashtags,
      spamPatterns: filter.spamPatterns.map((p) => new RegExp(p)),
    },
    window: { ...window },
    weight: scorer.weight,
  };
}

export interface EngineSettings {
  readonly scoring: ScoringModel;
  /** What `scoring` was built from (plain data): a thread that scores builds its own model from it. */
  readonly scoringOptions: ScoringOptions;
  readonly strategy: Strategy;
  readonly filter: FilterOptions;
  readonly window: WindowOptions;
  /** Scorer weight options; the engine passes them to scoreTweet. */
  readonly weight: TweetWeightOptions;
}

/**
 * Trading flag values taken from config when the flag was not given on the command line (flags
 * override config). Keys are commander's option names for addTradingOptions.
 */
export function tradingFlagDefaults(
  config: Pick<Config, 'trading' | 'exchange'>,
): Record<string, string | boolean> {
  const t = config.trading;
  return {
    quote: t.quote,
    sandbox: t.sandbox,
    maxOrderNotional: String(t.maxOrderNotional),
    maxPositionNotional: String(t.maxPositionNotional),
    maxDailyLoss: String(t.maxDailyLoss),
    maxDecisionAgeMinutes: String(t.maxDecisionAgeMinutes),
    ...(t.killSwitchFile === undefined ? {} : { killSwitchFile: t.killSwitchFile }),
  };
}
