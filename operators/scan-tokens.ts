/**
 * The scorer's tokenizer, scanned by hand: it finds exactly the tokens natural's RegexpTokenizer finds
 * with the scorer's pattern (score-model.ts, TOKEN_PATTERN: /gu)
 *
 *   https?:\/\/\S+ | [@#$]?[\p{L}\p{N}](?:[\p{L}\p{N}_'’-]*[\p{L}\p{N}])? | [^\s\p{L}\p{N}]+(?:[DPpOoSsbX3](?![\p{L}\p{N}]))?
 *
 * (test/operators/scan-tokens.spec.ts checks this on arbitrary Unicode text), but reports each token as
 * a span of the text instead of a new string in a new array, so the scorer slices only what it reads.
 * Cost: O(length of text), no allocation; class tables for the BMP (64 KB) and the emoji block built once at load.
 */

const OTHER = 0;
const SPACE = 1;
const WORD = 2;

// What \s and [\p{L}\p{N}] match in a /u regex, per BMP code unit (lone surrogates are OTHER).
const BMP_CLASSES = (() => {
  const space = /\s/u;
  const word = /[\p{L}\p{N}]/u;
  const classes = new Uint8Array(65536);
  for (let c = 0; c < 65536; c++) {
    const s = String.fromCharCode(c);
    classes[c] = space.test(s) ? SPACE : word.test(s) ? WORD : OTHER;
  }
  return classes;
})();
const ASTRAL_WORD = /^[\p{L}\p{N}]$/u;
// The same for U+1F000-U+1FFFF, where the emoji are (WORD or OTHER): 4K regex tests at load, not 64K.
const EMOJI_BLOCK = 0x1f000;
const EMOJI_CLASSES = (() => {
  const classes = new Uint8Array(0x1000);
  for (let c = 0; c < 0x1000; c++)
    classes[c] = ASTRAL_WORD.test(String.fromCodePoint(EMOJI_BLOCK + c)) ? WORD : OTHER;
  return classes;
})();

/** Class of the code point starting at i (a valid surrogate pair is one astral code point; \s has none). */
function classAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c < 0xd800 || c > 0xdbff) return BMP_CLASSES[c]!;
  const cp = text.codePointAt(i)!;
  if (cp <= 0xffff) return OTHER; // lone high surrogate
  if (cp >= EMOJI_BLOCK && cp <= 0x1ffff) return EMOJI_CLASSES[cp - EMOJI_BLOCK]!;
  return ASTRAL_WORD.test(String.fromCodePoint(cp)) ? WORD : OTHER;
}

/** Width in code units of the code point starting at i. */
function widthAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c < 0xd800 || c > 0xdbff || i + 1 >= text.length) return 1;
  const d = text.charCodeAt(i + 1);
  return d >= 0xdc00 && d <= 0xdfff ? 2 : 1;
}

/** Where a token spans: text.slice(start, end); `url` when it is the https?:// alternative. */
export interface TokenSpan {
  start: number;
  end: number;
  url: boolean;
}

/** The length of the `http://` or `https://` that starts at p, else 0. */
export function urlPrefixAt(text: string, p: number): number {
  return text.startsWith('http://', p) ? 7 : text.startsWith('https://', p) ? 8 : 0;
}

/**
 * Finds the first token at or after `from`, writes it into `span` and returns true; false when none is left.
 * Like the regex's global match: whitespace is skipped, then the first alternative that matches wins.
 */
export function scanToken(text: string, from: number, span: TokenSpan): boolean {
  const n = text.length;
  let p = from;
  while (p < n && classAt(text, p) === SPACE) p++;
  if (p >= n) return false;
  span.start = p;
  span.url = false;
  const c0 = text.charCodeAt(p);
  if (c0 === 104) {
    const prefix = urlPrefixAt(text, p);
    if (prefix > 0 && p + prefix < n && classAt(text, p + prefix) !== SPACE) {
      let j = p + prefix;
      while (j < n && classAt(text, j) !== SPACE) j += widthAt(text, j);
      span.end = j;
      span.url = true;
      return true;
    }
  }
  const cls = classAt(text, p);
  if (cls === WORD) {
    span.end = wordEnd(text, p);
    return true;
  }
  if ((c0 === 64 || c0 === 35 || c0 === 36) && p + 1 < n && classAt(text, p + 1) === WORD) {
    span.end = wordEnd(text, p + 1);
    return true;
  }
  // A run of neither space nor word characters, maybe ending in an emoticon letter (":D", ";P", "<3").
  let j = p;
  while (j < n && classAt(text, j) === OTHER) j += widthAt(text, j);
  if (j < n && isEmoticonTail(text.charCodeAt(j)) && (j + 1 >= n || classAt(text, j + 1) !== WORD)) j++;
  span.end = j;
  return true;
}

// [\p{L}\p{N}](?:[\p{L}\p{N}_'’-]*[\p{L}\p{N}])? from q (a word character): up to the last word character of the run.
function wordEnd(text: string, q: number): number {
  const n = text.length;
  let j = q + widthAt(text, q);
  let last = j;
  while (j < n) {
    const c = text.charCodeAt(j);
    if (c === 95 || c === 39 || c === 0x2019 || c === 45) {
      j++;
      continue;
    }
    if (classAt(text, j) !== WORD) break;
    j += widthAt(text, j);
    last = j;
  }
  return last;
}

// D P p O o S s b X 3
function isEmoticonTail(c: number): boolean {
  return (
    c === 68 ||
    c === 80 ||
    c === 112 ||
    c === 79 ||
    c === 111 ||
    c === 83 ||
    c === 115 ||
    c === 98 ||
    c === 88 ||
    c === 51
  );
}

/** Every token of a text as strings: what the regex tokenizer returns (an empty array for none). */
export function scanTokens(text: string): string[] {
  const out: string[] = [];
  const span: TokenSpan = { start: 0, end: 0, url: false };
  for (let from = 0; scanToken(text, from, span); from = span.end) out.push(text.slice(span.start, span.end));
  return out;
}
