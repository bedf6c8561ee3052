/**
 * Tokenizing for the scorer, in one pass over the tokens natural's RegexpTokenizer would give (found
 * by scan-tokens.ts, which gives the same tokens without a regex): words are lowercased and
 * looked up, emoticons and emoji get their valence, and punctuation only counts (! and ?) and marks
 * clause boundaries (. , ; : ! ? and contrast words) that limit the reach of negation.
 * Mentions, cashtags, URLs and one-character words are skipped (VADER skips singletons too).
 */
import { scanToken, type TokenSpan, urlPrefixAt } from './scan-tokens.js';
import type { ScoringModel } from './score-model.js';
import {
  collapseStretched,
  type FoundWord,
  hashSpan,
  lookUpShape,
  lookUpWord,
  SHAPE,
  scanAsciiWord,
} from './score-words.js';
import { createTokens, type Tokens } from './token-arrays.js';
import type { WordInfo } from './word-info.js';

export { createTokens, type Tokens } from './token-arrays.js';

/** Token flag: written in capitals (and not an acronym that is always capitalised). */
export const CAPS = 1;

// pushToken lives here, not beside Tokens: it runs per token, and a call into another module is not
// inlined under tsx (the benches): it cost this loop a quarter.
function pushToken(
  t: Tokens,
  key: string,
  hash: number,
  value: number,
  flags: number,
  clause: number,
  info: WordInfo | null,
): void {
  const i = t.count++;
  t.keys[i] = key;
  t.hashes[i] = hash;
  t.values[i] = value;
  t.flags[i] = flags;
  t.clauses[i] = clause;
  t.infos[i] = info;
}

/** Adds a word token (its lexicon entry, caps flag, clause) and returns the clause after it. */
function addWord(
  t: Tokens,
  found: FoundWord,
  prefixed: boolean,
  clause: number,
  model: ScoringModel,
): number {
  let key = found.key;
  let hash = found.hash;
  let info = found.info;
  // Unknown as a word, booster or phrase start: maybe a stretched word ("goooood").
  if (
    found.stretched &&
    (info === undefined || (info.value === undefined && !info.isBooster && info.phrases === undefined))
  ) {
    const collapsed = collapseStretched(key, model);
    if (collapsed !== key) {
      key = collapsed;
      hash = hashSpan(key, 0, key.length);
      info = model.lexicon.get(key);
    }
  }
  let flags = 0;
  if (!prefixed && found.caps && !info?.conventionalCaps) {
    flags = CAPS;
    t.capsWords++;
  }
  let at = clause;
  if (info?.contrast) {
    if (t.contrastAt < 0) t.contrastAt = t.count;
    at++;
  }
  pushToken(t, key, hash, info?.value ?? 0, flags, at, info ?? null);
  return at;
}

