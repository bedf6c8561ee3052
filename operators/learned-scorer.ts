/**
 * The learned half of the scorer: a logistic regression over hashed features of the tokens the lexicon
 * scorer already found (score-tokens.ts), so it adds no second pass over the text. The model is plain
 * data (LearnedModelData: numbers and Int8Arrays, structured-cloneable), loaded by the pipeline and
 * handed in through ScoringOptions.model; scripts/train-scorer.ts trains it. docs/scorer.md is its card.
 *
 * Features, each hashed into one of 2^bits buckets (murmur3's finaliser over word-table.ts's foldHash):
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
 * Cost: one weight read per feature (about two per token) from a 2^bits-byte table; no allocation once
 * the feature buffer has grown to the longest text seen.
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

/** murmur3's 32-bit finaliser: spreads a hash over the low bits a bucket index keeps. */
function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** The feature buckets of tokenized text, into `buf` (grown when too small); returns `buf`. */
export function textFeatures(t: Tokens, bits: number, buf: FeatureBuffer): FeatureBuffer {
  const need = 2 * t.count + t.tagCount + FLAGS.length;
  if (buf.index.length < need) {
    buf.index = new Int32Array(need * 2);
    buf.origin = new Int32Array(need * 2);
  }
  const mask = (1 << bits) - 1;
  const { index, origin } = buf;
  const hashes = t.hashes;
  let n = 0;
  let previous = 0;
  for (let i = 0; i < t.count; i++) {
    const h = hashes[i]!;
    index[n] = mix(h) & mask;
    origin[n++] = (i << 2) | WORD;
    if (i > 0) {
      index[n] = mix(Math.imul(previous ^ 0x5bd1e995, 0x01000193) + h) & mask;
      origin[n++] = (i << 2) | PAIR;
    }
    previous = h;
  }
  for (let j = 0; j < t.tagCount; j++) {
    index[n] = mix(t.tags[j]! ^ 0x27d4eb2f) & mask;
    origin[n++] = (j << 2) | TAG;
  }
  if (t.urls > 0) n = addFlag(buf, n, 0, mask);
  if (t.mentions > 0) n = addFlag(buf, n, 1, mask);
  if (t.exclamations > 0) n = addFlag(buf, n, 2, mask);
  if (t.questions > 0) n = addFlag(buf, n, 3, mask);
  buf.count = n;
  return buf;
}

function addFlag(buf: FeatureBuffer, n: number, flag: number, mask: number): number {
  buf.index[n] = mix(0x3c6ef372 + flag) & mask;
  buf.origin[n] = (flag << 2) | FLAG;
  return n + 1;
}

/** The model's logit: bias plus the bucket weights of the features in `buf`. */
function logitOf(data: LearnedModelData, buf: FeatureBuffer): number {
  const { weights } = data;
  const index = buf.index;
  let s = 0;
  for (let k = 0; k < buf.count; k++) s += weights[index[k]!]!;
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
  buf: FeatureBuffer,
): number {
  const m = Math.tanh(logitOf(data, textFeatures(t, data.bits, buf)) / 2);
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
  const modelScore = Math.tanh(logitOf(data, buf) / 2);
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
