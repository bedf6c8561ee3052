import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../lib/errors.js';
import {
  createScoringModel,
  SCORER_MODEL_FORMAT,
  scoreText,
  scoreTextValue,
} from '../../operators/score-tweets.js';
import { loadConfig } from '../../pipeline/config.js';
import {
  DEFAULT_SCORER_MODEL_FILE,
  encodeScorerModel,
  loadScorerModel,
  modelVersionOf,
  parseScorerModel,
  scorerIdentity,
  scoringOptionsFrom,
} from '../../pipeline/scorer-model.js';

const TEXTS = [
  '$BTC breaking out, next stop 100k 🚀',
  '$ETH just lost support, shorting this dump',
  'bagholders getting rugged again lol',
  'not bullish at all on $SOL',
  'ATH incoming, buy the dip!!',
  'Fed minutes at 2pm',
  '',
];

const shipped = readFileSync(DEFAULT_SCORER_MODEL_FILE, 'utf8');
const scratch = mkdtempSync(join(tmpdir(), 'sentiflow-scorer-'));
let files = 0;

function fileWith(edit: (stored: Record<string, unknown>) => void): string {
  const stored = JSON.parse(shipped) as Record<string, unknown>;
  edit(stored);
  const path = join(scratch, `model-${files++}.json`);
  writeFileSync(path, JSON.stringify(stored));
  return path;
}

function refusal(path: string): string {
  try {
    loadScorerModel(path);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error(`${path} was accepted`);
}

describe('the shipped scorer model', () => {
  const data = loadScorerModel(DEFAULT_SCORER_MODEL_FILE);

  it('loads: this format, weights matching its version', () => {
    expect(data.format).toBe(SCORER_MODEL_FORMAT);
    expect(data.version).toBe(modelVersionOf(data));
    expect(data.weights.length).toBe(1 << data.bits);
    expect(Buffer.byteLength(shipped)).toBeLessThan(3_000_000);
  });

  it('scores deterministically: fresh models, a re-parsed file and a structured clone agree', () => {
    const options = scoringOptionsFrom({ ...loadConfig({ env: {} }).scorer, mode: 'combined' });
    const scores = (o: typeof options) => {
      const model = createScoringModel(o);
      return TEXTS.map((t) => scoreTextValue(t, model));
    };
    const first = scores(options);
    expect(scores(options)).toEqual(first);
    expect(scores({ ...options, model: parseScorerModel(shipped, 'copy') })).toEqual(first);
    // What a score thread gets through workerData.
    expect(scores(structuredClone(options))).toEqual(first);
    expect(first.every((s) => s >= -1 && s <= 1)).toBe(true);
    expect(first.at(-1)).toBe(0);
  });

  it('reads trading chatter the right way round', () => {
    const model = createScoringModel({ mode: 'combined', model: data });
    expect(scoreTextValue('$BTC breaking out, next stop 100k 🚀', model)).toBeGreaterThan(0.3);
    expect(scoreTextValue('$ETH just lost support, shorting this dump', model)).toBeLessThan(-0.3);
  });

  it('splits a combined score exactly into the lexicon part and the model part', () => {
    const model = createScoringModel({ mode: 'combined', model: data });
    for (const text of TEXTS.slice(0, -1)) {
      const result = scoreText(text, model);
      const parts = result.learned!;
      expect(parts.lexicon + parts.model).toBeCloseTo(result.score, 12);
      expect(parts.lexicon).toBe(result.lexicon);
      const logit = parts.bias + parts.features.reduce((s, f) => s + f.value, 0);
      expect(Math.tanh(logit / 2)).toBeCloseTo(parts.modelScore, 9);
      expect(parts.model).toBeCloseTo((1 - Math.abs(result.lexicon)) * data.fill * parts.modelScore, 12);
      expect(scoreTextValue(text, model)).toBe(result.score);
    }
  });

  it('names the scorer and model version a backtest records', () => {
    const config = loadConfig({ env: {} });
    expect(config.scorer.mode).toBe('combined');
    expect(scorerIdentity(scoringOptionsFrom(config.scorer))).toEqual({
      scorer: 'combined',
      scorerModel: data.version,
    });
    expect(scorerIdentity(scoringOptionsFrom({ ...config.scorer, mode: 'lexicon' }))).toEqual({
      scorer: 'lexicon',
      scorerModel: '',
    });
  });
});

describe('model files sentiflow refuses, each with one line', () => {
  it('a file of another format version', () => {
    const message = refusal(fileWith((s) => (s.format = 'sentiflow-scorer/2')));
    expect(message).toMatch(
      /^scorer model file \S+: it is format "sentiflow-scorer\/2", this sentiflow reads sentiflow-scorer\/1/,
    );
    expect(message).not.toMatch(/\n/);
  });

  it('weights that do not match the version', () => {
    const path = fileWith((s) => ((s as { bias: number }).bias += 1));
    expect(refusal(path)).toMatch(/do not match its version/);
  });

  it('truncated weights, broken JSON and a missing file', () => {
    expect(refusal(fileWith((s) => (s.weights = 'AAAA')))).toMatch(/weights: expected \d+ int8 values/);
    const broken = join(scratch, 'broken.json');
    writeFileSync(broken, '{"format":');
    expect(refusal(broken)).toMatch(/not valid JSON/);
    expect(refusal(join(scratch, 'absent.json'))).toMatch(/cannot read it \(ENOENT\)/);
  });

  it('encodes and parses back to the same model', () => {
    const data = loadScorerModel(DEFAULT_SCORER_MODEL_FILE);
    const again = parseScorerModel(encodeScorerModel(data, { note: 'test' }), 'again');
    expect(again.version).toBe(data.version);
    expect(Buffer.from(again.weights).equals(Buffer.from(data.weights))).toBe(true);
  });
});

describe('scorer config', () => {
  it('reads SCORER_MODE and SCORER_MODEL_FILE, and rejects an unknown mode', () => {
    const config = loadConfig({ env: { SCORER_MODE: 'model', SCORER_MODEL_FILE: '/x/m.json' } });
    expect(config.scorer).toMatchObject({ mode: 'model', modelFile: '/x/m.json' });
    expect(() => loadConfig({ env: { SCORER_MODE: 'magic' } })).toThrow(/SCORER_MODE="magic"/);
  });

  it('needs a model for the model and combined modes (operators refuse to guess)', () => {
    expect(() => createScoringModel({ mode: 'model' })).toThrow(RangeError);
    expect(createScoringModel({ mode: 'lexicon' }).learned).toBeNull();
  });
});