/** Tokenizes `text` into `t` (reset first; a fresh one by default) and returns it. */
export function tokenize(text: string, model: ScoringModel, t: Tokens = createTokens()): Tokens {
  t.count = 0;
  t.tagCount = 0;
  t.urls = 0;
  t.mentions = 0;
  t.exclamations = 0;
  t.questions = 0;
  t.capsWords = 0;
  t.contrastAt = -1;
  const lexicon = model.lexicon;
  let clause = 0;
  const span: TokenSpan = { start: 0, end: 0, url: false };
  const n = text.length;
  for (let from = 0; ; ) {
    // Most tokens are plain ASCII words after a space: scanned, hashed and looked up in one pass.
    let p = from;
    while (p < n && text.charCodeAt(p) === 32) p++;
    const first = p < n ? text.charCodeAt(p) : -1;
    if (
      first < 128 &&
      isAlnumStart(first) &&
      !(first === 104 && urlPrefixAt(text, p) > 0) &&
      scanAsciiWord(text, p, n)
    ) {
      from = SHAPE.end;
      if (from - p >= 2) clause = addWord(t, lookUpShape(text, p, from, model), false, clause, model);
      continue;
    }
    if (!scanToken(text, p, span)) break;
    from = span.end;
    const c0 = text.charCodeAt(span.start);
    // URLs, mentions and cashtags carry no lexicon sentiment: counted (cashtags hashed for the learned
    // model) and skipped before their text is copied out.
    if (span.url || ((c0 === 64 || c0 === 36) && span.end - span.start > 1)) {
      countSkipped(t, text, span, c0);
      continue;
    }
    const start = span.start;
    const end = span.end;
    const prefixed = c0 === 35 || c0 === 36 || c0 === 64; // # $ @
    if (prefixed ? end - start > 1 : isAlnumStart(c0)) {
      // A word (mentions and cashtags left above): its surface is the token without the # of a hashtag.
      const surface = prefixed ? start + 1 : start;
      if (end - surface >= 2)
        clause = addWord(t, lookUpWord(text, surface, end, model), prefixed, clause, model);
      continue;
    }
    // Punctuation, symbols, emoji: an emoticon as it stands or with . , ! ? trimmed off its ends
    // (looked up only when one starts with its first character), else emoji and emphasis one by one.
    let inner = start;
    while (inner < end && isEdgePunctuation(text.charCodeAt(inner))) inner++;
    const starts = model.emoticonStarts;
    if (starts.has(c0) || starts.has(inner < end ? text.charCodeAt(inner) : -1)) {
      const m = text.slice(start, end);
      let emoticon = model.emoticons.get(m);
      if (emoticon === undefined) {
        const trimmed = trimPunctuation(m);
        if (trimmed !== m) emoticon = model.emoticons.get(trimmed);
      }
      if (emoticon !== undefined) {
        pushToken(t, m, hashSpan(text, start, end), emoticon, 0, clause, lexicon.get(m) ?? null);
        countPunctuation(m, t);
        continue;
      }
    }
    let previous = -1;
    let repeats = 0;
    // By code point, as a string iterator over the token would (a lone surrogate is one step of its own).
    for (let i = start; i < end; ) {
      let cp = text.codePointAt(i)!;
      if (cp > 0xffff && i + 1 === end) cp = text.charCodeAt(i); // a pair the token ends inside of
      const width = cp > 0xffff ? 2 : 1;
      i += width;
      if (cp === 33) t.exclamations++;
      else if (cp === 63) t.questions++;
      if (cp === 33 || cp === 63 || cp === 46 || cp === 44 || cp === 59 || cp === 58) clause++;
      const value = cp > 0x2000 ? model.emoji.get(cp) : undefined;
      if (value === undefined) {
        if (!isEmojiJoiner(cp)) previous = -1;
        continue;
      }
      // A row of the same emoji intensifies, with diminishing returns (each extra one adds 30%, up to 3).
      repeats = cp === previous ? repeats + 1 : 0;
      previous = cp;
      if (repeats === 0) {
        const ch = text.slice(i - width, i);
        pushToken(t, ch, hashSpan(text, i - width, i), value, 0, clause, lexicon.get(ch) ?? null);
      } else if (repeats <= 3) t.values[t.count - 1]! += value * 0.3;
    }
  }
  return t;
}

/** Counts a URL or mention, or hashes a cashtag, that tokenize skips (kept out of its loop's body). */
function countSkipped(t: Tokens, text: string, span: TokenSpan, c0: number): void {
  if (span.url) t.urls++;
  else if (c0 === 64) t.mentions++;
  else t.tags[t.tagCount++] = hashSpan(text, span.start, span.end);
}

// Lowercase first: most words start with one.
function isAlnumStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || (c >= 0xc0 && c < 0x2000);
}

function isEdgePunctuation(c: number): boolean {
  return c === 46 || c === 44 || c === 33 || c === 63; // . , ! ?
}

/** m without its leading and trailing runs of . , ! ? (what /^[.,!?]+|[.,!?]+$/g replaced by ''). */
function trimPunctuation(m: string): string {
  let start = 0;
  while (start < m.length && isEdgePunctuation(m.charCodeAt(start))) start++;
  if (start === m.length) return '';
  let end = m.length;
  while (isEdgePunctuation(m.charCodeAt(end - 1))) end--;
  return start === 0 && end === m.length ? m : m.slice(start, end);
}

function countPunctuation(m: string, t: Tokens): void {
  for (let i = 0; i < m.length; i++) {
    const c = m.charCodeAt(i);
    if (c === 33) t.exclamations++;
    else if (c === 63) t.questions++;
  }
}

/** Variation selector, zero-width joiner and skin tones: parts of the emoji before them. */
function isEmojiJoiner(cp: number): boolean {
  return cp === 0xfe0f || cp === 0x200d || (cp >= 0x1f3fb && cp <= 0x1f3ff);
}
