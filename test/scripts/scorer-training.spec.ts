import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createScoringModel, scoreText, scoreTextValue } from '../../operators/score-tweets.js';
import { dedupeExamples, normalizeText, parseCsv, readExamples } from '../../scripts/scorer-data.js';
import { crossValidate, rocAuc, signAccuracy } from '../../scripts/scorer-evaluation.js';
import { prepare, type TrainSettings, trainModel } from '../../scripts/scorer-training.js';

const fixture = readFileSync(new URL('../fixtures/scorer/planted.tsv', import.meta.url), 'utf8');
const examples = readExamples('planted', fixture);
const SETTINGS: TrainSettings = { bits: 12, epochs: 8, learningRate: 0.2, l2: 1e-6, seed: 7, fill: 1 };
const prepared = prepare(examples, SETTINGS.bits, createScoringModel());

/** Mean log-loss of a model's `model` mode on the examples (its score is 2p - 1). */
function logLoss(epochs: number): number {
  const data = trainModel(prepared, { ...SETTINGS, epochs });
  const scorer = createScoringModel({ mode: 'model', model: data });
  const losses = examples.map((e) => {
    const p = (scoreTextValue(e.text, scorer) + 1) / 2;
    return -Math.log(Math.max(1e-9, e.label > 0 ? p : 1 - p));
  });
  return losses.reduce((a, b) => a + b, 0) / losses.length;
}

describe('training the learned scorer on a fixture with a planted signal', () => {
  it('reads the fixture: 240 labelled lines, half each way', () => {
    expect(examples).toHaveLength(240);
    expect(examples.filter((e) => e.label > 0)).toHaveLength(120);
  });

  it('converges: the training loss falls with the epochs and ends small', () => {
    const one = logLoss(1);
    const many = logLoss(SETTINGS.epochs);
    expect(many).toBeLessThan(one);
    expect(many).toBeLessThan(0.15);
  });

  it('separates the planted words on held-out folds, where the lexicon sees nothing', () => {
    const cv = crossValidate(examples, prepared, SETTINGS, 4).planted!;
    expect(cv.model.auc).toBeGreaterThan(0.98);
    expect(cv.model.signAccuracy).toBeGreaterThan(0.95);
    expect(cv.combined.auc).toBeGreaterThan(0.98);
    expect(cv.lexicon.signAccuracy).toBeLessThan(0.2); // the filler carries no lexicon sentiment: 0 is wrong
  });

  it('gives the planted words weights of their sign', () => {
    const scorer = createScoringModel({ mode: 'model', model: trainModel(prepared, SETTINGS) });
    const weight = (word: string): number =>
      scoreText(`${word}`, scorer).learned!.features.find((f) => f.feature === word)!.value;
    expect(weight('zorblax')).toBeGreaterThan(0.5);
    expect(weight('quixotl')).toBeLessThan(-0.5);
  });

  it('is reproducible: the same examples and settings give the same model', () => {
    const a = trainModel(prepared, SETTINGS);
    const b = trainModel(prepare(examples, SETTINGS.bits, createScoringModel()), SETTINGS);
    expect(a.version).toBe(b.version);
    expect(Buffer.from(a.weights.buffer).equals(Buffer.from(b.weights.buffer))).toBe(true);
  });
});

describe('scorer data', () => {
  it('reads the public sets by their shape', () => {
    const scraper =
      'num,message_id,tag,body\n0,1,Bullish,"to the moon, again"\n1,2,NULL,meh\n2,3,Bearish,rekt\n';
    expect(readExamples('st', scraper).map((e) => [e.label, e.text])).toEqual([
      [1, 'to the moon, again'],
      [-1, 'rekt'],
    ]);
    const tfns = 'text,label\nupgraded to buy,1\ncut to sell,0\nearnings call today,2\n';
    expect(readExamples('tfns', tfns).map((e) => e.label)).toEqual([1, -1]);
    const fiqa = JSON.stringify({ 1: { sentence: 'long $X', info: [{ sentiment_score: '0.4' }] } });
    expect(readExamples('fiqa', fiqa)).toEqual([{ source: 'fiqa', text: 'long $X', label: 1 }]);
    expect(() => readExamples('x', 'a,b\n1,2\n')).toThrow(/unknown data format/);
  });

  it('parses quoted CSV fields with commas, quotes and newlines', () => {
    expect(parseCsv('a,"b,""c""\nd"\r\ne,f')).toEqual([
      ['a', 'b,"c"\nd'],
      ['e', 'f'],
    ]);
  });

  it('drops duplicates by normalized text, and texts labelled both ways entirely', () => {
    const e = (text: string, label: 1 | -1) => ({ source: 's', text, label });
    const { kept, conflicting } = dedupeExamples([
      e('Moon  Soon', 1),
      e('moon soon', 1),
      e('x', 1),
      e('X', -1),
    ]);
    expect(kept).toEqual([e('Moon  Soon', 1)]);
    expect(conflicting).toBe(2);
    expect(normalizeText('  A\tB \n c ')).toBe('a b c');
  });

  it('measures sign accuracy (0 is wrong) and ROC AUC (ties count half)', () => {
    expect(signAccuracy([0.5, -0.2, 0], [1, -1, 1])).toBeCloseTo(2 / 3);
    expect(rocAuc([0.9, 0.1, 0.5, 0.5], [1, -1, 1, -1])).toBeCloseTo(0.875);
  });
});
