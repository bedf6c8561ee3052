/**
 * The learned scorer's model file: the one owner of its format (JSON; weights as base64 int8), which
 * scripts/train-scorer.ts writes and the pipeline reads once per process. The data it yields is plain
 * and structured-cloneable, so it travels inside ScoringOptions to the score threads unchanged.
 *
 * {"format": "sentiflow-scorer/1", "version": "<digest of the rest>", "bits": 18, "bias", "scale", "fill",
 *  "training": {how it was trained, with its cross-validated figures}, "weights": "<base64 int8>"}
 *
 * A file of another format, or whose weights do not match its version digest, is refused with one line.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../lib/errors.js';
import {
  type LearnedModelData,
  learnedModelProblem,
  type ScorerMode,
  type ScoringOptions,
} from '../operators/index.js';

/** The model trained by `npm run train:scorer` and shipped with this version (docs/scorer.md). */
export const DEFAULT_SCORER_MODEL_FILE = fileURLToPath(new URL('./models/scorer.json', import.meta.url));

/** Chosen from the cross-validated figures in docs/scorer.md. */
export const DEFAULT_SCORER_MODE: ScorerMode = 'combined';

/** The config's scorer section, as far as building ScoringOptions goes. */
export interface ScorerConfig {
  readonly crypto: boolean;
  readonly lexicon: Readonly<Record<string, number>>;
  readonly negationScalar: number;
  readonly normalizationAlpha: number;
  readonly mode: ScorerMode;
  /** Model file; the shipped one when absent. */
  readonly modelFile?: string | undefined;
}

/** ScoringOptions from the config: plain data, the model file read (once per process) unless lexicon. */
export function scoringOptionsFrom(scorer: ScorerConfig): ScoringOptions {
  const { crypto, lexicon, negationScalar, normalizationAlpha, mode } = scorer;
  const base = { crypto, lexicon, negationScalar, normalizationAlpha, mode };
  if (mode === 'lexicon') return base;
  return { ...base, model: loadScorerModel(scorer.modelFile ?? DEFAULT_SCORER_MODEL_FILE) };
}

/** What produced a score, for backtest records: the mode and the model's version ('' for lexicon). */
export function scorerIdentity(options: ScoringOptions): { scorer: ScorerMode; scorerModel: string } {
  const scorer = options.mode ?? (options.model ? 'combined' : 'lexicon');
  return { scorer, scorerModel: scorer === 'lexicon' ? '' : (options.model?.version ?? '') };
}

const loaded = new Map<string, LearnedModelData>();

export function loadScorerModel(path: string): LearnedModelData {
  const cached = loaded.get(path);
  if (cached) return cached;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(`scorer model file ${path}: cannot read it (${code})`, error);
  }
  const data = parseScorerModel(text, path);
  loaded.set(path, data);
  return data;
}

/** The file's JSON: the model data with its weights in base64, and how it was trained. */
type StoredModel = Omit<LearnedModelData, 'weights'> & {
  readonly weights: string;
  readonly training?: unknown;
};

export function parseScorerModel(text: string, path: string): LearnedModelData {
  const fail = (problem: string, cause?: unknown): never => {
    throw new ConfigError(`scorer model file ${path}: ${problem}`, cause);
  };
  let stored: StoredModel;
  try {
    stored = JSON.parse(text) as StoredModel;
  } catch (error) {
    return fail(`not valid JSON (${(error as Error).message})`, error);
  }
  if (stored === null || typeof stored !== 'object') return fail('expected a JSON object');
  // A fresh buffer of exactly these bytes: a thread gets a copy of the whole buffer, not of a pool.
  const bytes = Buffer.from(typeof stored.weights === 'string' ? stored.weights : '', 'base64');
  const data: LearnedModelData = {
    format: String(stored.format),
    version: String(stored.version),
    bits: stored.bits,
    bias: stored.bias,
    scale: stored.scale,
    fill: stored.fill,
    weights: new Int8Array(new Uint8Array(bytes).buffer),
  };
  const problem = learnedModelProblem(data);
  if (problem !== null) return fail(problem);
  if (modelVersionOf(data) !== data.version) {
    return fail(`its weights do not match its version ${data.version} (edited or damaged)`);
  }
  return data;
}

/** The file's text for a model (`training`: a free-form record of how it was trained). */
export function encodeScorerModel(data: LearnedModelData, training: unknown): string {
  const { weights, ...rest } = data;
  const stored: StoredModel = {
    ...rest,
    training,
    weights: Buffer.from(weights.buffer, weights.byteOffset, weights.length).toString('base64'),
  };
  return `${JSON.stringify(stored, null, 1)}\n`;
}

/** A digest of everything that decides a score: the model's version. */
export function modelVersionOf(data: Omit<LearnedModelData, 'version'>): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify([data.format, data.bits, data.bias, data.scale, data.fill]));
  hash.update(data.weights);
  return hash.digest('hex').slice(0, 16);
}
