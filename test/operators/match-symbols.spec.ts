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
});
