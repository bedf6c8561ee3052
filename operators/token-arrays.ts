/**
 * The scorer's tokens for one text, as parallel arrays that are allocated once and reused from text to
 * text (see createTokens): score-tokens.ts fills them, score-text.ts reads the lexicon side and
 * learned-scorer.ts hashes them into the learned model's features.
 */
import type { WordInfo } from './word-info.js';

/**
 * Tokenized text: parallel arrays, one entry per word, emoticon or emoji; entries at `count` and beyond
 * are left over from an earlier text (the arrays are reused, see createTokens).
 */
export interface Tokens {
  count: number;
  readonly keys: string[];
  readonly values: number[];
  readonly flags: number[];
  readonly clauses: number[];
  /** What the lexicon knows about each key (null when nothing). */
  readonly infos: (WordInfo | null)[];
  /** word-table.ts's foldHash of each key: the learned model's feature of that token. */
  readonly hashes: number[];
  /** foldHash of each cashtag ("$btc", with its $), which carries no lexicon sentiment: `tagCount` of them. */
  readonly tags: number[];
  tagCount: number;
  urls: number;
  mentions: number;
  exclamations: number;
  questions: number;
  capsWords: number;
  contrastAt: number;
}

/** Empty token arrays to pass to tokenize (score-tokens.ts) again and again: they grow to the longest text seen. */
export function createTokens(): Tokens {
  return {
    count: 0,
    keys: [],
    values: [],
    flags: [],
    clauses: [],
    infos: [],
    hashes: [],
    tags: [],
    tagCount: 0,
    urls: 0,
    mentions: 0,
    exclamations: 0,
    questions: 0,
    capsWords: 0,
    contrastAt: -1,
  };
}
