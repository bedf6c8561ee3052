/**
 * The learned scorer's features (learned-scorer.ts): each token the lexicon scorer found (word, emoji,
 * emoticon, as looked up), each pair of neighbouring tokens, each cashtag, and one each for "has a URL",
 * "has a mention", "has !" and "has ?", hashed into one of 2^bits buckets by Fibonacci hashing of
 * word-table.ts's fold hash (already computed per token by the tokenizer). A bucket counts once per hit.
 * Cost: a few integer multiplications per token; weightSum allocates nothing.
 */
import type { Tokens } from './token-arrays.js';

/** Feature buckets of one text and, for explanations, what each came from: (token << 2) | kind. */
export interface FeatureBuffer {
  index: Int32Array;
  origin: Int32Array;
  count: number;
}

const WORD = 0;
const PAIR = 1;
const TAG = 2;
const FLAG = 3;
const FLAGS = ['url', 'mention', '!', '?'] as const;

/** What the feature at `origin` (FeatureBuffer.origin) is, for people: a token, a pair, a cashtag or a flag. */
export function featureName(t: Tokens, origin: number): string {
  const at = origin >> 2;
  const kind = origin & 3;
  if (kind === WORD) return t.keys[at]!;
  if (kind === PAIR) return `${t.keys[at - 1]} ${t.keys[at]}`;
  return kind === TAG ? `cashtag #${at + 1}` : FLAGS[at]!;
}

export function createFeatureBuffer(): FeatureBuffer {
  return { index: new Int32Array(256), origin: new Int32Array(256), count: 0 };
}

// Bucket of each kind of feature: Fibonacci hashing (× 2^32/φ, top `bits` bits) of the token's fold hash,
// salted per kind. Both loops below (the buffer for training and explanations, the sum for scoring) use
// these, and a spec checks they agree.
const GOLDEN = 0x9e3779b1;
function wordBucket(h: number, shift: number): number {
  return Math.imul(h, GOLDEN) >>> shift;
}
function pairBucket(previous: number, h: number, shift: number): number {
  return Math.imul((Math.imul(previous ^ 0x5bd1e995, 0x01000193) + h) | 0, GOLDEN) >>> shift;
}
function tagBucket(h: number, shift: number): number {
  return Math.imul(h ^ 0x27d4eb2f, GOLDEN) >>> shift;
}
function flagBucket(flag: number, shift: number): number {
  return Math.imul(0x3c6ef372 + flag, GOLDEN) >>> shift;
}

/** The feature buckets of tokenized text, into `buf` (grown when too small); returns `buf`. */
export function textFeatures(t: Tokens, bits: number, buf: FeatureBuffer): FeatureBuffer {
  const need = 2 * t.count + t.tagCount + FLAGS.length;
  if (buf.index.length < need) {
    buf.index = new Int32Array(need * 2);
    buf.origin = new Int32Array(need * 2);
  }
  const shift = 32 - bits;
  const { index, origin } = buf;
  const hashes = t.hashes;
  let n = 0;
  for (let i = 0; i < t.count; i++) {
    index[n] = wordBucket(hashes[i]!, shift);
    origin[n++] = (i << 2) | WORD;
    if (i > 0) {
      index[n] = pairBucket(hashes[i - 1]!, hashes[i]!, shift);
      origin[n++] = (i << 2) | PAIR;
    }
  }
  for (let j = 0; j < t.tagCount; j++) {
    index[n] = tagBucket(t.tags[j]!, shift);
    origin[n++] = (j << 2) | TAG;
  }
  const flags = [t.urls, t.mentions, t.exclamations, t.questions] as const;
  for (let f = 0; f < FLAGS.length; f++) {
    if (flags[f] === 0) continue;
    index[n] = flagBucket(f, shift);
    origin[n++] = (f << 2) | FLAG;
  }
  buf.count = n;
  return buf;
}

/** The sum of the (unscaled) weights of textFeatures' buckets, taken in place: no buffer, no allocation. */
export function weightSum(t: Tokens, weights: Int8Array, bits: number): number {
  const shift = 32 - bits;
  const hashes = t.hashes;
  let s = 0;
  let previous = 0;
  for (let i = 0; i < t.count; i++) {
    const h = hashes[i]!;
    s += weights[wordBucket(h, shift)]!;
    if (i > 0) s += weights[pairBucket(previous, h, shift)]!;
    previous = h;
  }
  for (let j = 0; j < t.tagCount; j++) s += weights[tagBucket(t.tags[j]!, shift)]!;
  if (t.urls > 0) s += weights[flagBucket(0, shift)]!;
  if (t.mentions > 0) s += weights[flagBucket(1, shift)]!;
  if (t.exclamations > 0) s += weights[flagBucket(2, shift)]!;
  if (t.questions > 0) s += weights[flagBucket(3, shift)]!;
  return s;
}
