import type { SymbolCode } from './types.js';
import { createWordTable, FOLD_HASH_SEED, type WordTable } from './word-table.js';

/** What makes a tweet count for a symbol: `$TAG` cashtags, `#tag` hashtags, plain keywords. */
export interface SymbolTerms {
  readonly cashtags: readonly string[];
  readonly hashtags: readonly string[];
  readonly keywords: readonly string[];
}

export type SymbolMap = Readonly<Record<SymbolCode, SymbolTerms>>;

/** The default symbols. Ambiguous plain words ("sol", "ada", "ether") are only counted as tags. */
export const DEFAULT_SYMBOL_MAP: SymbolMap = {
  BTC: { cashtags: ['BTC'], hashtags: ['bitcoin', 'btc'], keywords: ['bitcoin', 'btc'] },
  ETH: { cashtags: ['ETH'], hashtags: ['ethereum', 'eth'], keywords: ['ethereum', 'eth'] },
  SOL: { cashtags: ['SOL'], hashtags: ['solana', 'sol'], keywords: ['solana'] },
  ADA: { cashtags: ['ADA'], hashtags: ['cardano', 'ada'], keywords: ['cardano'] },
  DOGE: { cashtags: ['DOGE'], hashtags: ['dogecoin', 'doge'], keywords: ['dogecoin', 'doge'] },
  XRP: { cashtags: ['XRP'], hashtags: ['xrp', 'ripple'], keywords: ['xrp', 'ripple'] },
};

/** A compiled symbol map: one lookup per word of the text. Build once, share freely (immutable). */
export interface SymbolMatcher {
  readonly symbols: readonly SymbolCode[];
  readonly terms: ReadonlyMap<string, readonly SymbolCode[]>;
  /** The terms again, probed with a word of the text in place: no word is copied out to be looked up. */
  readonly table: WordTable<readonly SymbolCode[]>;
  /**
   * A 4,096-bit filter with bit termSlot(hash) set for each term: a word whose bit is clear is no term,
   * so most words of a text are passed over with one read instead of a probe of the table. 512 bytes,
   * so it stays in cache between tweets where a byte per slot did not (never written after construction).
   */
  readonly termBits: Uint32Array;
}

// word-table.ts's foldHashStep, kept local: it runs per character, and a call into another module
// goes through an export getter when the code runs under tsx.
const SEED = FOLD_HASH_SEED;

function fnvStep(h: number, c: number): number {
  return Math.imul(h ^ c, 0x01000193);
}

function termSlot(h: number): number {
  return ((h >>> 16) ^ h) & 4095;
}

const TERM = /^[a-z0-9_]+$/;

/** Compiles a symbol map; throws RangeError on a term that could never match a word. */
export function createSymbolMatcher(map: SymbolMap = DEFAULT_SYMBOL_MAP): SymbolMatcher {
  const terms = new Map<string, SymbolCode[]>();
  const add = (term: string, symbol: SymbolCode): void => {
    const list = terms.get(term) ?? [];
    if (!list.includes(symbol)) list.push(symbol);
    terms.set(term, list);
  };
  for (const [symbol, t] of Object.entries(map)) {
    for (const [prefix, list] of [
      ['$', t.cashtags],
      ['#', t.hashtags],
      ['', t.keywords],
    ] as const) {
      for (const raw of list) {
        const term = raw.replace(/^[$#]/, '').toLowerCase();
        if (!TERM.test(term)) throw new RangeError(`symbol ${symbol}: term "${raw}" is not a single word`);
        add(prefix + term, symbol);
      }
    }
  }
  const termBits = new Uint32Array(4096 / 32);
  for (const term of terms.keys()) {
    let h = SEED;
    for (let i = 0; i < term.length; i++) h = fnvStep(h, term.charCodeAt(i));
    const slot = termSlot(h);
    termBits[slot >>> 5]! |= 1 << (slot & 31);
  }
  return { symbols: Object.keys(map).sort(), terms, table: createWordTable(terms), termBits };
}

export interface SymbolMatch {
  /** Symbols found, sorted and unique. */
  readonly symbols: readonly SymbolCode[];
  /** Distinct cashtags in the text, mapped or not (for the cashtag-stuffing heuristic). */
  readonly cashtags: number;
}

function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95;
}

// The word at `other` is the same as the `length` characters at `start` (and ends there).
function sameWord(s: string, other: number, start: number, length: number): boolean {
  for (let k = 0; k < length; k++) if (s.charCodeAt(other + k) !== s.charCodeAt(start + k)) return false;
  return !isWordChar(s.charCodeAt(other + length));
}

/**
 * Finds the symbols a text talks about, on word boundaries and ignoring case: `$BTC`, `#Bitcoin`
 * and `bitcoin` all count; "method" does not count for "eth".
 *
 * Example: matchSymbols('$btc and #ethereum!', createSymbolMatcher()) -> { symbols: ['BTC','ETH'], cashtags: 1 }
 * Cost: O(text length); no word is copied out.
 */
export function matchSymbols(text: string, matcher: SymbolMatcher): SymbolMatch {
  return matchLowerCase(text.toLowerCase(), matcher);
}

/** {@link matchSymbols} for a text the caller already lower-cased. */
export function matchLowerCase(s: string, matcher: SymbolMatcher): SymbolMatch {
  // Built from a one-element literal: push on an empty array reserves room for 17 (usually one symbol).
  let found: SymbolCode[] | null = null;
  // Where each distinct cashtag starts (its end is the next non-word character).
  let cashtags: number[] | null = null;
  const n = s.length;
  let i = 0;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (!isWordChar(c) && c !== 36 && c !== 35) {
      i++;
      continue;
    }
    // A token starts here: optional $ or # then word characters; the preceding char is a non-word.
    const start = i;
    const sigil = c === 36 || c === 35;
    let h = fnvStep(SEED, c);
    i++;
    for (let d = s.charCodeAt(i); i < n && isWordChar(d); d = s.charCodeAt(++i)) h = fnvStep(h, d);
    const bodyStart = sigil ? start + 1 : start;
    if (i === bodyStart) continue;
    if (start > 0 && isWordChar(s.charCodeAt(start - 1))) continue;
    const second = s.charCodeAt(start + 1);
    if (c === 36 && !(second >= 48 && second <= 57)) {
      cashtags ??= [];
      let seen = false;
      for (let k = 0; k < cashtags.length && !seen; k++) seen = sameWord(s, cashtags[k]!, start, i - start);
      if (!seen) cashtags.push(start);
    }
    const slot = termSlot(h);
    if ((matcher.termBits[slot >>> 5]! & (1 << (slot & 31))) === 0) continue;
    const term = matcher.table.find(s, start, i, h);
    if (term < 0) continue;
    for (const symbol of matcher.table.values[term]!) {
      if (found === null) found = [symbol];
      else if (!found.includes(symbol)) found.push(symbol);
    }
  }
  if (found === null) return { symbols: [], cashtags: cashtags === null ? 0 : cashtags.length };
  if (found.length > 1) found.sort();
  return { symbols: found, cashtags: cashtags === null ? 0 : cashtags.length };
}
