/**
 * The text a reader sees in a Mastodon status's `content` (sanitised HTML): tags stripped, `<br>` a line
 * break, paragraphs separated by a blank line, entities decoded (named, decimal, hex), whitespace
 * collapsed as a browser does. Hashtag and mention links keep their text (`#<span>btc</span>` -> `#btc`);
 * Mastodon's shortened links (`<span class="invisible">https://</span>...`) come out whole.
 *
 * One left-to-right pass: each `<` looks for its `>` once and the scan resumes after it; an unclosed `<`
 * is text. No regular expression, so no input can make it backtrack: O(length) in time and output.
 *
 * Example: htmlText('<p>$BTC &amp; <a href="…" class="mention hashtag">#<span>eth</span></a></p><p>up</p>')
 *   -> '$BTC & #eth\n\nup'
 */

const NAMED: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  hellip: '…',
  mdash: '—',
  ndash: '–',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  laquo: '«',
  raquo: '»',
  euro: '€',
  pound: '£',
  yen: '¥',
  cent: '¢',
  copy: '©',
  reg: '®',
  trade: '™',
  times: '×',
  middot: '·',
  bull: '•',
};

// Elements whose content is not text a reader sees.
const HIDDEN = new Set(['script', 'style', 'template']);
// Block elements: a line break before and after.
const BLOCK = new Set(['div', 'blockquote', 'li', 'ul', 'ol', 'pre', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
const LONGEST_ENTITY = 32;

export function htmlText(html: string): string {
  let out = '';
  // Whitespace seen since the last visible character, emitted only when more text follows.
  let space = false;
  // Line breaks owed before the next text (the larger request wins: '</p><p>' owes 2, '<br>' 1).
  let breaks = 0;
  const emit = (piece: string): void => {
    if (out !== '') {
      if (breaks > 0) out += breaks === 1 ? '\n' : '\n\n';
      else if (space) out += ' ';
    }
    breaks = 0;
    space = false;
    out += piece;
  };
  const n = html.length;
  let i = 0;
  let runStart = 0;
  // Text between markup, in runs copied with one slice each.
  const flushRun = (end: number): void => {
    if (end > runStart) textRun(html.slice(runStart, end));
  };
  const textRun = (run: string): void => {
    let start = -1;
    for (let k = 0; k < run.length; k++) {
      const c = run.charCodeAt(k);
      if (c === 32 || c === 9 || c === 10 || c === 13 || c === 12) {
        if (start >= 0) {
          emit(run.slice(start, k));
          start = -1;
        }
        space = true;
      } else if (start < 0) start = k;
    }
    if (start >= 0) emit(run.slice(start));
  };
  while (i < n) {
    const c = html.charCodeAt(i);
    if (c === 60 /* < */) {
      const close = html.indexOf('>', i + 1);
      if (close < 0) break; // an unclosed '<' and the rest are text
      flushRun(i);
      if (html.startsWith('<!--', i)) {
        const end = html.indexOf('-->', i + 4);
        i = end < 0 ? n : end + 3;
        runStart = i;
        continue;
      }
      const { name, closing } = tagName(html, i + 1, close);
      i = close + 1;
      if (!closing && HIDDEN.has(name)) {
        const end = closingTag(html, name, i);
        const gt = end < 0 ? -1 : html.indexOf('>', end);
        i = gt < 0 ? n : gt + 1;
      } else if (name === 'br') {
        // A break is owed even at the start: '<br>x' is one line break then x, unless nothing precedes.
        if (out !== '') breaks = Math.max(breaks, 1);
      } else if (name === 'p') {
        if (out !== '') breaks = 2;
      } else if (BLOCK.has(name)) {
        if (out !== '') breaks = Math.max(breaks, 1);
      }
      runStart = i;
      continue;
    }
    if (c === 38 /* & */) {
      const decoded = entityAt(html, i);
      if (decoded !== null) {
        flushRun(i);
        // A decoded space (&nbsp; too) is a space, not something that collapses: emit it as text.
        if (decoded.text === ' ' || decoded.text === '\u00a0') space = true;
        else emit(decoded.text);
        i = decoded.end;
        runStart = i;
        continue;
      }
    }
    i++;
  }
  flushRun(n);
  return out;
}

function tagName(html: string, from: number, to: number): { name: string; closing: boolean } {
  let i = from;
  const closing = html.charCodeAt(i) === 47; /* / */
  if (closing) i++;
  const start = i;
  while (i < to) {
    const c = html.charCodeAt(i) | 0x20;
    if (!((c >= 97 && c <= 122) || (c >= 48 && c <= 57 && i > start))) break;
    i++;
  }
  return { name: html.slice(start, i).toLowerCase(), closing };
}

/** Where `</name` next starts (any case), from `from`; -1 when never. */
function closingTag(html: string, name: string, from: number): number {
  for (let at = html.indexOf('</', from); at >= 0; at = html.indexOf('</', at + 2)) {
    if (html.slice(at + 2, at + 2 + name.length).toLowerCase() === name) return at;
  }
  return -1;
}

/** The entity starting at `at` ('&'), decoded, and where it ends; null when it is no entity. */
function entityAt(html: string, at: number): { text: string; end: number } | null {
  // The ';' is looked for within the longest entity only: a run of bare '&' stays linear.
  let semi = -1;
  const limit = Math.min(html.length, at + LONGEST_ENTITY);
  for (let k = at + 1; k < limit && semi < 0; k++) if (html.charCodeAt(k) === 59) semi = k;
  if (semi < 0) return null;
  const body = html.slice(at + 1, semi);
  if (body.charCodeAt(0) === 35 /* # */) {
    const hex = body.charCodeAt(1) === 120 || body.charCodeAt(1) === 88; /* x X */
    const digits = body.slice(hex ? 2 : 1);
    if (digits === '' || !(hex ? /^[0-9a-fA-F]{1,8}$/ : /^[0-9]{1,10}$/).test(digits)) return null;
    const code = Number.parseInt(digits, hex ? 16 : 10);
    // NUL, surrogates and anything past Unicode read as U+FFFD, as browsers do.
    const valid = code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff);
    return { text: valid ? String.fromCodePoint(code) : '\ufffd', end: semi + 1 };
  }
  const named = Object.hasOwn(NAMED, body) ? NAMED[body] : undefined;
  return named === undefined ? null : { text: named, end: semi + 1 };
}

const X_ESCAPED = /&(amp|lt|gt);/g;

/**
 * X's post text as written: X returns it as plain text with `&`, `<` and `>` escaped as `&amp;`, `&lt;`
 * and `&gt;` (those three only; a `&quot;` a user typed arrives as `&amp;quot;`). One pass, so an
 * escaped entity stays what the user typed.
 *
 * Example: xPlainText('$BTC &amp; $ETH &lt;3 &amp;lt;') -> '$BTC & $ETH <3 &lt;'
 */
export function xPlainText(text: string): string {
  return text.includes('&') ? text.replace(X_ESCAPED, (_, name: string) => NAMED[name]!) : text;
}
