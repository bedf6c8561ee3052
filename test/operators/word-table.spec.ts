import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scanTokens } from '../../operators/scan-tokens.js';
import { createScoringModel } from '../../operators/score-model.js';
import { tokenize } from '../../operators/score-tokens.js';
import { createWordTable, FOLD_HASH_SEED, foldAscii, foldHashStep } from '../../operators/word-table.js';

const model = createScoringModel();
const words = [...model.lexicon.keys()];

function hashOf(text: string): number {
  let h = FOLD_HASH_SEED;
  for (let i = 0; i < text.length; i++) h = foldHashStep(h, foldAscii(text.charCodeAt(i)));
  return h;
}

/** What the tokenizer looked words up by before the table: lowercased, typographic apostrophe as '. */
function lookupKey(surface: string): string {
  return surface.toLowerCase().replaceAll('’', "'");
}

// A lexicon word with some letters upper-cased and its apostrophes typographic, or any short ASCII word.
const variant = fc.oneof(
  fc
    .tuple(fc.constantFrom(...words), fc.array(fc.boolean(), { maxLength: 24 }))
    .map(([w, upper]) =>
      [...w].map((ch, i) => (ch === "'" && upper[i] ? '’' : upper[i] ? ch.toUpperCase() : ch)).join(''),
    ),
  fc.stringMatching(/^[A-Za-z0-9'’_-]{1,12}$/),
);

describe('createWordTable', () => {
  it("finds a span exactly when the lexicon has the span's lowercase form", () => {
    const table = createWordTable(model.lexicon);
    fc.assert(
      fc.property(
        fc.string({ maxLength: 3 }),
        variant,
        fc.string({ maxLength: 3 }),
        (before, word, after) => {
          const text = before + word + after;
          const e = table.find(text, before.length, before.length + word.length, hashOf(word));
          const key = lookupKey(word);
          const ascii = [...key].every((ch) => ch.charCodeAt(0) < 128);
          if (ascii && model.lexicon.has(key)) {
            expect(table.words[e]).toBe(key);
            expect(table.values[e]).toBe(model.lexicon.get(key));
          } else expect(e).toBe(-1);
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('holds only lowercase ASCII words', () => {
    const table = createWordTable([
      ['naïve', 1],
      ['Upper', 2],
      ['plain', 3],
    ]);
    expect(table.words).toEqual(['plain']);
  });
});

describe('tokenize looks words up as lowercase text', () => {
  // Lexicon words in any case, junk words, non-ASCII words, punctuation and emoji, without runs of three
  // equal letters (those are collapsed: covered by score-text.spec.ts).
  const piece = fc.oneof(
    variant,
    fc.constantFrom(
      'Émoi',
      'ÇA',
      'naïve',
      'Straße',
      '日本',
      '🚀',
      '!!',
      ',',
      '...',
      ':)',
      '#Moon',
      '$BTC',
      '@bob',
    ),
  );
  const text = fc
    .array(fc.tuple(piece, fc.constantFrom(' ', '  ', '\n')), { maxLength: 12 })
    .map((parts) => parts.map(([p, s]) => p + s).join(''))
    .filter((t) => !/(.)\1\1/iu.test(t.replaceAll('’', "'")));

  it('gives each word the key and lexicon entry of its lowercase form', () => {
    fc.assert(
      fc.property(text, (t) => {
        const tokens = tokenize(t, model);
        const expected = scanTokens(t)
          .filter((m) => /^#?[\p{L}\p{N}]/u.test(m) && isWordStart(m.replace(/^#/, '').charCodeAt(0)))
          .map((m) => m.replace(/^#/, ''))
          .filter((m) => m.length >= 2)
          .map(lookupKey);
        const keys = tokens.keys
          .slice(0, tokens.count)
          .filter((_, i) => isWordStart(tokens.keys[i]!.charCodeAt(0)));
        expect(keys).toEqual(expected);
        for (let i = 0; i < tokens.count; i++) {
          if (!isWordStart(tokens.keys[i]!.charCodeAt(0))) continue;
          expect(tokens.infos[i]).toBe(model.lexicon.get(tokens.keys[i]!) ?? null);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

// The tokenizer's word start (score-tokens.ts isAlnumStart); lowercasing keeps a character in or out of it.
function isWordStart(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 0xc0 && c < 0x2000);
}

describe('tokenize finds emoticons', () => {
  it('finds every emoticon of the lexicon that stands as a token, bare or between . , ! ?', () => {
    let checked = 0;
    for (const emoticon of model.emoticons.keys()) {
      // "$:" and "@:" read as a cashtag and a mention, skipped like all of those.
      if (/^[@$]./u.test(emoticon)) continue;
      for (const token of [emoticon, `${emoticon}!!`, `..${emoticon}`, `?!${emoticon}`]) {
        const text = `so ${token} ok`;
        if (!scanTokens(text).includes(token)) continue;
        // As a whole, else with its ends' . , ! ? trimmed off (which may cut into the emoticon).
        const expected =
          model.emoticons.get(token) ?? model.emoticons.get(token.replace(/^[.,!?]+|[.,!?]+$/g, ''));
        if (expected === undefined) continue;
        const t = tokenize(text, model);
        const at = t.keys.slice(0, t.count).indexOf(token);
        expect(at, `${token} in ${text}`).toBeGreaterThanOrEqual(0);
        expect(t.values[at]).toBe(expected);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(model.emoticons.size);
  });
});

describe('tokenize reads plain ASCII words in one pass', () => {
  // Only words after a plain space (or at the start) take the one-pass path: with tabs for spaces
  // every token goes through the general scanner, which must give the very same tokens.
  const piece = fc.oneof(
    variant,
    fc.stringMatching(/^[A-Za-z0-9_'’-]{1,10}$/),
    fc.constantFrom('GOOOOD', 'sooo', 'hodl!!', 'http://x.co/a', 'https://t.co/b', 'http', 'café', 'naïve'),
    fc.constantFrom('😀', '🚀🚀', ':)', '...', '#Moon', '$BTC', '@bob', "don't", 'don’t', 'x’é', 'ab-', '--'),
  );
  const text = fc
    .array(fc.tuple(piece, fc.constantFrom(' ', '  ', '', '\n', ', ')), { maxLength: 14 })
    .map((parts) => parts.map(([p, s]) => p + s).join(''));

  it('gives the tokens the general scanner gives', () => {
    const fields = (t: ReturnType<typeof tokenize>) => ({
      keys: t.keys.slice(0, t.count),
      values: t.values.slice(0, t.count),
      flags: t.flags.slice(0, t.count),
      clauses: t.clauses.slice(0, t.count),
      infos: t.infos.slice(0, t.count),
      exclamations: t.exclamations,
      questions: t.questions,
      capsWords: t.capsWords,
      contrastAt: t.contrastAt,
    });
    fc.assert(
      fc.property(text, (s) => {
        const general = fields(tokenize(`\t${s.replaceAll(' ', '\t')}`, model));
        expect(fields(tokenize(s, model))).toEqual(general);
      }),
      { numRuns: 3000 },
    );
  });
});
