/**
 * 64-bit SimHash of a tweet text, for near-duplicate detection (see simhash-index.ts for the
 * bounded index over recent hashes). Plain, deterministic code; the dedupe operator wraps it.
 */

/** A 64-bit SimHash as two unsigned 32-bit halves, plus how many tokens went into it. */
export interface SimHash {
  readonly hi: number;
  readonly lo: number;
  readonly tokens: number;
}

function fmix32(h: number): number {
  let x = h ^ (h >>> 16);
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

// Word characters: a-z, A-Z, 0-9, $, #, _ and anything non-ASCII (accents, CJK, emoji halves).
function isTokenChar(c: number): boolean {
  return c > 127 || FOLD[c] !== 0;
}

// Per ASCII code: 0 for a non-word character, else the character with A-Z folded to a-z.
const FOLD = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const word =
    (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 36 || c === 35 || c === 95;
  if (word) FOLD[c] = c >= 65 && c <= 90 ? c | 0x20 : c;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13;
}

const PLANES = 8;
const MAX_TOKENS = (1 << PLANES) - 1;

// The one pass over a text's words that simhashText and leadingWordsKey share, so both see the same
// words. Each word (its two running hashes h1, h2) votes into `planes` when given, and the first
// `lead[2]` words fold into lead[0] and lead[1] when `lead` is given. Stops after `limit` words;
// returns how many it saw.
function walkWords(text: string, planes: Int32Array | null, limit: number, lead: Uint32Array | null): number {
  let tokens = 0;
  const n = text.length;
  let i = 0;
  while (i < n && tokens < limit) {
    let c = text.charCodeAt(i);
    if (!isTokenChar(c)) {
      if (c === 64) {
        // @mention: skip it whole.
        i++;
        while (i < n && isTokenChar(text.charCodeAt(i))) i++;
      } else i++;
      continue;
    }
    if (c === 104 && (text.startsWith('https://', i) || text.startsWith('http://', i))) {
      while (i < n && !isSpace(text.charCodeAt(i))) i++;
      continue;
    }
    let h1 = 0x811c9dc5;
    let h2 = 0x01000193;
    let digitsOnly = true;
    while (i < n) {
      c = text.charCodeAt(i);
      if (c < 128) {
        c = FOLD[c]!;
        if (c === 0) break;
      }
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995) ^ (h2 >>> 15);
      if (c < 48 || c > 57) digitsOnly = false;
      i++;
    }
    if (digitsOnly) continue;
    tokens++;
    const v1 = fmix32(h1);
    const v2 = fmix32(h2 ^ 0x9e3779b9);
    if (planes !== null) {
      addVote(planes, 0, v1 | 0);
      addVote(planes, PLANES, v2 | 0);
    }
    if (lead !== null && tokens <= lead[2]!) {
      lead[0] = Math.imul(lead[0]! ^ v1, 0x01000193);
      lead[1] = Math.imul(lead[1]! ^ v2, 0x5bd1e995) ^ (lead[1]! >>> 15);
    }
  }
  return tokens;
}

/**
 * SimHash over the words of a text, ignoring case, URLs, @mentions, punctuation and pure numbers:
 * the parts copy-paste spam varies between copies. Each word votes on 64 bits; a bit is set when
 * most words' hashes have it set. Votes are counted in bit-sliced counters (8 bit-planes per
 * 32-bit half), so a word costs a handful of bitwise operations instead of 64 increments;
 * words past the 255th are ignored.
 *
 * Example: simhashText('Free $BTC for all! https://t.co/x') equals simhashText('free $btc for all')
 * Cost: O(length of text) time, constant memory.
 */
export function simhashText(text: string, scratch?: Int32Array): SimHash {
  // Bit-planes 0..7 count votes for the low half, 8..15 for the high half. A caller that hashes
  // many texts may pass its own 16-slot scratch array to save an allocation per call.
  const planes = scratch ?? new Int32Array(2 * PLANES);
  planes.fill(0);
  const tokens = walkWords(text, planes, MAX_TOKENS, null);
  return { hi: majority(planes, PLANES, tokens), lo: majority(planes, 0, tokens), tokens };
}

/**
 * A 53-bit hash (in decimal) of a text's first `words` words, seen as simhashText sees them
 * (case, URLs, @mentions, punctuation and pure numbers ignored), or null when the text has fewer.
 * Copies of a post that differ only after their opening words (a link or tags appended, a tail
 * cut off) share it, which lets ingest send them to one partition, where dedupe compares them.
 *
 * Example: leadingWordsKey('$BTC to the MOON, friends! https://x.y', 4) === leadingWordsKey('@al $btc to the moon', 4)
 * Cost: O(length of the first `words` words).
 */
export function leadingWordsKey(text: string, words: number): string | null {
  const lead = LEAD;
  lead[0] = 0x6a09e667;
  lead[1] = 0xbb67ae85;
  lead[2] = words;
  if (walkWords(text, null, words, lead) < words) return null;
  // 53 bits in decimal: V8 prints an integer in decimal several times faster than in hex.
  return String(fmix32(lead[0]!) * 0x200000 + (fmix32(lead[1]! ^ lead[0]!) >>> 11));
}

// leadingWordsKey's running hashes and word count (it is synchronous: calls never overlap).
const LEAD = new Uint32Array(3);

// Adds one to the 32 vertical counters at the bits set in `word` (ripple carry through the planes).
function addVote(planes: Int32Array, from: number, word: number): void {
  let carry = word;
  for (let k = from; carry !== 0 && k < from + PLANES; k++) {
    const plane = planes[k]!;
    planes[k] = plane ^ carry;
    carry &= plane;
  }
}

// Bit b of the result is set when the b-th vertical counter exceeds tokens / 2, i.e. count * 2 > tokens.
// A bit-sliced comparison of all 32 counters against floor(tokens / 2), most significant plane first.
function majority(planes: Int32Array, from: number, tokens: number): number {
  const half = tokens >>> 1;
  let greater = 0;
  let equal = -1;
  for (let k = PLANES - 1; k >= 0; k--) {
    const plane = planes[from + k]!;
    if (((half >>> k) & 1) === 0) {
      greater |= equal & plane;
      equal &= ~plane;
    } else equal &= plane;
  }
  return greater >>> 0;
}

export function popcount32(v: number): number {
  let x = v - ((v >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

export function hammingDistance(a: SimHash, b: SimHash): number {
  return popcount32((a.hi ^ b.hi) >>> 0) + popcount32((a.lo ^ b.lo) >>> 0);
}
