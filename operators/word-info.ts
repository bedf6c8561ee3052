/**
 * What the scorer knows about one lowercased word: the record score-model.ts builds per lexicon word and
 * the tokenizer (score-tokens.ts) attaches to each token. Types only, shared by both without a cycle.
 */

export interface Phrase {
  readonly rest: readonly string[];
  readonly text: string;
  readonly value: number;
}

/**
 * Everything the scorer knows about one lowercased word, gathered so that a token costs one Map lookup
 * instead of one per list (words, boosters, phrases, negators, contrast, caps, adjective intensifiers).
 */
export interface WordInfo {
  /** Valence from the lexicon; undefined when the word is not in it. */
  readonly value: number | undefined;
  readonly isBooster: boolean;
  /** Intensifier (+INCREMENT) or dampener (-INCREMENT) shift; 0 otherwise. */
  readonly booster: number;
  /** Phrases that start with this word, longest first. */
  readonly phrases: readonly Phrase[] | undefined;
  /** Listed negator, or a contraction ending in n't. */
  readonly negator: boolean;
  readonly contrast: boolean;
  readonly conventionalCaps: boolean;
  readonly adjectiveIntensifier: boolean;
}
