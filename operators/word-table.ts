/**
 * A read-only hash table of lowercase ASCII words that is probed with a span of a text, so the
 * tokenizer looks a word up without first copying it out (slice), lowercasing it (toLowerCase) and
 * hashing the new string (Map.get): on this chain those three cost about 80 ns a word, the probe ~15.
 *
 * The caller hashes the span as it scans it, with {@link FOLD_HASH_SEED} and {@link foldHashStep} over
 * the span's characters folded by {@link foldAscii}; the table compares folded characters, so
 * "HODL", "Hodl" and "hodl" find the entry "hodl", and "don’t" (typographic apostrophe) finds "don't".
 */

export const FOLD_HASH_SEED = 0x811c9dc5;

/** One FNV-1a step. */
export function foldHashStep(h: number, c: number): number {
  return Math.imul(h ^ c, 0x01000193);
}

/** The folded hash of a whole string (as the tokenizer hashes a span): the learned model's token feature. */
export function foldHash(word: string): number {
  let h = FOLD_HASH_SEED;
  for (let i = 0; i < word.length; i++) h = foldHashStep(h, foldAscii(word.charCodeAt(i)));
  return h;
}

/** A-Z to a-z, ’ (U+2019) to ', other characters unchanged: what toLowerCase and the scorer's ’ rule do to ASCII. */
export function foldAscii(c: number): number {
  if (c >= 65 && c <= 90) return c | 0x20;
  return c === 0x2019 ? 39 : c;
}

// Only ASCII without A-Z can equal a folded span (and 'naïve' is found by the tokenizer's slow path).
function isFolded(word: string): boolean {
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c >= 128 || (c >= 65 && c <= 90)) return false;
  }
  return true;
}

export interface WordTable<T> {
  /** Index of the entry equal to text[start, end) folded, or -1. `hash` is that span's folded hash. */
  find(text: string, start: number, end: number, hash: number): number;
  /** The entries' words (lowercase, interned: the same string every time) and values, by index. */
  readonly words: readonly string[];
  readonly values: readonly T[];
}

/** Builds a table of the entries whose word is ASCII only; other words must be looked up elsewhere. */
export function createWordTable<T>(entries: Iterable<readonly [string, T]>): WordTable<T> {
  const words: string[] = [];
  const values: T[] = [];
  const hashes: number[] = [];
  for (const [word, value] of entries) {
    if (!isFolded(word)) continue;
    const h = foldHash(word);
    words.push(word);
    values.push(value);
    hashes.push(h);
  }
  let size = 16;
  while (size < words.length * 2) size *= 2;
  const mask = size - 1;
  // Slot k is slots[2k] = the entry's hash and slots[2k + 1] = 1 + its index (0: empty), side by side
  // so a probe reads one cache line; linear probing from hash & mask, at most half full.
  const slots = new Int32Array(2 * size);
  for (let e = 0; e < words.length; e++) {
    let k = hashes[e]! & mask;
    while (slots[2 * k + 1] !== 0) k = (k + 1) & mask;
    slots[2 * k] = hashes[e]!;
    slots[2 * k + 1] = e + 1;
  }
  return {
    words,
    values,
    find(text, start, end, hash) {
      const length = end - start;
      for (let k = hash & mask; ; k = (k + 1) & mask) {
        const e = slots[2 * k + 1]! - 1;
        if (e < 0) return -1;
        if (slots[2 * k] !== hash) continue;
        const word = words[e]!;
        if (word.length !== length) continue;
        let i = 0;
        while (i < length && word.charCodeAt(i) === foldAscii(text.charCodeAt(start + i))) i++;
        if (i === length) return e;
      }
    },
  };
}
