/**
 * The learned half of the scorer: a logistic regression over hashed features of the tokens the lexicon
 * scorer already found (score-tokens.ts), so it adds no second pass over the text. The model is plain
 * data (LearnedModelData: numbers and Int8Arrays, structured-cloneable), loaded by the pipeline and
 * handed in through ScoringOptions.model; scripts/train-scorer.ts trains it. docs/scorer.md is its card.
 *
 * Features: learned-features.ts.
 *
 *   model:    m = 2σ(bias + Σ weights) − 1
 *   combined: score = lexicon + (1 − |lexicon|) × fill × m
 *
 * The lexicon speaks first and the model fills the room it leaves: where the lexicon is sure (general
 * sentiment words) it stands, where it is silent (trading talk: "short", "support", "puts") the model
 * decides. |score| ≤ 1 for fill ≤ 1. docs/scorer.md has the figures behind this rule and `fill`.
 *
 * Cost: scoring (learnedScore) reads one weight per feature (about two per token) from a 2^bits-byte
 * table and allocates nothing; explaining (explainLearned) also lists the features.
 */
import { type FeatureBuffer, featureName, textFeatures, weightSum } from './learned-features.js';
import type { Tokens } from './token-arrays.js';

export { createFeatureBuffer, type FeatureBuffer, textFeatures } from './learned-features.js';

/** The one file format this code reads; a change to the features or the layout bumps it. */
export const SCORER_MODEL_FORMAT = 'sentiflow-scorer/1';
export const SCORER_MODES = ['lexicon', 'model', 'combined'] as const;
export type ScorerMode = (typeof SCORER_MODES)[number];

export interface LearnedModelData {
  readonly format: string;
  /** Identifies the trained weights (a digest of them); backtests record it. */
  readonly version: string;
  readonly bits: number;
  readonly bias: number;
  /** A bucket's weight is weights[bucket] × scale (int8 keeps the table small and in cache). */
  readonly scale: number;
  readonly weights: Int8Array;
  /** How much of the room the lexicon leaves the model fills in `combined` mode, in [0, 1]. */
  readonly fill: number;
}

/** The model's logit for tokenized text. */
export function logitOf(t: Tokens, data: LearnedModelData): number {
  return data.bias + weightSum(t, data.weights, data.bits) * data.scale;
}

/** The model's own part of a score, given the lexicon's: m, or (1 − |lexicon|) × fill × m. */
function modelPart(m: number, lexicon: number, mode: Exclude<ScorerMode, 'lexicon'>, fill: number): number {
  return mode === 'model' ? m : (1 - Math.abs(lexicon)) * fill * m;
}

/** The learned score in [-1, 1] of tokenized text whose lexicon score is `lexicon`. */
export function learnedScore(
  t: Tokens,
  lexicon: number,
  mode: Exclude<ScorerMode, 'lexicon'>,
  data: LearnedModelData,
): number {
  const m = Math.tanh(logitOf(t, data) / 2);
  return (mode === 'model' ? 0 : lexicon) + modelPart(m, lexicon, mode, data.fill);
}

export interface LearnedParts {
  readonly mode: Exclude<ScorerMode, 'lexicon'>;
  readonly version: string;
  /** score = lexicon + model: the lexicon's score (0 in `model` mode) and the model's part of it. */
  readonly lexicon: number;
  readonly model: number;
  /** The model's own score m = 2σ(logit) − 1, with logit = bias + Σ feature values. */
  readonly modelScore: number;
  readonly bias: number;
  /** The logit feature by feature, in text order (a repeated feature appears each time). */
  readonly features: readonly { readonly feature: string; readonly value: number }[];
}

/** learnedScore's terms, for `sentiflow score`: what the lexicon and each feature contributed. */
export function explainLearned(
  t: Tokens,
  lexicon: number,
  mode: Exclude<ScorerMode, 'lexicon'>,
  data: LearnedModelData,
  buf: FeatureBuffer,
): LearnedParts {
  textFeatures(t, data.bits, buf);
  const features: { feature: string; value: number }[] = [];
  for (let k = 0; k < buf.count; k++) {
    const value = data.weights[buf.index[k]!]! * data.scale;
    if (value === 0) continue;
    const feature = featureName(t, buf.origin[k]!);
    features.push({ feature, value });
  }
  const modelScore = Math.tanh(logitOf(t, data) / 2);
  return {
    mode,
    version: data.version,
    lexicon: mode === 'model' ? 0 : lexicon,
    model: modelPart(modelScore, lexicon, mode, data.fill),
    modelScore,
    bias: data.bias,
    features,
  };
}

/** What is wrong with model data for this code, or null when it can be used. */
export function learnedModelProblem(data: LearnedModelData): string | null {
  if (data.format !== SCORER_MODEL_FORMAT) {
    return `it is format ${JSON.stringify(data.format)}, this sentiflow reads ${SCORER_MODEL_FORMAT} (retrain it with npm run train:scorer)`;
  }
  if (!Number.isInteger(data.bits) || data.bits < 4 || data.bits > 24)
    return `bits ${data.bits} not in 4..24`;
  if (!(data.weights instanceof Int8Array) || data.weights.length !== 1 << data.bits) {
    return `weights: expected ${1 << data.bits} int8 values`;
  }
  if (!Number.isFinite(data.bias) || !Number.isFinite(data.scale)) return 'bias and scale must be finite';
  if (!(data.fill >= 0 && data.fill <= 1)) return `fill ${data.fill} not in [0, 1]`;
  return null;
}
