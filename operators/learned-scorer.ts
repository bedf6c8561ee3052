/**
 * The learned half of the scorer: a logistic regression over hashed features of the tokens the lexicon
 * scorer already found (score-tokens.ts), so it adds no second pass over the text. The model is plain
 * data (LearnedModelData: numbers and Int8Arrays, structured-cloneable), loaded by the pipeline and
 * handed in through ScoringOptions.model; scripts/train-scorer.ts trains it. docs/scorer.md is its card.
 *
 * Features, each hashed into one of 2^bits buckets (Fibonacci hashing of word-table.ts's foldHash):
 * every token (word, emoji, emoticon) as looked up, every pair of neighbouring tokens, every cashtag, and
 * one each for "has a URL", "has a mention", "has !" and "has ?". A bucket's weight counts once per hit.
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
import type { Tokens } from './token-arrays.js';

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

/** Feature buckets of one text and, for explanations, what each came from: (token << 2) | kind. */
export interface FeatureBuffer {
  index: Int32Array;
  origin: Int32Array;
  count: number;
}

const WORD = 0;
const PAIR = 1;
const TAG = 2;
const FLAG = 3;
const FLAGS = ['url', 'mention', '!', '?'] as const;

export function createFeatureBuffer(): FeatureBuffer {
  return { index: new Int32Array(256), origin: new Int32Array(256), count: 0 };
}

// Bucket of each kind of feature: Fibonacci hashing (× 2^32/φ, top `bits` bits) of the token's fold hash,
// salted per kind. Both loops below (the buffer for training and explanations, the sum for scoring) use
// these, and a spec checks they agree.
const GOLDEN = 0x9e3779b1;
function wordBucket(h: number, shift: number): number {
  return Math.imul(h, GOLDEN) >>> shift;
}
function pairBucket(previous: number, h: number, shift: number): number {
  return Math.imul((Math.imul(previous ^ 0x5bd1e995, 0x01000193) + h) | 0, GOLDEN) >>> shift;
}
function tagBucket(h: number, shift: number): number {
  return Math.imul(h ^ 0x27d4eb2f, GOLDEN) >>> shift;
}
function flagBucket(flag: number, shift: number): number {
  return Math.imul(0x3c6ef372 + flag, GOLDEN) >>> shift;
}

/** The feature buckets of tokenized text, into `buf` (grown when too small); returns `buf`. */
export function textFeatures(t: Tokens, bits: number, buf: FeatureBuffer): FeatureBuffer {
  const need = 2 * t.count + t.tagCount + FLAGS.length;
  if (buf.index.length < need) {
    buf.index = new Int32Array(need * 2);
    buf.origin = new Int32Array(need * 2);
  }
  const shift = 32 - bits;
  const { index, origin } = buf;
  const hashes = t.hashes;
  let n = 0;
  for (let i = 0; i < t.count; i++) {
    index[n] = wordBucket(hashes[i]!, shift);
    origin[n++] = (i << 2) | WORD;
    if (i > 0) {
      index[n] = pairBucket(hashes[i - 1]!, hashes[i]!, shift);
      origin[n++] = (i << 2) | PAIR;
    }
  }
  for (let j = 0; j < t.tagCount; j++) {
    index[n] = tagBucket(t.tags[j]!, shift);
    origin[n++] = (j << 2) | TAG;
  }
  const flags = [t.urls, t.mentions, t.exclamations, t.questions] as const;
  for (let f = 0; f < FLAGS.length; f++) {
    if (flags[f] === 0) continue;
    index[n] = flagBucket(f, shift);
    origin[n++] = (f << 2) | FLAG;
  }
  buf.count = n;
  return buf;
}

/** The model's logit for tokenized text: bias plus the weights of textFeatures' buckets, summed in place. */
export function learnedLogit(t: Tokens, data: LearnedModelData): number {
  const shift = 32 - data.bits;
  const weights = data.weights;
  const hashes = t.hashes;
  let s = 0;
  let previous = 0;
  for (let i = 0; i < t.count; i++) {
    const h = hashes[i]!;
    s += weights[wordBucket(h, shift)]!;
    if (i > 0) s += weights[pairBucket(previous, h, shift)]!;
    previous = h;
  }
  for (let j = 0; j < t.tagCount; j++) s += weights[tagBucket(t.tags[j]!, shift)]!;
  if (t.urls > 0) s += weights[flagBucket(0, shift)]!;
  if (t.mentions > 0) s += weights[flagBucket(1, shift)]!;
  if (t.exclamations > 0) s += weights[flagBucket(2, shift)]!;
  if (t.questions > 0) s += weights[flagBucket(3, shift)]!;
  return data.bias + s * data.scale;
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
  const m = Math.tanh(learnedLogit(t, data) / 2);
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
    const at = buf.origin[k]! >> 2;
    const kind = buf.origin[k]! & 3;
    const feature =
      kind === WORD
        ? t.keys[at]!
        : kind === PAIR
          ? `${t.keys[at - 1]} ${t.keys[at]}`
          : kind === TAG
            ? `cashtag #${at + 1}`
            : FLAGS[at]!;
    features.push({ feature, value });
  }
  const modelScore = Math.tanh(learnedLogit(t, data) / 2);
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
