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
 * Everything a call needs is precomputed into the model (Maps, one compiled regex).
 * Cost: O(length of text), ~a few µs for a tweet; allocates the token list and the result.
 */
import { RegexpTokenizer } from 'natural/lib/natural/tokenizers/regexp_tokenizer.js';
import { AFINN_SUPPLEMENT_TSV } from './lexicon/afinn-supplement.js';
import { CONVENTIONAL_CAPS, CRYPTO_LEXICON } from './lexicon/crypto-lexicon.js';
import { EMOJI_LEXICON, EMOTICON_LEXICON } from './lexicon/emoji-lexicon.js';
import { GENERAL_ADDITIONS } from './lexicon/general-additions.js';
import {
  ADJECTIVE_INTENSIFIERS,
  CONTRAST_MARKERS,
  DAMPENERS,
  INTENSIFIERS,
  NEGATORS,
} from './lexicon/modifiers.js';
import { VADER_LEXICON_TSV } from './lexicon/vader-lexicon.js';

export interface ScoringOptions {
  /** Include the crypto lexicon and emoji ratings on top of the general lexicon (default true). */
  readonly crypto?: boolean;
  /** Extra or overriding entries on VADER's [-4, 4] scale; keys with spaces are phrases. */
  readonly lexicon?: Readonly<Record<string, number>>;
  /** Factor applied to a negated sentiment word (default -0.74, VADER's empirical value). */
  readonly negationScalar?: number;
  /** Normalisation constant: score = s / sqrt(s² + alpha) (default 15). */
  readonly normalizationAlpha?: number;
}

interface Phrase {
  readonly rest: readonly string[];
  readonly text: string;
  readonly value: number;
}

/** Everything the scorer needs, built once by createScoringModel and never mutated. */
export interface ScoringModel {
  readonly words: ReadonlyMap<string, number>;
  readonly phrases: ReadonlyMap<string, readonly Phrase[]>;
  readonly emoticons: ReadonlyMap<string, number>;
  readonly emoji: ReadonlyMap<number, number>;
  readonly boosters: ReadonlyMap<string, number>;
  readonly negators: ReadonlySet<string>;
  readonly contrast: ReadonlySet<string>;
  readonly conventionalCaps: ReadonlySet<string>;
  /** Sentiment words that intensify a following sentiment word instead of counting themselves. */
  readonly adjectiveIntensifiers: ReadonlySet<string>;
  /** Score "up 5%" / "down 8%" as price moves. */
  readonly priceMoves: boolean;
  readonly negationScalar: number;
  readonly alpha: number;
  readonly tokenizer: { tokenize(text: string): string[] | null };
}

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
}

