import { describe, expect, it } from 'vitest';
import { logitOf } from '../../operators/learned-scorer.js';
import {
  createFeatureBuffer,
  createScoringModel,
  type LearnedModelData,
  SCORER_MODEL_FORMAT,
  scoreText,
  scoreTextValue,
  textFeatures,
  tokenize,
} from '../../operators/score-tweets.js';

const BITS = 10;
const lexicon = createScoringModel();

function featuresOf(text: string): number[] {
  const buf = textFeatures(tokenize(text, lexicon, lexicon.tokens), BITS, createFeatureBuffer());
  return [...buf.index.slice(0, buf.count)];
}

/** A model whose every bucket weighs `weight` / 10. */
function uniformModel(weight: number, fill = 1): LearnedModelData {
  const weights = new Int8Array(1 << BITS).fill(weight);
  return { format: SCORER_MODEL_FORMAT, version: 'test', bits: BITS, bias: 0, scale: 0.1, weights, fill };
}

describe('textFeatures', () => {
  it('hashes each token and each neighbouring pair, the same way every time', () => {
    expect(featuresOf('moon soon')).toHaveLength(3); // moon, soon, "moon soon"
    expect(featuresOf('Moon SOON')).toEqual(featuresOf('moon soon')); // folded like the lexicon
    expect(featuresOf('soon moon')).not.toEqual(featuresOf('moon soon')); // the pair is ordered
    expect(featuresOf('moon soon').every((f) => f >= 0 && f < 1 << BITS)).toBe(true);
  });

  it('adds cashtags and the URL, mention, ! and ? flags, which carry no lexicon value', () => {
    expect(featuresOf('$BTC')).toHaveLength(1);
    expect(featuresOf('$BTC')).not.toEqual(featuresOf('$ETH'));
    expect(featuresOf('$btc')).toEqual(featuresOf('$BTC'));
    expect(featuresOf('@bob https://t.co/x ! ?')).toHaveLength(4);
    expect(featuresOf('')).toEqual([]);
  });

  it('grows its buffer for a long text and stays correct after', () => {
    const buf = createFeatureBuffer();
    const long = Array.from({ length: 2000 }, (_, i) => `w${i}`).join(' ');
    expect(textFeatures(tokenize(long, lexicon, lexicon.tokens), BITS, buf).count).toBe(3999);
    expect(textFeatures(tokenize('moon soon', lexicon, lexicon.tokens), BITS, buf).count).toBe(3);
  });
});

describe('logitOf', () => {
  it('sums the weights of exactly the buckets textFeatures lists', () => {
    const weights = Int8Array.from({ length: 1 << BITS }, (_, k) => ((k * 37) % 255) - 127);
    const model = { ...uniformModel(0), weights, bias: 0.5 };
    for (const text of ['$BTC to the moon 🚀🚀 @bob https://x.y !?', 'not bad, great', 'gm', '']) {
      const buf = textFeatures(tokenize(text, lexicon, lexicon.tokens), BITS, createFeatureBuffer());
      let sum = 0;
      for (let k = 0; k < buf.count; k++) sum += weights[buf.index[k]!]!;
      expect(logitOf(lexicon.tokens, model)).toBeCloseTo(0.5 + sum * 0.1, 9);
    }
  });
});

describe('the learned modes', () => {
  it('model: 2σ(bias + Σ weights) − 1 over the features', () => {
    const scorer = createScoringModel({ mode: 'model', model: uniformModel(10) }); // 1.0 a feature
    expect(scoreTextValue('moon soon', scorer)).toBeCloseTo(Math.tanh(3 / 2), 12);
    expect(scoreTextValue('', scorer)).toBe(0);
  });

  it('combined: the lexicon score, plus the model filling `fill` of the room it leaves, and says so', () => {
    const scorer = createScoringModel({ mode: 'combined', model: uniformModel(-10, 0.5) }); // -1.0 a feature
    const lex = scoreTextValue('great day', lexicon);
    expect(lex).toBeGreaterThan(0);
    const m = Math.tanh(-3 / 2); // great, day, "great day"
    const expected = lex + (1 - lex) * 0.5 * m;
    expect(scoreTextValue('great day', scorer)).toBeCloseTo(expected, 12);
    const result = scoreText('great day', scorer);
    expect(result.score).toBeCloseTo(expected, 12);
    expect(result.lexicon).toBe(lex);
    expect(result.learned).toMatchObject({ mode: 'combined', version: 'test', bias: 0, lexicon: lex });
    expect(result.learned!.model).toBeCloseTo((1 - lex) * 0.5 * m, 12);
    expect(result.learned!.modelScore).toBeCloseTo(m, 12);
    // Where the lexicon is silent the model alone decides, scaled by fill.
    expect(scoreTextValue('puts printing', scorer)).toBeCloseTo(0.5 * m, 12);
  });

  it('stays within [-1, 1] however sure both parts are', () => {
    const scorer = createScoringModel({ mode: 'combined', model: uniformModel(127) });
    expect(scoreTextValue('best day ever!!! love it', scorer)).toBeLessThanOrEqual(1);
    expect(scoreTextValue('worst crash ever, hate it', scorer)).toBeGreaterThanOrEqual(-1);
  });

  it('explains the model part feature by feature, pairs named by their two tokens', () => {
    const scorer = createScoringModel({ mode: 'model', model: uniformModel(5) });
    const features = scoreText('$SOL moon soon 🚀!', scorer).learned!.features.map((f) => f.feature);
    expect(features).toEqual(['moon', 'soon', 'moon soon', '🚀', 'soon 🚀', 'cashtag #1', '!']);
  });

  it('leaves the lexicon mode as it was', () => {
    const scorer = createScoringModel({ mode: 'lexicon', model: uniformModel(10) });
    expect(scorer.learned).toBeNull();
    expect(scoreTextValue('great day', scorer)).toBe(scoreTextValue('great day', lexicon));
  });

  it('refuses model data of another format or shape', () => {
    const model = uniformModel(1);
    expect(() => createScoringModel({ model: { ...model, format: 'sentiflow-scorer/0' } })).toThrow(
      /format "sentiflow-scorer\/0", this sentiflow reads sentiflow-scorer\/1/,
    );
    expect(() => createScoringModel({ model: { ...model, bits: BITS + 1 } })).toThrow(/int8 values/);
    expect(() => createScoringModel({ model: { ...model, fill: 1.5 } })).toThrow(/fill 1.5 not in/);
  });
});
