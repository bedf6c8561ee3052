/**
 * The scoring model: every lexicon and modifier list, merged once into Maps and Sets, plus the compiled
 * tokenizer. Built by createScoringModel(); scoreText() only reads it (apart from its reused token arrays).
 *
 * Precedence (later wins): AFINN-165 supplement < VADER < our general additions < our crypto lexicon and
 * market emoji (unless `crypto: false`) < `options.lexicon`. See lexicon/README.md for sources.
 * Cost: ~10k Map entries (~1-2 MB), built in a few ms; build it once per process and share it.
 */
import { RegexpTokenizer } from 'natural/lib/natural/tokenizers/regexp_tokenizer.js';
import {
  createFeatureBuffer,
  type FeatureBuffer,
  type LearnedModelData,
  learnedModelProblem,
  type ScorerMode,
} from './learned-scorer.js';
import { AFINN_SUPPLEMENT_TSV } from './lexicon/afinn-supplement.js';
import { CONVENTIONAL_CAPS, CRYPTO_LEXICON } from './lexicon/crypto-lexicon.js';
import { EMOJI_LEXICON, EMOTICON_LEXICON, MARKET_EMOJI } from './lexicon/emoji-lexicon.js';
import { GENERAL_ADDITIONS } from './lexicon/general-additions.js';
import {
  ADJECTIVE_INTENSIFIERS,
  CONTRAST_MARKERS,
  DAMPENERS,
  INTENSIFIERS,
  NEGATORS,
} from './lexicon/modifiers.js';
import { VADER_LEXICON_TSV } from './lexicon/vader-lexicon.js';
import { createTokens, type Tokens } from './token-arrays.js';
import type { Phrase, WordInfo } from './word-info.js';
import { createWordTable, type WordTable } from './word-table.js';

export type { Phrase, WordInfo } from './word-info.js';

export interface ScoringOptions {
  /** Include the crypto lexicon, market emoji and price-move rule on top of the general lexicon (default true). */
  readonly crypto?: boolean;
  /** Extra or overriding entries on VADER's [-4, 4] scale; keys with spaces are phrases. */
  readonly lexicon?: Readonly<Record<string, number>>;
  /** Factor applied to a negated sentiment word (default -0.74, VADER's empirical value). */
  readonly negationScalar?: number;
  /** Normalisation constant: score = s / sqrt(s² + alpha) (default 15). */
  readonly normalizationAlpha?: number;
  /**
   * `lexicon` (the rules above alone), `model` (the learned model alone) or `combined` (the learned model
   * with the lexicon's score as one more input); see learned-scorer.ts. Default: combined with a model,
   * lexicon without.
   */
  readonly mode?: ScorerMode;
  /** The learned model, as plain data (the pipeline loads it from its file); needed by model and combined. */
  readonly model?: LearnedModelData;
}

/** The learned model in use and its reused feature buffer (null in lexicon mode). */
export interface LearnedScorer {
  readonly mode: Exclude<ScorerMode, 'lexicon'>;
  readonly data: LearnedModelData;
  readonly features: FeatureBuffer;
}

/** Everything the scorer needs, built once by createScoringModel; nothing but `tokens` ever changes. */
export interface ScoringModel {
  readonly words: ReadonlyMap<string, number>;
  readonly phrases: ReadonlyMap<string, readonly Phrase[]>;
  readonly emoticons: ReadonlyMap<string, number>;
  /** The first UTF-16 unit of every emoticon (-1 for an empty one): a token starting otherwise is none. */
  readonly emoticonStarts: ReadonlySet<number>;
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
  /** Every word any list above knows, with all it knows about it (derived from the lists above). */
  readonly lexicon: ReadonlyMap<string, WordInfo>;
  /** The lexicon's ASCII words again, probed by the tokenizer with a span of the text (word-table.ts). */
  readonly wordTable: WordTable<WordInfo>;
  /**
   * Token arrays each scoreText call fills and reads before it returns (calls are synchronous, so two never
   * share them at once): they are allocated once instead of per text. The only part of the model that changes,
   * with the learned scorer's feature buffer.
   */
  readonly tokens: Tokens;
  readonly learned: LearnedScorer | null;
}

