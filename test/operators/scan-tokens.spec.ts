import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scanTokens } from '../../operators/scan-tokens.js';
import { createScoringModel } from '../../operators/score-model.js';

// The reference: natural's RegexpTokenizer with the scorer's pattern, as the model builds it.
const natural = createScoringModel().tokenizer;
const reference = (text: string): string[] => natural.tokenize(text) ?? [];

// Pieces that sit on the edges of the pattern: URL prefixes, sigils, word joiners, emoticon tails,
// Unicode spaces, letters and numbers outside ASCII (BMP and astral), emoji, lone surrogates.
const TRICKY = [
  'h',
  'http://',
  'https://',
  'http:/',
  't.co/x',
  '@',
  '#',
  '$',
  'a',
  'B',
  '3',
  'D',
  'P',
  'p',
  'O',
  'o',
  'S',
  's',
  'b',
  'X',
  "'",
  '’',
  '-',
  '_',
  ':',
  ';',
  '<',
  '!',
  '?',
  '.',
  ',',
  ' ',
  '\t',
  '\n',
  '\u00a0',
  '\u2028',
  '\u3000',
  '\ufeff',
  'é',
  '\u0301',
  'ª',
  '²',
  '×',
  '日本',
  'ΟΔΟΣ',
  '🚀',
  '📉',
  '👍🏽',
  '❤️',
  '𝐀',
  '🄁',
  '\ud83d',
  '\ude80',
];
const trickyText = fc.array(fc.constantFrom(...TRICKY), { maxLength: 40 }).map((parts) => parts.join(''));
const anyUtf16 = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) });

describe('scanTokens', () => {
  it.each([
    ['Check https://t.co/Ab12 now!!', ['Check', 'https://t.co/Ab12', 'now', '!!']],
    ["$BTC isn't dead :D <3 @bob #HODL", ['$BTC', "isn't", 'dead', ':D', '<3', '@bob', '#HODL']],
    ['up 12%, 🚀🚀 lol', ['up', '12', '%,', '🚀🚀', 'lol']],
    ['', []],
    ['   ', []],
  ])('tokenizes %j like the pattern', (text, tokens) => {
    expect(scanTokens(text)).toEqual(tokens);
    expect(reference(text)).toEqual(tokens);
  });

  it('gives exactly the regex tokenizer tokens on texts built from the pattern edge cases', () => {
    fc.assert(
      fc.property(trickyText, (text) => {
        expect(scanTokens(text)).toEqual(reference(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('gives exactly the regex tokenizer tokens on any UTF-16 text, lone surrogates included', () => {
    fc.assert(
      fc.property(anyUtf16, (text) => {
        expect(scanTokens(text)).toEqual(reference(text));
      }),
      { numRuns: 1000 },
    );
  });
});
