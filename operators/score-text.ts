/**
 * Sentiment of one short text in [-1, 1]: a lexicon-and-rules scorer in the spirit of VADER
 * (Hutto & Gilbert 2014), rebuilt for speed and for crypto Twitter.
 *
 * Backbone: VADER's human-rated lexicon (7.5k words, slang, emoticons), overlaid with our crypto
 * lexicon and emoji ratings. Rules, applied in one pass over the tokens of natural's RegexpTokenizer:
 * - negation is scoped: a negator flips and shrinks (x -0.74) sentiment words up to 3 tokens after it,
 *   never past a clause boundary (. , ; : ! ? or a contrast word) — "not bad, great" stays positive;
 * - intensifiers / dampeners shift the next sentiment word by ±0.293 (decaying with distance);
 * - an ALL-CAPS sentiment word in a text that is not all caps gains ±0.733;
 * - "but" / "however": sentiment before the first one x0.5, after it x1.5;
 * - each "!" (up to 4) adds 0.292 in the direction of the text, "??"+ adds up to 0.96;
 * - stretched words ("goooood") are looked up collapsed;
 * - the sum s is normalised to s / sqrt(s² + 15).
 * Everything a call needs is precomputed into the model (score-model.ts: Maps, one compiled regex).
 * Cost: O(length of text), ~a few µs for a tweet; allocates the token list and the result.
 */
import { explainLearned, type LearnedParts, learnedScore } from './learned-scorer.js';
import { INCREMENT, type ScoringModel } from './score-model.js';
import { CAPS, type Tokens, tokenize } from './score-tokens.js';

export { createScoringModel, type ScoringModel, type ScoringOptions } from './score-model.js';

export interface ScoredToken {
  /** The word, phrase, emoji or emoticon as looked up (lowercased words). */
  readonly token: string;
  /** Its contribution to the raw sum after every rule (negation, emphasis, contrast). */
  readonly value: number;
}

export interface TextScore {
  /** Sentiment in [-1, 1]; 0 for empty or sentiment-free text. */
  readonly score: number;
  /** The tokens that mattered, in text order. */
  readonly tokens: readonly ScoredToken[];
  /** Sum of token values plus punctuation emphasis, before normalisation. */
  readonly raw: number;
  /** The lexicon's own score (equal to `score` in lexicon mode). */
  readonly lexicon: number;
  /** What the learned model and the lexicon contributed (model and combined modes), else null. */
  readonly learned: LearnedParts | null;
}

const CAPS_INCREMENT = 0.733;
const EXCLAMATION_INCREMENT = 0.292;
/** Valence of an explicit price move ("up 12%", "down 8%"). */
const PRICE_MOVE = 1.6;
const WINDOW_DECAY = [1, 0.95, 0.9] as const;

/** Scores one text with a model from createScoringModel. Pure and deterministic; never throws on text. */
export function scoreText(text: string, model: ScoringModel): TextScore {
  if (typeof text !== 'string' || text.length === 0) {
    return { score: 0, tokens: [], raw: 0, lexicon: 0, learned: null };
  }
  const scored: ScoredToken[] = [];
  const raw = rawScore(text, model, scored);
  const lexicon = normalizeRaw(raw, model);
  const l = model.learned;
  if (l === null) return { score: lexicon, tokens: scored, raw, lexicon, learned: null };
  const learned = explainLearned(model.tokens, lexicon, l.mode, l.data, l.features);
  const score = learnedScore(model.tokens, lexicon, l.mode, l.data);
  return { score, tokens: scored, raw, lexicon, learned };
}

/**
 * scoreText(text, model).score without collecting the tokens that mattered (the scoring hot path): the
 * lexicon's score, or the learned model's over the same tokens (they are still in model.tokens).
 */
export function scoreTextValue(text: string, model: ScoringModel): number {
  if (typeof text !== 'string' || text.length === 0) return 0;
  const lexicon = normalizeRaw(rawScore(text, model, null), model);
  const l = model.learned;
  return l === null ? lexicon : learnedScore(model.tokens, lexicon, l.mode, l.data);
}

function normalizeRaw(raw: number, model: ScoringModel): number {
  const score = raw / Math.sqrt(raw * raw + model.alpha);
  return Math.max(-1, Math.min(1, score));
}

