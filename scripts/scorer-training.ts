/**
 * Training of the learned scorer (operators/learned-scorer.ts): a logistic regression over the hashed
 * features the operator computes. AdaGrad SGD with L2, a fixed seed and a fixed order, so the same
 * examples and settings give the same bytes. Weights are stored as int8 (max |w| / 127).
 * Examples are weighted so that each source weighs √(its size) and, within it, both labels weigh alike.
 * `fill` (how much of the room the lexicon leaves the model fills in combined mode) is a setting, not
 * fitted: docs/scorer.md says why.
 */
import {
  createFeatureBuffer,
  createScoringModel,
  type LearnedModelData,
  SCORER_MODEL_FORMAT,
  type ScoringModel,
  textFeatures,
  tokenize,
} from '../operators/score-tweets.js';
import { modelVersionOf } from '../pipeline/scorer-model.js';
import type { Example } from './scorer-data.js';

export interface TrainSettings {
  readonly bits: number;
  readonly epochs: number;
  readonly learningRate: number;
  readonly l2: number;
  readonly seed: number;
  readonly fill: number;
}

export const DEFAULT_TRAIN_SETTINGS: TrainSettings = {
  bits: 18,
  epochs: 12,
  learningRate: 0.05,
  l2: 1e-6,
  seed: 20_240_601,
  fill: 0.75,
};

/** An example as the trainer sees it: its feature buckets, label and weight. */
export interface Prepared {
  readonly features: Int32Array;
  /** 1 for +1, 0 for -1. */
  readonly y: number;
  readonly weight: number;
}

/** Features of every example, computed with the operator's own code (tokenize + textFeatures). */
export function prepare(examples: readonly Example[], bits: number, lexicon: ScoringModel): Prepared[] {
  const sizes = new Map<string, [number, number]>();
  for (const e of examples) {
    const n = sizes.get(e.source) ?? [0, 0];
    n[e.label > 0 ? 0 : 1]++;
    sizes.set(e.source, n);
  }
  const buf = createFeatureBuffer();
  const total = examples.length;
  const norm = [...sizes.values()].reduce((s, [p, q]) => s + Math.sqrt(p + q), 0);
  return examples.map((e) => {
    const [pos, neg] = sizes.get(e.source)!;
    const sourceWeight = (Math.sqrt(pos + neg) / norm) * total;
    textFeatures(tokenize(e.text, lexicon, lexicon.tokens), bits, buf);
    return {
      features: buf.index.slice(0, buf.count),
      y: e.label > 0 ? 1 : 0,
      weight: sourceWeight / (2 * (e.label > 0 ? pos : neg)),
    };
  });
}

/** A fixed pseudo-random order of `n` indices for one epoch: sorted by a hash of (index, seed). */
function shuffled(n: number, seed: number): number[] {
  const keys = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    let h = Math.imul(i + 1, 0x9e3779b1) ^ seed;
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    keys[i] = (h ^ (h >>> 16)) >>> 0;
  }
  return Array.from({ length: n }, (_, i) => i).sort((a, b) => keys[a]! - keys[b]! || a - b);
}

interface Fitted {
  readonly weights: Float64Array;
  readonly bias: number;
}

export function fitLogistic(data: readonly Prepared[], settings: TrainSettings): Fitted {
  const w = new Float64Array(1 << settings.bits);
  const g2 = new Float64Array(w.length);
  let bias = 0;
  let biasG2 = 0;
  const step = (grad: number, sum: number): number =>
    (settings.learningRate * grad) / (Math.sqrt(sum) + 1e-8);
  for (let epoch = 0; epoch < settings.epochs; epoch++) {
    for (const i of shuffled(data.length, settings.seed + epoch)) {
      const e = data[i]!;
      let z = bias;
      for (const f of e.features) z += w[f]!;
      const g = (1 / (1 + Math.exp(-z)) - e.y) * e.weight;
      for (const f of e.features) {
        const grad = g + settings.l2 * w[f]!;
        g2[f]! += grad * grad;
        w[f]! -= step(grad, g2[f]!);
      }
      biasG2 += g * g;
      bias -= step(g, biasG2);
    }
  }
  return { weights: w, bias };
}

function quantize(fitted: Fitted): { bias: number; scale: number; weights: Int8Array } {
  let max = 0;
  for (const v of fitted.weights) max = Math.max(max, Math.abs(v));
  const scale = max > 0 ? max / 127 : 1;
  const weights = new Int8Array(fitted.weights.length);
  for (let k = 0; k < weights.length; k++) weights[k] = Math.round(fitted.weights[k]! / scale);
  return { bias: fitted.bias, scale, weights };
}

/** The regression on `data`, as the model data the operator reads. */
export function trainModel(data: readonly Prepared[], settings: TrainSettings): LearnedModelData {
  const weights = quantize(fitLogistic(data, settings));
  const model = { format: SCORER_MODEL_FORMAT, bits: settings.bits, fill: settings.fill, ...weights };
  return { ...model, version: modelVersionOf(model) };
}

/** The scorers to compare, each as the operator builds it. */
export function scorersFor(model: LearnedModelData): Record<'lexicon' | 'model' | 'combined', ScoringModel> {
  return {
    lexicon: createScoringModel(),
    model: createScoringModel({ mode: 'model', model }),
    combined: createScoringModel({ mode: 'combined', model }),
  };
}
