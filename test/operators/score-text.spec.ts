import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createScoringModel, scoreText } from '../../operators/score-tweets.js';

const model = createScoringModel();
const score = (text: string): number => scoreText(text, model).score;

describe('scoreText: obvious cases', () => {
  it.each([
    ['I love this, best day ever!', 0.5],
    ['$BTC breaking out, bullish 🚀', 0.5],
    ['WAGMI, diamond hands 💎🙌', 0.5],
    ['HODL and stay strong', 0.3],
  ])('scores %j clearly positive', (text, min) => {
    expect(score(text)).toBeGreaterThan(min);
  });

  it.each([
    ['Worst service ever, I hate it', -0.5],
    ['Got rekt, this coin is a scam', -0.5],
    ['Rug pull confirmed, devs ran with the funds', -0.5],
    ['$ETH dumping hard, bearish 📉', -0.5],
  ])('scores %j clearly negative', (text, max) => {
    expect(score(text)).toBeLessThan(max);
  });

  it.each([
    '',
    '   ',
    '12345 67890',
    '$BTC $ETH',
    '@someone https://t.co/abc',
    '!!!???',
    '\u0000\uffff',
    '....',
  ])('scores sentiment-free or garbage text %j as 0', (text) => {
    expect(score(text)).toBe(0);
    expect(scoreText(text, model).tokens).toEqual([]);
  });
});

describe('scoreText: rules', () => {
  it('negation flips and shrinks: "not bullish" is negative, weaker than "bearish"', () => {
    expect(score('not bullish')).toBeLessThan(0);
    expect(score('not bullish')).toBeGreaterThan(score('bearish'));
    expect(score("I don't like it")).toBeLessThan(0);
    expect(score('never again a scam like this')).toBeGreaterThan(score('again a scam like this'));
  });

  it('negation is scoped: it does not reach past a clause boundary', () => {
    // natural flips everything after "not"; here "great" after the comma stays positive.
    const great = scoreText('not bad, great', model).tokens.find((t) => t.token === 'great');
    expect(great?.value).toBeGreaterThan(0);
    // and it reaches at most three words
    expect(scoreText('not that I would ever say it is good', model).tokens[0]?.value).toBeGreaterThan(0);
  });

  it('intensifiers raise and dampeners lower the intensity', () => {
    expect(score('very good')).toBeGreaterThan(score('good'));
    expect(score('extremely bearish')).toBeLessThan(score('bearish'));
    expect(score('slightly good')).toBeLessThan(score('good'));
    expect(score('kind of good')).toBeLessThan(score('good'));
    expect(score('pretty bad')).toBeLessThan(score('bad'));
  });

  it('ALL-CAPS emphasis counts when only some words shout, and not for acronyms', () => {
    expect(score('this is GREAT news')).toBeGreaterThan(score('this is great news'));
    expect(score('THIS IS GREAT NEWS')).toBeCloseTo(score('this is great news'), 10);
    expect(score('new ATH today')).toBeCloseTo(score('new ath today'), 10);
  });

  it('exclamation marks add emphasis (up to four), repeated question marks too', () => {
    expect(score('good!')).toBeGreaterThan(score('good'));
    expect(score('good!!!')).toBeGreaterThan(score('good!'));
    expect(score('good!!!!!!!!')).toBeCloseTo(score('good!!!!'), 10);
    expect(score('bad??')).toBeLessThan(score('bad'));
  });

  it('contrast: the clause after "but" dominates', () => {
    expect(score('The food was good but the service was terrible')).toBeLessThan(0);
    expect(score('The service was terrible but the food was amazing')).toBeGreaterThan(0);
  });

  it('emoji and emoticons carry sentiment', () => {
    expect(score('🚀🚀')).toBeGreaterThan(0.3);
    expect(score('📉🩸')).toBeLessThan(-0.3);
    expect(score('see you tomorrow :)')).toBeGreaterThan(0);
    expect(score('see you tomorrow :(')).toBeLessThan(0);
    expect(score('🚀🚀🚀')).toBeGreaterThan(score('🚀'));
  });

  it('crypto slang and phrases', () => {
    expect(score('to the moon')).toBeGreaterThan(0.4);
    expect(score('buy the dip')).toBeGreaterThan(0);
    expect(score('ngmi')).toBeLessThan(-0.4);
    expect(score('fud everywhere')).toBeLessThan(0);
    expect(score('$BTC up 12% today')).toBeGreaterThan(0);
    expect(score('$BTC down 12% today')).toBeLessThan(0);
    expect(scoreText('BTC to the moon', model).tokens).toEqual([{ token: 'to the moon', value: 3 }]);
  });

  it('stretched words and hashtags are looked up', () => {
    expect(score('soooo goooood')).toBeGreaterThan(score('so good') - 1e-9);
    expect(score('#bullish')).toBeCloseTo(score('bullish'), 10);
  });

  it('reports the tokens that mattered with their final values', () => {
    const result = scoreText('not bullish, but a great project 🚀', model);
    expect(result.tokens.map((t) => t.token)).toEqual(['bullish', 'great', '🚀']);
    expect(result.tokens[0]!.value).toBeLessThan(0);
    expect(result.raw).toBeCloseTo(
      result.tokens.reduce((s, t) => s + t.value, 0),
      10,
    );
  });

  it('can be built without the crypto lexicon, and with extra entries', () => {
    expect(scoreText('wagmi', createScoringModel({ crypto: false })).score).toBe(0);
    expect(scoreText('frobnicate', createScoringModel({ lexicon: { frobnicate: 2 } })).score).toBeGreaterThan(
      0,
    );
    expect(
      scoreText('hold the line', createScoringModel({ lexicon: { 'hold the line': -2 } })).score,
    ).toBeLessThan(0);
  });
});

describe('scoreText: properties', () => {
  it('always returns a finite score in [-1, 1], deterministically, for any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (text) => {
        const a = scoreText(text, model);
        const b = scoreText(text, model);
        expect(Number.isFinite(a.score)).toBe(true);
        expect(Math.abs(a.score)).toBeLessThanOrEqual(1);
        expect(b).toEqual(a);
      }),
      { numRuns: 500 },
    );
  });

  it('stays in [-1, 1] for texts stacked with sentiment words', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('GREAT', 'awful', 'moon', '🚀', 'not', 'very', '!!!', 'but', 'scam', ':)'), {
          maxLength: 200,
        }),
        (words) => {
          const s = score(words.join(' '));
          expect(s).toBeGreaterThanOrEqual(-1);
          expect(s).toBeLessThanOrEqual(1);
        },
      ),
    );
  });
});