// The sum of token values plus emphasis; pushes each token that mattered to `scored` when given.
function rawScore(text: string, model: ScoringModel, scored: ScoredToken[] | null): number {
  const t = tokenize(text, model, model.tokens);
  const { keys, values, flags, infos } = t;
  const n = t.count;
  // Shouting only counts when some words are not shouted.
  const capsDiff = t.capsWords > 0 && t.capsWords < n;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    let v = values[i]!;
    const info = infos[i]!;
    let label = keys[i]!;
    let span = 1;
    const phrases = info === null ? undefined : info.phrases;
    if (phrases !== undefined) {
      for (const p of phrases) {
        if (matchesAt(keys, n, i + 1, p.rest)) {
          v = p.value;
          label = p.text;
          span = 1 + p.rest.length;
          break;
        }
      }
    }
    if (
      v === 0 &&
      model.priceMoves &&
      (label === 'up' || label === 'down') &&
      i + 1 < n &&
      isNumber(keys[i + 1])
    ) {
      v = label === 'up' ? PRICE_MOVE : -PRICE_MOVE;
      label = `${label} ${keys[i + 1]}`;
    }
    if (v === 0) {
      i += span - 1;
      continue;
    }
    // The lexicon entry describes the token; a phrase or price move is looked up by its label.
    const adjective =
      span === 1 && label === keys[i] ? info?.adjectiveIntensifier : model.adjectiveIntensifiers.has(label);
    if (adjective && intensifies(i, t)) {
      i += span - 1;
      continue;
    }
    if (capsDiff && (flags[i]! & CAPS) !== 0) v += v > 0 ? CAPS_INCREMENT : -CAPS_INCREMENT;
    v = applyModifiers(v, i, t, capsDiff, model);
    if (t.contrastAt >= 0) v *= i < t.contrastAt ? 0.5 : 1.5;
    sum += v;
    scored?.push({ token: label, value: v });
    i += span - 1;
  }
  let emphasis = Math.min(t.exclamations, 4) * EXCLAMATION_INCREMENT;
  if (t.questions > 1) emphasis += t.questions <= 3 ? t.questions * 0.18 : 0.96;
  return sum > 0 ? sum + emphasis : sum < 0 ? sum - emphasis : 0;
}

function isNumber(key: string | undefined): boolean {
  const c = key === undefined ? 0 : key.charCodeAt(0);
  return c >= 48 && c <= 57;
}

/** "pretty bad": a sentiment word follows in the same clause, so "pretty" is an adverb here. */
function intensifies(i: number, t: Tokens): boolean {
  return i + 1 < t.count && t.clauses[i + 1] === t.clauses[i] && t.values[i + 1] !== 0;
}

function matchesAt(keys: readonly string[], n: number, from: number, rest: readonly string[]): boolean {
  if (from + rest.length > n) return false;
  for (let k = 0; k < rest.length; k++) if (keys[from + k] !== rest[k]) return false;
  return true;
}

/** Negators, intensifiers and dampeners among the 3 tokens before i, within i's clause. */
function applyModifiers(v: number, i: number, t: Tokens, capsDiff: boolean, model: ScoringModel): number {
  const { keys, values, flags, clauses, infos } = t;
  const clause = clauses[i]!;
  for (let k = 0; k < 3; k++) {
    const j = i - k - 1;
    if (j < 0 || clauses[j] !== clause) break;
    const word = keys[j]!;
    const info = infos[j]!;
    let boost = info === null ? 0 : info.booster;
    if (values[j] !== 0) {
      // A sentiment word is not a modifier, unless it is "pretty"/"super" right before this one.
      if (k === 0 && info !== null && info.adjectiveIntensifier) boost = INCREMENT;
      else continue;
    }
    if (word === 'of' && j > 0 && (keys[j - 1] === 'kind' || keys[j - 1] === 'sort')) boost = -INCREMENT;
    if (boost !== 0) {
      if (v < 0) boost = -boost;
      if (capsDiff && (flags[j]! & CAPS) !== 0) boost += v > 0 ? CAPS_INCREMENT : -CAPS_INCREMENT;
      v += boost * WINDOW_DECAY[k]!;
    } else if (info === null ? word.endsWith("n't") : info.negator) {
      // A negator: listed ("dont", "never") or spelled with an apostrophe ("don't", "isn't").
      // "never so good", "never this happy": emphasis, not negation.
      const next = keys[j + 1];
      if (word === 'never' && k > 0 && (next === 'so' || next === 'this')) v *= k === 1 ? 1.5 : 1.25;
      else v *= model.negationScalar;
    } else if (word === 'least' && !(j > 0 && (keys[j - 1] === 'at' || keys[j - 1] === 'very')) && k === 0) {
      v *= model.negationScalar;
    }
  }
  return v;
}
