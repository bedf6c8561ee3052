import { describe, expect, it } from 'vitest';
import { createStrategy, STRATEGY_NAMES, StrategyError } from '../../operators/create-strategy.js';
import { decisionId } from '../../operators/decision-id.js';
import { parseParamList } from '../../operators/strategy-params.js';
import type { Position } from '../../operators/types.js';
import { bucket, HOUR, T0 } from './support.js';

const flat: Position = { symbol: 'BTC', exposure: 0, openedAt: null, lastTradeAt: null };
const full: Position = { symbol: 'BTC', exposure: 1, openedAt: T0 - 10 * HOUR, lastTradeAt: T0 - 10 * HOUR };
// 8 trailing hours alternating around 0 (mean 0, std 0.1), then the current hour.
const history = (current: number, count = 50) => [
  ...Array.from({ length: 8 }, (_, h) =>
    bucket({ start: T0 + (h - 8) * HOUR, weightedMean: h % 2 === 0 ? 0.1 : -0.1 }),
  ),
  bucket({ start: T0, weightedMean: current, count }),
];

describe('zscore strategy', () => {
  const zscore = createStrategy('zscore', 'lookback=12,threshold=2,minCount=20,minHistory=6,cooldown=3');

  it.each([
    ['buys on a high z when flat', 0.25, flat, 'BUY', 1],
    ['holds on a high z when fully in', 0.25, full, 'HOLD', 0],
    ['sells on a low z when holding', -0.25, full, 'SELL', 1],
    ['holds on a low z when flat', -0.25, flat, 'HOLD', 0],
    ['holds inside the threshold', 0.15, flat, 'HOLD', 0],
  ] as const)('%s', (_, current, position, action, size) => {
    const verdict = zscore.decide(history(current), position);
    expect([verdict.action, verdict.size]).toEqual([action, size]);
    expect(verdict.reason).not.toBe('');
  });

  it('reports the z-score it acted on', () => {
    expect(zscore.decide(history(0.25), flat).inputs).toMatchObject({
      z: 2.5,
      mean: 0,
      std: 0.1,
      trailing: 8,
    });
  });

  it('holds on thin volume', () => {
    const v = zscore.decide(history(0.9, 5), flat);
    expect(v.action).toBe('HOLD');
    expect(v.reason).toMatch(/minCount/);
  });

  it('holds while warming up', () => {
    expect(zscore.decide(history(0.9).slice(-3), flat).reason).toMatch(/warming up/);
  });

  it('ignores trailing buckets older than the lookback', () => {
    const short = createStrategy('zscore', { lookback: 4, minHistory: 6 });
    expect(short.decide(history(0.9), flat).reason).toMatch(/4 of 6/);
  });

  it('holds during the cooldown after its last trade', () => {
    const recent: Position = { ...flat, lastTradeAt: T0 - 2 * HOUR };
    expect(zscore.decide(history(0.25), recent).reason).toMatch(/cooling down/);
    expect(zscore.decide(history(0.25), { ...flat, lastTradeAt: T0 - 3 * HOUR }).action).toBe('BUY');
  });

  it('buys only the room left', () => {
    const half = createStrategy('zscore', { size: 0.6 });
    expect(half.decide(history(0.25), { ...flat, exposure: 0.5, openedAt: 0 }).size).toBe(0.5);
  });

  it('exits with size 1 when a sell empties the position, so the sink sells the whole balance', () => {
    const part = createStrategy('zscore', { size: 0.6 });
    const exit = part.decide(history(-0.25), { ...flat, exposure: 0.3, openedAt: 0 });
    expect([exit.action, exit.size]).toEqual(['SELL', 1]);
    expect(exit.reason).toMatch(/, exit$/);
    const partial = part.decide(history(-0.25), { ...flat, exposure: 1, openedAt: 0 });
    expect([partial.action, partial.size]).toEqual(['SELL', 0.6]);
    expect(partial.reason).not.toMatch(/exit/);
  });

  it('needs lookback + 1 buckets of history', () => {
    expect(zscore.historySize).toBe(13);
  });
});

describe('threshold strategy', () => {
  it.each([
    [0.3, flat, 'BUY'],
    [0.1, flat, 'HOLD'],
    [-0.3, full, 'SELL'],
    [-0.3, flat, 'HOLD'],
  ] as const)('weighted mean %d -> %s', (mean, position, action) => {
    const s = createStrategy('threshold', 'threshold=0.2');
    expect(s.decide([bucket({ weightedMean: mean })], position).action).toBe(action);
  });

  it('averages the last lookback hours by count', () => {
    const s = createStrategy('threshold', { threshold: 0.2, lookback: 2 });
    const h = [
      bucket({ start: T0 - HOUR, weightedMean: 0.5, count: 100 }),
      bucket({ start: T0, weightedMean: 0, count: 50 }),
    ];
    expect(s.decide(h, flat).inputs.mean).toBeCloseTo(1 / 3);
  });
});

describe('createStrategy', () => {
  it('knows zscore, threshold and surge', () => {
    expect(STRATEGY_NAMES.map((n) => createStrategy(n).name)).toEqual(['zscore', 'threshold', 'surge']);
  });

  it.each([
    [
      'unknown strategy',
      () => createStrategy('macd'),
      /unknown strategy "macd"; known: zscore, threshold, surge/,
    ],
    [
      'unknown param',
      () => createStrategy('zscore', 'treshold=2'),
      /has no parameter "treshold"; known: lookback/,
    ],
    ['not a number', () => createStrategy('zscore', 'threshold=abc'), /threshold must be a number/],
    ['not an integer', () => createStrategy('zscore', 'lookback=2.5'), /lookback must be an integer/],
    ['out of range', () => createStrategy('threshold', 'threshold=3'), /in \[0, 1\]/],
    ['empty value', () => createStrategy('zscore', 'threshold='), /threshold must be/],
    ['no equals sign', () => createStrategy('zscore', 'threshold'), /not key=value/],
  ])('rejects an %s with one clear line', (_, make, message) => {
    expect(make).toThrow(StrategyError);
    expect(make).toThrow(message);
  });

  it('parses lists of key=value from a string or from repeated options', () => {
    expect(parseParamList('threshold=1.5, lookback=48')).toEqual({ threshold: '1.5', lookback: '48' });
    expect(parseParamList(['threshold=1.5', 'lookback=48,minCount=5'])).toEqual({
      threshold: '1.5',
      lookback: '48',
      minCount: '5',
    });
  });
});

describe('decisionId', () => {
  it('is a pure function of strategy, symbol and bucket start', () => {
    expect(decisionId('zscore', 'BTC', T0)).toBe(decisionId('zscore', 'BTC', T0));
    const ids = new Set([
      decisionId('zscore', 'BTC', T0),
      decisionId('zscore', 'ETH', T0),
      decisionId('zscore', 'BTC', T0 + HOUR),
      decisionId('threshold', 'BTC', T0),
    ]);
    expect(ids.size).toBe(4);
  });

  it('is a valid client order id', () => {
    for (let h = 0; h < 200; h++) {
      expect(decisionId('zscore(threshold=1.5)', 'DOGE', T0 + h * HOUR)).toMatch(/^[.A-Z:/a-z0-9_-]{1,32}$/);
    }
  });

  it('is stable across releases (stored ids must keep matching)', () => {
    expect(decisionId('zscore', 'BTC', 1_767_261_600_000)).toMatchInlineSnapshot(
      `"sf-99f27a33a03a95dfd0f01af7"`,
    );
  });
});
