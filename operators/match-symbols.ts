import type { SymbolCode } from './types.js';

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
  return { symbols: Object.keys(map).sort(), terms };
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

/**
 * Finds the symbols a text talks about, on word boundaries and ignoring case: `$BTC`, `#Bitcoin`
 * and `bitcoin` all count; "method" does not count for "eth".
 *
 * Example: matchSymbols('$btc and #ethereum!', createSymbolMatcher()) -> { symbols: ['BTC','ETH'], cashtags: 1 }
 * Cost: O(text length), one small allocation per word that looks like a term.
 */
export function matchSymbols(text: string, matcher: SymbolMatcher): SymbolMatch {
  return matchLowerCase(text.toLowerCase(), matcher);
}

/** {@link matchSymbols} for a text the caller already lower-cased. */
export function matchLowerCase(s: string, matcher: SymbolMatcher): SymbolMatch {
  const found: SymbolCode[] = [];
  let cashtags: string[] | null = null;
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
    i++;
    while (i < n && isWordChar(s.charCodeAt(i))) i++;
    const bodyStart = sigil ? start + 1 : start;
    if (i === bodyStart) continue;
    if (start > 0 && isWordChar(s.charCodeAt(start - 1))) continue;
    const token = s.slice(start, i);
    const second = s.charCodeAt(start + 1);
    if (c === 36 && !(second >= 48 && second <= 57)) {
      cashtags ??= [];
      if (!cashtags.includes(token)) cashtags.push(token);
    }
    const hits = matcher.terms.get(token);
    if (hits !== undefined) for (const h of hits) if (!found.includes(h)) found.push(h);
  }
  if (found.length > 1) found.sort();
  return { symbols: found, cashtags: cashtags === null ? 0 : cashtags.length };
}