const INCREMENT = 0.293;
const CAPS_INCREMENT = 0.733;
const EXCLAMATION_INCREMENT = 0.292;
/** Valence of an explicit price move ("up 12%", "down 8%"). */
const PRICE_MOVE = 1.6;
const WINDOW_DECAY = [1, 0.95, 0.9] as const;
const WORD_SHAPE = /^[\p{L}\p{N}](?:[\p{L}\p{N}_'-]*[\p{L}\p{N}])?$/u;
// URL | word (optionally #, $ or @ prefixed) | run of punctuation, symbols and emoji (maybe an emoticon
// ending in a letter, such as ":D").
const TOKEN_PATTERN =
  /https?:\/\/\S+|[@#$]?[\p{L}\p{N}](?:[\p{L}\p{N}_'’-]*[\p{L}\p{N}])?|[^\s\p{L}\p{N}]+(?:[DPpOoSsbX3](?![\p{L}\p{N}]))?/gu;

export function createScoringModel(options: ScoringOptions = {}): ScoringModel {
  const words = new Map<string, number>();
  const emoticons = new Map<string, number>();
  const phraseList = new Map<string, Phrase[]>();
  const add = (key: string, value: number): void => {
    const lower = key.toLowerCase();
    if (lower.includes(' ')) {
      const [first, ...rest] = lower.split(' ');
      const list = phraseList.get(first!) ?? [];
      const kept = list.filter((p) => p.text !== lower);
      kept.push({ rest, text: lower, value });
      kept.sort((a, b) => b.rest.length - a.rest.length);
      phraseList.set(first!, kept);
    } else if (WORD_SHAPE.test(key)) words.set(lower, value);
    else emoticons.set(key, value);
  };
  for (const line of `${AFINN_SUPPLEMENT_TSV}\n${VADER_LEXICON_TSV}`.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab > 0) add(line.slice(0, tab), Number(line.slice(tab + 1)));
  }
  for (const [key, value] of Object.entries(GENERAL_ADDITIONS)) add(key, value);
  const crypto = options.crypto ?? true;
  const emoji = new Map<number, number>();
  if (crypto) {
    for (const [key, value] of Object.entries(EMOTICON_LEXICON)) add(key, value);
    for (const [key, value] of Object.entries(CRYPTO_LEXICON)) add(key, value);
    for (const [key, value] of Object.entries(EMOJI_LEXICON)) emoji.set(key.codePointAt(0)!, value);
  }
  for (const [key, value] of Object.entries(options.lexicon ?? {})) add(key, value);

  const boosters = new Map<string, number>();
  for (const w of INTENSIFIERS) boosters.set(w, INCREMENT);
  for (const w of DAMPENERS) boosters.set(w, -INCREMENT);
  const negators = new Set(NEGATORS);
  // Modifiers carry no sentiment of their own ("no" is -1.2 in VADER; here it negates instead).
  for (const w of [...boosters.keys(), ...negators]) words.delete(w);

  return {
    words,
    phrases: phraseList,
    emoticons,
    emoji,
    boosters,
    negators,
    contrast: new Set(CONTRAST_MARKERS),
    conventionalCaps: new Set(CONVENTIONAL_CAPS),
    adjectiveIntensifiers: new Set(ADJECTIVE_INTENSIFIERS),
    priceMoves: crypto,
    negationScalar: options.negationScalar ?? -0.74,
    alpha: options.normalizationAlpha ?? 15,
    tokenizer: new RegexpTokenizer({ pattern: TOKEN_PATTERN, gaps: false }),
  };
}

/** Token flag: written in capitals (and not an acronym that is always capitalised). */
const CAPS = 1;

/** Negator spelled with an apostrophe ("don't", "isn't") or listed ("dont", "never"). */
function isNegator(word: string, model: ScoringModel): boolean {
  return model.negators.has(word) || word.endsWith("n't");
}

/** "soooo goooood" -> "soo good"/"so god": the first collapse that is a known word, else the input. */
function collapseStretched(word: string, model: ScoringModel): string {
  let hasRun = false;
  for (let i = 2; i < word.length && !hasRun; i++) {
    hasRun = word.charCodeAt(i) === word.charCodeAt(i - 1) && word.charCodeAt(i) === word.charCodeAt(i - 2);
  }
  if (!hasRun) return word;
  const two = word.replace(/(.)\1{2,}/g, '$1$1');
  if (model.words.has(two) || model.boosters.has(two)) return two;
  const one = word.replace(/(.)\1+/g, '$1');
  return model.words.has(one) || model.boosters.has(one) ? one : two;
}

function capsOf(token: string): boolean {
  let upper = false;
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (c >= 97 && c <= 122) return false;
    if (c >= 65 && c <= 90) upper = true;
  }
  return upper;
}

/** Tokenized text: parallel arrays, one entry per word, emoticon or emoji. */
interface Tokens {
  readonly keys: string[];
  readonly values: number[];
  readonly flags: number[];
  readonly clauses: number[];
  exclamations: number;
  questions: number;
  capsWords: number;
  contrastAt: number;
}

function tokenize(text: string, model: ScoringModel): Tokens {
  const t: Tokens = {
    keys: [],
    values: [],
    flags: [],
    clauses: [],
    exclamations: 0,
    questions: 0,
    capsWords: 0,
    contrastAt: -1,
  };
  const raw = model.tokenizer.tokenize(text);
  if (raw === null) return t;
  let clause = 0;
  const push = (key: string, value: number, flags: number): void => {
    t.keys.push(key);
    t.values.push(value);
    t.flags.push(flags);
    t.clauses.push(clause);
  };
  for (const m of raw) {
    const c0 = m.charCodeAt(0);
    const prefixed = c0 === 35 || c0 === 36 || c0 === 64; // # $ @
    const isWord = prefixed ? m.length > 1 : isAlnumStart(c0);
    if (isWord) {
      if (c0 === 64 || c0 === 36) continue; // mentions and cashtags carry no sentiment
      if (c0 === 104 && (m.startsWith('http://') || m.startsWith('https://'))) continue;
      const surface = prefixed ? m.slice(1) : m;
      if (surface.length < 2) continue;
      let key = surface.toLowerCase();
      if (key.includes('’')) key = key.replaceAll('’', "'");
      let value = model.words.get(key);
      if (value === undefined && !model.boosters.has(key) && !model.phrases.has(key)) {
        key = collapseStretched(key, model);
        value = model.words.get(key);
      }
      let flags = 0;
      if (!prefixed && !model.conventionalCaps.has(key)) {
        if (capsOf(surface)) {
          flags = CAPS;
          t.capsWords++;
        }
      }
      if (model.contrast.has(key)) {
        if (t.contrastAt < 0) t.contrastAt = t.keys.length;
        clause++;
      }
      push(key, value ?? 0, flags);
      continue;
    }
    const emoticon = model.emoticons.get(m) ?? model.emoticons.get(trimPunctuation(m));
    if (emoticon !== undefined) {
      push(m, emoticon, 0);
      countPunctuation(m, t);
      continue;
    }
    let previous = -1;
    let repeats = 0;
    for (const ch of m) {
      const cp = ch.codePointAt(0)!;
      if (cp === 33) t.exclamations++;
      else if (cp === 63) t.questions++;
      if (cp === 33 || cp === 63 || cp === 46 || cp === 44 || cp === 59 || cp === 58) clause++;
      const value = cp > 0x2000 ? model.emoji.get(cp) : undefined;
      if (value === undefined) continue;
      // A row of the same emoji intensifies, with diminishing returns (each extra one adds 30%, up to 3).
      repeats = cp === previous ? repeats + 1 : 0;
      previous = cp;
      if (repeats === 0) push(ch, value, 0);
      else if (repeats <= 3) t.values[t.values.length - 1]! += value * 0.3;
    }
  }
  return t;
}

function isAlnumStart(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 0xc0 && c < 0x2000);
}

