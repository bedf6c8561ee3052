import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { htmlText, xPlainText } from '../../operators/html-text.js';

describe('htmlText', () => {
  it('strips tags and keeps hashtag and mention links as their text', () => {
    const html =
      '<p>up <a href="https://m.s/tags/btc" class="mention hashtag" rel="tag">#<span>BTC</span></a> ' +
      '<span class="h-card"><a href="https://m.s/@al" class="u-url mention">@<span>al</span></a></span></p>';
    expect(htmlText(html)).toBe('up #BTC @al');
  });

  it('turns <br> into a line break and paragraphs into a blank line', () => {
    expect(htmlText('<p>one<br>two<br />three</p><p>four</p>')).toBe('one\ntwo\nthree\n\nfour');
  });

  it('gives shortened links whole (Mastodon hides their ends in invisible spans)', () => {
    const link =
      '<a href="https://example.com/long/path"><span class="invisible">https://</span>' +
      '<span class="ellipsis">example.com/lo</span><span class="invisible">ng/path</span></a>';
    expect(htmlText(`<p>see ${link}</p>`)).toBe('see https://example.com/long/path');
  });

  it('decodes named, decimal and hex entities; invalid code points read as U+FFFD', () => {
    expect(htmlText('a &amp; b &lt;c&gt; &quot;d&quot; &#39;e&#39; &#x1F680; &#128640; &hellip;')).toBe(
      'a & b <c> "d" \'e\' 🚀 🚀 …',
    );
    expect(htmlText('&#0; &#xD800; &#x110000;')).toBe('\ufffd \ufffd \ufffd');
  });

  it('leaves what is no entity as text', () => {
    expect(htmlText('AT&T &unknown; & &#; &#xZZ;')).toBe('AT&T &unknown; & &#; &#xZZ;');
  });

  it('collapses whitespace as a browser does and trims the ends', () => {
    expect(htmlText('  <p>  a \n\t b  </p>\n<p> c </p> ')).toBe('a b\n\nc');
  });

  it('skips comments and script or style content; an unclosed < is text', () => {
    expect(htmlText('a<!-- hidden -->b<script>x<y</script>c<STYLE>p{}</style>d')).toBe('abcd');
    expect(htmlText('1 < 2 and $BTC')).toBe('1 < 2 and $BTC');
  });

  it('stays linear on hostile input (no backtracking)', () => {
    const hostile = `${'&#'.repeat(100_000)}x${'<p'.repeat(50_000)}>${'<script>'.repeat(20_000)}`;
    const started = performance.now();
    htmlText(hostile);
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe('htmlText on any input', () => {
  it('never throws, and the text is never longer than the HTML', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        const text = htmlText(s);
        return typeof text === 'string' && text.length <= s.length;
      }),
    );
  });
});

describe('xPlainText', () => {
  it('decodes the three escapes X applies, once, and nothing else', () => {
    expect(xPlainText('$BTC &amp; $ETH &lt;3 &gt;&gt; &amp;lt; &quot; &#36; &')).toBe(
      '$BTC & $ETH <3 >> &lt; &quot; &#36; &',
    );
    const plain = 'no ampersand here';
    expect(xPlainText(plain)).toBe(plain);
  });

  it('inverts X escaping for any text', () => {
    const escapedByX = (t: string) =>
      t.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
    fc.assert(fc.property(fc.string(), (t) => xPlainText(escapedByX(t)) === t));
  });
});
