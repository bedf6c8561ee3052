/**
 * Finding a word of the text in the scorer's lexicon without copying it out: an ASCII word is scanned,
 * case-folded and hashed in one pass and probed in the word table in place; any other word is lowercased
 * and looked up in the Map; a stretched word ("goooood") is collapsed to a known one. Plain code for
 * score-tokens.ts, which calls it once per word.
 */
import type { ScoringModel } from './score-model.js';
import type { WordInfo } from './word-info.js';
import { FOLD_HASH_SEED } from './word-table.js';

const SEED = FOLD_HASH_SEED;

/** "soooo goooood" -> "soo good"/"so god": the first collapse that is a known word, else the input. */
export function collapseStretched(word: string, model: ScoringModel): string {
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

/** What lookUpWord found for a word: its lookup key (lowercased, ’ as '), lexicon entry, and shape. */
export interface FoundWord {
  key: string;
  /** foldHash(key). */
  hash: number;
  info: WordInfo | undefined;
  /** Written in capitals: some A-Z and no a-z. */
  caps: boolean;
  /** Has a run of three equal characters (after lowercasing): may be a stretched word. */
  stretched: boolean;
}

const FOUND: FoundWord = { key: '', hash: 0, info: undefined, caps: false, stretched: false };

/** What a scan of an ASCII word saw: where it ends, its folded hash and its letters' case. */
interface WordShape {
  end: number;
  hash: number;
  upper: boolean;
  lower: boolean;
  stretched: boolean;
  apostrophe: boolean;
}

export const SHAPE: WordShape = {
  end: 0,
  hash: 0,
  upper: false,
  lower: false,
  stretched: false,
  apostrophe: false,
};

/**
 * Scans the word of letters and digits that starts at p and, within `limit`, hashes it as it goes
 * (A-Z folded, ’ as ', word-table.ts's foldHashStep inlined). With `limit` = the text's length the
 * word ends like scan-tokens.ts's wordEnd: at its last letter or digit, inner _ ' ’ - allowed. Fills
 * the shared SHAPE; false when it meets a character beyond ASCII other than ’ (maybe a letter: the
 * general scanner decides).
 */
export function scanAsciiWord(text: string, p: number, limit: number): boolean {
  let h = SEED;
  let upper = false;
  let lower = false;
  let stretched = false;
  let apostrophe = false;
  let prev1 = -1;
  let prev2 = -1;
  const shape = SHAPE;
  shape.end = p;
  for (let i = p; i < limit; i++) {
    let c = text.charCodeAt(i);
    let inner = false;
    if (c >= 97 && c <= 122) lower = true;
    else if (c >= 65 && c <= 90) {
      upper = true;
      c |= 0x20;
    } else if (c >= 48 && c <= 57) {
      // a digit
    } else if (c === 95 || c === 39 || c === 45) inner = true;
    else if (c === 0x2019) {
      inner = true;
      apostrophe = true;
      c = 39;
    } else if (c >= 128) return false;
    else break;
    if (c === prev1 && c === prev2) stretched = true;
    prev2 = prev1;
    prev1 = c;
    h = Math.imul(h ^ c, 0x01000193);
    if (inner) continue;
    shape.end = i + 1;
    shape.hash = h;
    shape.stretched = stretched;
    shape.apostrophe = apostrophe;
  }
  shape.upper = upper;
  shape.lower = lower;
  return true;
}

/**
 * Looks the word text[from, end) up by its lowercased form. An ASCII word (’ allowed) is hashed and
 * probed in place (model.wordTable) and copied out only when the lexicon does not know it; any other
 * word is lowercased and looked up in the Map. Returns one shared object, valid until the next call.
 */
export function lookUpWord(text: string, from: number, end: number, model: ScoringModel): FoundWord {
  if (scanAsciiWord(text, from, end) && SHAPE.end === end) return lookUpShape(text, from, end, model);
  // Beyond ASCII: toLowerCase knows the cases of every script (and costs ~90 ns on such a string).
  const found = FOUND;
  const surface = text.slice(from, end);
  let key = surface.toLowerCase();
  if (key.includes('’')) key = key.replaceAll('’', "'");
  found.key = key;
  found.hash = hashSpan(key, 0, key.length);
  found.info = model.lexicon.get(key);
  found.caps = capsOf(surface);
  found.stretched = true; // collapseStretched checks for itself
  return found;
}

/** lookUpWord for the ASCII word text[from, end) that scanAsciiWord just described in SHAPE. */
export function lookUpShape(text: string, from: number, end: number, model: ScoringModel): FoundWord {
  const found = FOUND;
  const shape = SHAPE;
  const table = model.wordTable;
  const e = table.find(text, from, end, shape.hash);
  found.hash = shape.hash;
  if (e >= 0) {
    found.key = table.words[e]!;
    found.info = table.values[e];
  } else {
    let key = text.slice(from, end);
    if (shape.upper) key = key.toLowerCase();
    if (shape.apostrophe) key = key.replaceAll('’', "'");
    found.key = key;
    found.info = undefined;
  }
  found.caps = shape.upper && !shape.lower;
  found.stretched = shape.stretched;
  return found;
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

/** word-table.ts's foldHash(text.slice(from, end)) without the slice (its steps inlined, as above). */
export function hashSpan(text: string, from: number, end: number): number {
  let h = SEED;
  for (let i = from; i < end; i++) {
    let c = text.charCodeAt(i);
    if (c >= 65 && c <= 90) c |= 0x20;
    else if (c === 0x2019) c = 39;
    h = Math.imul(h ^ c, 0x01000193);
  }
  return h;
}