function trimPunctuation(m: string): string {
  return m.replace(/^[.,!?]+|[.,!?]+$/g, '');
}

function countPunctuation(m: string, t: Tokens): void {
  for (let i = 0; i < m.length; i++) {
    const c = m.charCodeAt(i);
    if (c === 33) t.exclamations++;
    else if (c === 63) t.questions++;
  }
}

/** Scores one text with a model from createScoringModel. Pure and deterministic; never throws on text. */
export function scoreText(text: string, model: ScoringModel): TextScore {
  if (typeof text !== 'string' || text.length === 0) return { score: 0, tokens: [], raw: 0 };
  const t = tokenize(text, model);
  const { keys, values, flags } = t;
  const n = keys.length;
  // Shouting only counts when some words are not shouted.
  const capsDiff = t.capsWords > 0 && t.capsWords < n;
  const scored: ScoredToken[] = [];
  let sum = 0;
  for (let i = 0; i < n; i++) {
    let v = values[i]!;
    let label = keys[i]!;
    let span = 1;
    const phrases = model.phrases.get(label);
    if (phrases !== undefined) {
      for (const p of phrases) {
        if (matchesAt(keys, i + 1, p.rest)) {
          v = p.value;
          label = p.text;
          span = 1 + p.rest.length;
          break;
        }
      }
    }
    if (v === 0 && model.priceMoves && (label === 'up' || label === 'down') && isNumber(keys[i + 1])) {
      v = label === 'up' ? PRICE_MOVE : -PRICE_MOVE;
      label = `${label} ${keys[i + 1]}`;
    }
    if (v === 0 || (model.adjectiveIntensifiers.has(label) && intensifies(i, t))) {
      i += span - 1;
      continue;
    }
    if (capsDiff && (flags[i]! & CAPS) !== 0) v += v > 0 ? CAPS_INCREMENT : -CAPS_INCREMENT;
    v = applyModifiers(v, i, t, capsDiff, model);
    if (t.contrastAt >= 0) v *= i < t.contrastAt ? 0.5 : 1.5;
    sum += v;
    scored.push({ token: label, value: v });
    i += span - 1;
  }
  let emphasis = Math.min(t.exclamations, 4) * EXCLAMATION_INCREMENT;
  if (t.questions > 1) emphasis += t.questions <= 3 ? t.questions * 0.18 : 0.96;
  const raw = sum > 0 ? sum + emphasis : sum < 0 ? sum - emphasis : 0;
  const score = raw / Math.sqrt(raw * raw + model.alpha);
  return { score: Math.max(-1, Math.min(1, score)), tokens: scored, raw };
}

function isNumber(key: string | undefined): boolean {
  const c = key === undefined ? 0 : key.charCodeAt(0);
  return c >= 48 && c <= 57;
}

/** "pretty bad": a sentiment word follows in the same clause, so "pretty" is an adverb here. */
function intensifies(i: number, t: Tokens): boolean {
  return i + 1 < t.keys.length && t.clauses[i + 1] === t.clauses[i] && t.values[i + 1] !== 0;
}

function matchesAt(keys: readonly string[], from: number, rest: readonly string[]): boolean {
  if (from + rest.length > keys.length) return false;
  for (let k = 0; k < rest.length; k++) if (keys[from + k] !== rest[k]) return false;
  return true;
}

/** Negators, intensifiers and dampeners among the 3 tokens before i, within i's clause. */
function applyModifiers(v: number, i: number, t: Tokens, capsDiff: boolean, model: ScoringModel): number {
  const { keys, values, flags, clauses } = t;
  const clause = clauses[i]!;
  for (let k = 0; k < 3; k++) {
    const j = i - k - 1;
    if (j < 0 || clauses[j] !== clause) break;
    const word = keys[j]!;
    let boost = model.boosters.get(word) ?? 0;
    if (values[j] !== 0) {
      // A sentiment word is not a modifier, unless it is "pretty"/"super" right before this one.
      if (k === 0 && model.adjectiveIntensifiers.has(word)) boost = INCREMENT;
      else continue;
    }
    if (word === 'of' && j > 0 && (keys[j - 1] === 'kind' || keys[j - 1] === 'sort')) boost = -INCREMENT;
    if (boost !== 0) {
      if (v < 0) boost = -boost;
      if (capsDiff && (flags[j]! & CAPS) !== 0) boost += v > 0 ? CAPS_INCREMENT : -CAPS_INCREMENT;
      v += boost * WINDOW_DECAY[k]!;
    } else if (isNegator(word, model)) {
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
