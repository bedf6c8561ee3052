import { describe, expect, it } from 'vitest';
import { createRuleMatcher, type PostFacts, RuleSyntaxError } from '../../../pipeline/sources/rule-match.js';
import { DEFAULT_RULES } from '../../../pipeline/sources/x-rules.js';

const post = (text: string, more: Partial<PostFacts> = {}): PostFacts => ({
  text,
  hashtags: [],
  langs: ['en'],
  hasLinks: false,
  hasMentions: false,
  isReply: false,
  isQuote: false,
  isRepost: false,
  ...more,
});

describe('createRuleMatcher (X rule syntax, evaluated locally)', () => {
  it.each([
    ['$BTC', 'buying $btc today', true],
    ['$BTC', 'buying $BTCX today', false],
    ['$BTC', 'BTC without the dollar', false],
    ['bitcoin', 'Bitcoin!', true],
    ['bitcoin', 'bitcoiner vibes', false],
    ['#eth', 'gm #ETH fam', true],
    ['"to the moon"', 'ETH to   the moon', true],
    ['"to the moon"', 'the moon to', false],
    ['$BTC OR bitcoin', 'bitcoin only', true],
    ['$BTC ethereum', '$BTC only', false],
    ['$BTC ethereum', 'ethereum and $BTC', true],
    ['($BTC OR bitcoin) -scam', 'bitcoin scam alert', false],
    ['($BTC OR bitcoin) -scam', 'bitcoin rally', true],
    ['$ETH OR ethereum $BTC', 'ethereum', false], // AND binds before OR: $ETH OR (ethereum $BTC)
    ['bitcoin lang:de', 'bitcoin', false],
    ['bitcoin has:links', 'bitcoin', false],
  ])('%s on "%s" -> %s', (rule, text, expected) => {
    expect(createRuleMatcher([{ value: rule, tag: 'T' }]).match(post(text))).toEqual(expected ? ['T'] : []);
  });

  it('matches hashtags from facets and tells replies and reposts apart', () => {
    const m = createRuleMatcher([
      { value: '#solana -is:reply', tag: 'SOL' },
      { value: 'bitcoin -is:retweet', tag: 'BTC' },
    ]);
    expect(m.match(post('gm', { hashtags: ['Solana'] }))).toEqual(['SOL']);
    expect(m.match(post('gm', { hashtags: ['solana'], isReply: true }))).toEqual([]);
    expect(m.match(post('bitcoin', { isRepost: true }))).toEqual([]);
  });

  it('returns every matching tag once, in rule order', () => {
    const m = createRuleMatcher([...DEFAULT_RULES, { value: 'bitcoin', tag: 'BTC' }]);
    expect(m.match(post('$ETH and bitcoin'))).toEqual(['BTC', 'ETH']);
  });

  it.each(['', '($BTC', 'OR bitcoin', '-scam', 'place_country:US', '-(a OR b) c'])(
    'refuses %j with a RuleSyntaxError',
    (value) => {
      expect(() => createRuleMatcher([{ value, tag: 'T' }])).toThrow(RuleSyntaxError);
    },
  );
});