/** VADER's empirical shift for an intensifier (+) or dampener (-) before a sentiment word. */
export const INCREMENT = 0.293;
const WORD_SHAPE = /^[\p{L}\p{N}](?:[\p{L}\p{N}_'-]*[\p{L}\p{N}])?$/u;
const SINGLE_EMOJI = /^\p{Extended_Pictographic}\uFE0F?$/u;
// URL | word (optionally #, $ or @ prefixed) | run of punctuation, symbols and emoji (maybe an emoticon
// ending in a letter, such as ":D").
const TOKEN_PATTERN =
  /https?:\/\/\S+|[@#$]?[\p{L}\p{N}](?:[\p{L}\p{N}_'’-]*[\p{L}\p{N}])?|[^\s\p{L}\p{N}]+(?:[DPpOoSsbX3](?![\p{L}\p{N}]))?/gu;

export function createScoringModel(options: ScoringOptions = {}): ScoringModel {
  const words = new Map<string, number>();
  const emoticons = new Map<string, number>();
  const phraseList = new Map<string, Phrase[]>();
  const emoji = new Map<number, number>();
  const add = (key: string, value: number): void => {
    const lower = key.toLowerCase();
    if (SINGLE_EMOJI.test(key)) {
      emoji.set(key.codePointAt(0)!, value);
      return;
    }
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
  for (const lexicon of [GENERAL_ADDITIONS, EMOTICON_LEXICON, EMOJI_LEXICON]) {
    for (const [key, value] of Object.entries(lexicon)) add(key, value);
  }
  const crypto = options.crypto ?? true;
  if (crypto) {
    for (const lexicon of [CRYPTO_LEXICON, MARKET_EMOJI]) {
      for (const [key, value] of Object.entries(lexicon)) add(key, value);
    }
  }
  for (const [key, value] of Object.entries(options.lexicon ?? {})) add(key, value);

  const boosters = new Map<string, number>();
  for (const w of INTENSIFIERS) boosters.set(w, INCREMENT);
  for (const w of DAMPENERS) boosters.set(w, -INCREMENT);
  const negators = new Set(NEGATORS);
  // Modifiers carry no sentiment of their own ("no" is -1.2 in VADER; here it negates instead).
  for (const w of [...boosters.keys(), ...negators]) words.delete(w);

  const contrast = new Set(CONTRAST_MARKERS);
  const conventionalCaps = new Set(CONVENTIONAL_CAPS);
  const adjectiveIntensifiers = new Set(ADJECTIVE_INTENSIFIERS);
  const lexicon = new Map<string, WordInfo>();
  const lists = [words.keys(), boosters.keys(), phraseList.keys(), negators, contrast, conventionalCaps];
  for (const list of [...lists, adjectiveIntensifiers]) {
    for (const word of list) {
      lexicon.set(word, {
        value: words.get(word),
        isBooster: boosters.has(word),
        booster: boosters.get(word) ?? 0,
        phrases: phraseList.get(word),
        negator: negators.has(word) || word.endsWith("n't"),
        contrast: contrast.has(word),
        conventionalCaps: conventionalCaps.has(word),
        adjectiveIntensifier: adjectiveIntensifiers.has(word),
      });
    }
  }

  return {
    learned: learnedScorerFrom(options),
    words,
    phrases: phraseList,
    emoticons,
    emoticonStarts: new Set([...emoticons.keys()].map((k) => (k === '' ? -1 : k.charCodeAt(0)))),
    emoji,
    boosters,
    negators,
    contrast,
    conventionalCaps,
    adjectiveIntensifiers,
    lexicon,
    wordTable: createWordTable(lexicon),
    tokens: createTokens(),
    priceMoves: crypto,
    negationScalar: options.negationScalar ?? -0.74,
    alpha: options.normalizationAlpha ?? 15,
    tokenizer: new RegexpTokenizer({ pattern: TOKEN_PATTERN, gaps: false }),
  };
}

function learnedScorerFrom(options: ScoringOptions): LearnedScorer | null {
  const data = options.model;
  const mode = options.mode ?? (data === undefined ? 'lexicon' : 'combined');
  if (mode === 'lexicon') return null;
  if (data === undefined) throw new RangeError(`scorer mode ${mode} needs a learned model (options.model)`);
  const problem = learnedModelProblem(data);
  if (problem !== null) throw new RangeError(`scorer model ${data.version}: ${problem}`);
  return { mode, data, features: createFeatureBuffer() };
}
