import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSymbolMatcher, matchSymbols } from '../../operators/match-symbols.js';

const matcher = createSymbolMatcher();

describe('matchSymbols', () => {
  it.each([
    ['$BTC breaking out', ['BTC']],
    ['#Bitcoin is king', ['BTC']],
    ['bitcoin to 200k', ['BTC']],
    ['BTC and $eth, plus #solana', ['BTC', 'ETH', 'SOL']],
    ['$XRP $xrp ripple', ['XRP']],
    ['doge and #dogecoin', ['DOGE']],
    ['#cardano fans', ['ADA']],
    ['the method is sound', []],
    ['ethical investing', []],
    ['solar panels and adapters', []],
    ['sol is the sun in spanish, ada is a name', []],
    ['bitcoins (plural) are not the keyword', []],
    ['mybtc wallet', []],
    ['$BTCUSD pair', []],
    ['', []],
  ])('%s -> %j', (text, symbols) => {
    expect(matchSymbols(text, matcher).symbols).toEqual(symbols);
  });

  it('counts distinct cashtags, mapped or not, ignoring dollar amounts', () => {
    expect(matchSymbols('$BTC $BTC $PEPE $SHIB $5 $100', matcher).cashtags).toBe(3);
  });

  it('uses a custom map', () => {
    const custom = createSymbolMatcher({
      LINK: { cashtags: ['LINK'], hashtags: ['chainlink'], keywords: ['chainlink'] },
    });
    expect(matchSymbols('$link and #Chainlink, not $BTC', custom).symbols).toEqual(['LINK']);
  });

  it('rejects a term that is not a single word', () => {
    expect(() => createSymbolMatcher({ X: { cashtags: [], hashtags: [], keywords: ['two words'] } })).toThrow(
      RangeError,
    );
  });

  it('finds what a regex over the lowercase words finds, for any mix of tags, words and noise', () => {
    const piece = fc.constantFrom(
      '$BTC',
      '$btc',
      '#Bitcoin',
      'BITCOIN',
      'bitcoin',
      'methods',
      '$5',
      '$5k',
      '$PEPE',
      '$pepe',
      'eth',
      'Eth!',
      'a$btc',
      'x#eth',
      '$$sol',
      '#',
      '$',
      '_doge',
      'doge_',
      'ripple,',
      'Ünïcode',
      '🚀',
      '$ＢＴＣ',
    );
    const text = fc
      .array(fc.tuple(piece, fc.constantFrom(' ', '', '.', '\n')), { maxLength: 10 })
      .map((parts) => parts.map(([p, sep]) => p + sep).join(''));
    fc.assert(
      fc.property(text, (t) => {
        const s = t.toLowerCase();
        const symbols = new Set<string>();
        const cashtags = new Set<string>();
        for (const m of s.matchAll(/[$#]?[a-z0-9_]+/g)) {
          if (m.index > 0 && /[a-z0-9_]/.test(s[m.index - 1]!)) continue;
          if (m[0].startsWith('$') && !/^\$\d/.test(m[0])) cashtags.add(m[0]);
          for (const symbol of matcher.terms.get(m[0]) ?? []) symbols.add(symbol);
        }
        const match = matchSymbols(t, matcher);
        expect(match.symbols).toEqual([...symbols].sort());
        expect(match.cashtags).toBe(cashtags.size);
      }),
      { numRuns: 3000 },
    );
  });
});
