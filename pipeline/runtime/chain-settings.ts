/**
 * What the chain is built from in every mode (engineOptionsFrom derives it from the config): the scoring
 * model, the strategy and each operator's options. Each half takes its share.
 */
import type {
  DedupeOptions,
  FilterOptions,
  NormalizeOptions,
  ScoringModel,
  Strategy,
  TweetWeightOptions,
  WindowOptions,
} from '../../operators/index.js';
import type { ScoreSettings } from './score-task.js';
import type { WindowSettings } from './window-task.js';

export interface ChainSettings {
  readonly scoring: ScoringModel;
  readonly strategy: Strategy;
  /** Name decisions carry (and their ids derive from); defaults to the strategy's name. */
  readonly strategyName?: string;
  readonly normalize?: NormalizeOptions;
  readonly dedupe?: DedupeOptions;
  readonly filter?: FilterOptions;
  readonly window?: WindowOptions;
  /** How author reach and engagement weigh a tweet (scoreTweet's weight options). */
  readonly weight?: TweetWeightOptions;
}

const given = <K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> =>
  value === undefined ? {} : ({ [key]: value } as Record<K, V>);

export function scoreSettingsOf(s: ChainSettings): ScoreSettings {
  return {
    model: s.scoring,
    ...given('filter', s.filter),
    ...given('weight', s.weight),
    ...given('normalize', s.normalize),
    ...given('dedupe', s.dedupe),
  };
}

export function windowSettingsOf(s: ChainSettings, sources: readonly number[]): WindowSettings {
  return {
    sources,
    strategy: s.strategy,
    ...given('strategyName', s.strategyName),
    ...given('window', s.window),
  };
}
