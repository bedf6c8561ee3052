import { readFileSync } from 'node:fs';
import { SentimentAnalyzer } from 'natural/lib/natural/sentiment/index.js';
import { WordTokenizer } from 'natural/lib/natural/tokenizers/index.js';
import { describe, expect, it } from 'vitest';
import { createScoringModel, scoreText, scoreTextValue } from '../../operators/score-tweets.js';
import { engineOptionsFrom, loadConfig } from '../../pipeline/config.js';

/** Our own hand-rated sets (test/fixtures/sentiment/*.tsv): `rating-or-label<TAB>text`, `#` comments. */
function readSet(name: string): { label: string; text: string }[] {
  const file = new URL(`../fixtures/sentiment/${name}`, import.meta.url);
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.length > 0 && !line.startsWith('#'))
    .map((line) => {
      const tab = line.indexOf('\t');
      return { label: line.slice(0, tab), text: line.slice(tab + 1) };
    });
}

function pearson(x: readonly number[], y: readonly number[]): number {
  const mean = (v: readonly number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
  const mx = mean(x);
  const my = mean(y);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
    syy += (y[i]! - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

/** natural's AFINN analyzer as its README uses it: word tokens, English AFINN vocabulary, no stemmer. */
function afinnScorer(): (text: string) => number {
  const tokenizer = new WordTokenizer();
  const analyzer = new SentimentAnalyzer('English', undefined, 'afinn');
  return (text) => {
    const words = tokenizer.tokenize(text);
    return words.length === 0 ? 0 : analyzer.getSentiment(words);
  };
}

const model = createScoringModel();
const ours = (text: string): number => scoreText(text, model).score;

describe('scoring quality on our hand-rated sets', () => {
  it('correlates with human ratings of general tweets (Pearson r >= 0.88) and beats AFINN', () => {
    const set = readSet('general.tsv');
    expect(set.length).toBeGreaterThanOrEqual(300);
    const human = set.map((row) => Number(row.label));
    const r = pearson(
      set.map((row) => ours(row.text)),
      human,
    );
    const afinn = afinnScorer();
    const rAfinn = pearson(
      set.map((row) => afinn(row.text)),
      human,
    );
    expect(r).toBeGreaterThanOrEqual(0.88);
    expect(r).toBeGreaterThan(rAfinn + 0.1);
  });

  it('reads crypto chatter (bullish/bearish/neutral) clearly better than natural AFINN', () => {
    const set = readSet('crypto.tsv');
    const target = set.map((row) => (row.label === 'bullish' ? 1 : row.label === 'bearish' ? -1 : 0));
    expect(new Set(set.map((row) => row.label))).toEqual(new Set(['bullish', 'bearish', 'neutral']));
    const afinn = afinnScorer();
    const oursScores = set.map((row) => ours(row.text));
    const afinnScores = set.map((row) => afinn(row.text));
    const directional = (scores: readonly number[]): number => {
      let right = 0;
      let total = 0;
      scores.forEach((s, i) => {
        if (target[i] === 0) return;
        total++;
        if (Math.sign(s) === target[i]) right++;
      });
      return right / total;
    };
    expect(pearson(oursScores, target)).toBeGreaterThan(0.75);
    expect(pearson(oursScores, target)).toBeGreaterThan(pearson(afinnScores, target) + 0.2);
    expect(directional(oursScores)).toBeGreaterThan(0.85);
    expect(directional(oursScores)).toBeGreaterThan(directional(afinnScores) + 0.2);
  });
});

describe('the default scorer (lexicon and learned model combined) on the same sets', () => {
  const { scoring } = engineOptionsFrom(loadConfig({ env: {} }));
  const score = (text: string): number => scoreTextValue(text, scoring);

  it("keeps the lexicon's correlation with human ratings of general tweets (r >= 0.89)", () => {
    const set = readSet('general.tsv');
    const r = pearson(
      set.map((row) => score(row.text)),
      set.map((row) => Number(row.label)),
    );
    expect(r).toBeGreaterThanOrEqual(0.89);
  });

  it('reads the direction of bullish and bearish crypto chatter (>= 0.9 right)', () => {
    const set = readSet('crypto.tsv').filter((row) => row.label !== 'neutral');
    const right = set.filter((row) => Math.sign(score(row.text)) === (row.label === 'bullish' ? 1 : -1));
    expect(right.length / set.length).toBeGreaterThanOrEqual(0.9);
  });
});
