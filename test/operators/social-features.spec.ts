import { describe, expect, it } from 'vitest';
import { socialFeatures } from '../../operators/social-features.js';
import { meanStd, trailingZ } from '../../operators/trailing-stats.js';
import { bucket, HOUR, T0 } from './support.js';

const options = { lookback: 3, minCount: 10, minHistory: 2, minStd: 0.02, minVolumeStd: 1 };

describe('trailing statistics', () => {
  it('uses the population standard deviation', () => {
    expect(meanStd([1, 2, 3, 4])).toEqual({ mean: 2.5, std: Math.sqrt(1.25) });
  });

  it.each([
    ['a z-score against the trailing values', 4, [1, 3], { minHistory: 2, minStd: 0 }, 2],
    ['null while fewer than minHistory values', 4, [1], { minHistory: 2, minStd: 0 }, null],
    ['null on a flat history without a floor', 4, [2, 2], { minHistory: 2, minStd: 0 }, null],
    ['the floor on a flat history', 4, [2, 2], { minHistory: 2, minStd: 0.5 }, 4],
  ] as const)('%s', (_name, value, trailing, opts, expected) => {
    expect(trailingZ(value, trailing, opts)).toBe(expected);
  });
});

describe('socialFeatures', () => {
  it('derives volume, its z-score, the sentiment z-score and the balance from the own history', () => {
    const history = [
      bucket({ start: T0 - 4 * HOUR, count: 1000, weightedMean: 0.9 }), // outside the lookback
      bucket({ start: T0 - 3 * HOUR, count: 20, weightedMean: 0.1 }),
      bucket({ start: T0 - 2 * HOUR, count: 5, weightedMean: 0.9 }), // below minCount
      bucket({ start: T0 - HOUR, count: 40, weightedMean: 0.3 }),
      bucket({ start: T0, count: 50, weightedMean: 0.5, positive: 30, negative: 10, distinctAuthors: 44 }),
    ];
    expect(socialFeatures(history, options)).toEqual({
      volume: 50,
      volumeZ: 2,
      sentimentZ: 3,
      balance: 20,
      balanceShare: 0.4,
      authors: 44,
      trailing: 2,
    });
  });

  it('has no z-scores while warming up and nothing for an empty history', () => {
    expect(socialFeatures([bucket()], options)).toMatchObject({
      volumeZ: null,
      sentimentZ: null,
      trailing: 0,
    });
    expect(socialFeatures([], options)).toBeNull();
  });
});
