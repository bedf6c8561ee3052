/**
 * The research statistics against values computed independently here: a naive O(n^2) Spearman, a
 * naive moving-block bootstrap that materialises every resample, and one that re-ranks each resample.
 */
import { describe, expect, it } from 'vitest';
import {
  blockBootstrapCorrelations,
  blockLengthFor,
  percentileInterval,
} from '../../../pipeline/research/stats/block-bootstrap.js';
import { spearman } from '../../../pipeline/research/stats/correlation.js';
import { createPairRanker, hitRate, quantileMeans } from '../../../pipeline/research/stats/paired-ranks.js';
import { averageRanks, sortedOrder } from '../../../pipeline/research/stats/ranks.js';
import { createRandom } from '../../../pipeline/sources/synthetic-random.js';

/** Rank of each value: 1 + how many are smaller + half of the other equal ones. O(n^2). */
function naiveRanks(values: readonly number[]): number[] {
  return values.map((v) => {
    let smaller = 0;
    let equal = 0;
    for (const w of values) {
      if (w < v) smaller++;
      else if (w === v) equal++;
    }
    return smaller + (equal + 1) / 2;
  });
}

function naivePearson(x: readonly number[], y: readonly number[]): number {
  const mx = x.reduce((a, b) => a + b, 0) / x.length;
  const my = y.reduce((a, b) => a + b, 0) / y.length;
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

const naiveSpearman = (x: readonly number[], y: readonly number[]) =>
  naivePearson(naiveRanks(x), naiveRanks(y));

/** y = 0.4 x + noise, an AR(1) x (phi 0.8), values rounded so there are ties. */
function sample(n: number, seed: number): { x: number[]; y: number[] } {
  const random = createRandom(seed);
  const x: number[] = [];
  const y: number[] = [];
  let a = 0;
  for (let i = 0; i < n; i++) {
    a = 0.8 * a + (random() - 0.5);
    x.push(Math.round(a * 20) / 20);
    y.push(Math.round((0.4 * a + (random() - 0.5)) * 50) / 50);
  }
  return { x, y };
}

/**
 * The moving-block bootstrap written out: draw block starts over the hours, copy those hours, keep
 * the pairs that are there (not NaN), compute r; or Spearman's rho after re-ranking the resample.
 */
function naiveBootstrap(
  x: readonly number[],
  y: readonly number[],
  resamples: number,
  length: number,
  random: () => number,
  rerank: boolean,
): number[] {
  const hours = x.length;
  const out: number[] = [];
  for (let r = 0; r < resamples; r++) {
    const bx: number[] = [];
    const by: number[] = [];
    for (let spanned = 0; spanned < hours; ) {
      const from = Math.floor(random() * (hours - length + 1));
      for (let i = from; i < from + length && spanned < hours; i++, spanned++) {
        if (Number.isNaN(x[i]!) || Number.isNaN(y[i]!)) continue;
        bx.push(x[i]!);
        by.push(y[i]!);
      }
    }
    out.push(rerank ? naiveSpearman(bx, by) : naivePearson(bx, by));
  }
  return out.sort((a, b) => a - b);
}

function expectClose(actual: Float64Array, expected: readonly number[]): void {
  expect(actual).toHaveLength(expected.length);
  for (let i = 0; i < expected.length; i++) expect(actual[i]).toBeCloseTo(expected[i]!, 10);
}

describe('ranks and Spearman', () => {
  it('ranks ties by their average rank, like the naive count', () => {
    const values = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5];
    expect([...averageRanks(values)]).toEqual(naiveRanks(values));
  });

  it('leaves NaN out of the sorted order', () => {
    expect([...sortedOrder([2, Number.NaN, 1, Number.POSITIVE_INFINITY, 2])]).toEqual([2, 0, 4]);
  });

  it('equals the naive O(n^2) Spearman on tied, autocorrelated data', () => {
    const { x, y } = sample(600, 3);
    expect(spearman(x, y)).toBeCloseTo(naiveSpearman(x, y), 12);
  });

  it('pairs a shifted subset exactly: the ranker against the naive Spearman of the same pairs', () => {
    const { x, y } = sample(500, 4);
    const xs = Float64Array.from(x, (v, i) => (i % 17 === 0 ? Number.NaN : v));
    const ys = Float64Array.from(y, (v, i) => (i % 23 === 0 ? Number.NaN : v));
    const ranker = createPairRanker(xs.length);
    for (const shift of [-7, 0, 3]) {
      const pairs: [number, number][] = [];
      for (let t = 50; t < 450; t++) {
        const a = xs[t]!;
        const b = ys[t + shift]!;
        if (Number.isFinite(a) && Number.isFinite(b)) pairs.push([a, b]);
      }
      const ranked = ranker.rank(
        { x: xs, xOrder: sortedOrder(xs), y: ys, yOrder: sortedOrder(ys), shift, from: 50, to: 450 },
        true,
      );
      expect(ranked.n).toBe(pairs.length);
      expect(ranked.ic).toBeCloseTo(
        naiveSpearman(
          pairs.map((p) => p[0]),
          pairs.map((p) => p[1]),
        ),
        12,
      );
      const used = (values: Float64Array) => [...values].filter((v) => !Number.isNaN(v));
      expect(ranked.cx).toHaveLength(400);
      expect(used(ranked.yValues)).toEqual(pairs.map((p) => p[1]));
      const centered = naiveRanks(pairs.map((p) => p[0])).map((r) => r - (pairs.length + 1) / 2);
      expect(used(ranked.cx)).toEqual(centered);
    }
  });
});

describe('moving-block bootstrap', () => {
  const { x, y } = sample(400, 5);
  const rx = Float64Array.from(averageRanks(x), (r) => r - 200.5);
  const ry = Float64Array.from(averageRanks(y), (r) => r - 200.5);

  const one = (x: Float64Array, y: Float64Array, resamples: number, blockLength: number, seed: number) =>
    blockBootstrapCorrelations([{ x, y }], { resamples, blockLength, random: createRandom(seed) })[0]!;

  it('equals the naive bootstrap drawn from the same seed, resample for resample', () => {
    const ours = one(rx, ry, 300, 24, 42);
    const reference = naiveBootstrap([...rx], [...ry], 300, 24, createRandom(42), false);
    expect(ours).toHaveLength(300);
    expectClose(ours, reference);
  });

  it('resamples hours: series with unused hours (NaN) share the draws, each keeping its own pairs', () => {
    const holes = Float64Array.from(rx, (v, i) => (i % 7 === 0 || (i > 100 && i < 130) ? Number.NaN : v));
    const [a, b] = blockBootstrapCorrelations(
      [
        { x: rx, y: ry },
        { x: holes, y: ry },
      ],
      { resamples: 200, blockLength: 30, random: createRandom(8) },
    );
    // One generator, two naive runs over it: the second series sees the same block starts.
    const starts: number[] = [];
    const recorded = createRandom(8);
    const replay = () => starts.shift()!;
    const record = () => {
      const v = recorded();
      starts.push(v);
      return v;
    };
    const first = naiveBootstrap([...rx], [...ry], 200, 30, record, false);
    const second = naiveBootstrap([...holes], [...ry], 200, 30, replay, false);
    expectClose(a!, first);
    expectClose(b!, second);
  });

  it('gives the percentile interval of the sorted resamples (linear interpolation)', () => {
    const sorted = Float64Array.from([0.1, 0.2, 0.3, 0.4, 0.5]);
    expect(percentileInterval(sorted, 0.5)).toEqual({ low: 0.2, high: 0.4 });
    const ours = one(rx, ry, 999, 24, 7);
    const reference = naiveBootstrap([...rx], [...ry], 999, 24, createRandom(7), false);
    const interval = percentileInterval(ours, 0.95)!;
    // Type 7 quantiles of 999 sorted values: positions 24.95 and 973.05.
    expect(interval.low).toBeCloseTo(reference[24]! + 0.95 * (reference[25]! - reference[24]!), 10);
    expect(interval.high).toBeCloseTo(reference[973]! + 0.05 * (reference[974]! - reference[973]!), 10);
  });

  it('agrees with a bootstrap that re-ranks every resample (true Spearman) to within 0.01', () => {
    const ours = percentileInterval(one(rx, ry, 300, 24, 9), 0.9)!;
    const reranked = Float64Array.from(naiveBootstrap(x, y, 300, 24, createRandom(9), true));
    const theirs = percentileInterval(reranked, 0.9)!;
    expect(Math.abs(ours.low - theirs.low)).toBeLessThan(0.01);
    expect(Math.abs(ours.high - theirs.high)).toBeLessThan(0.01);
  });

  it('is wider than an i.i.d. bootstrap when both series are autocorrelated', () => {
    // Two independent AR(1) series (phi 0.9): the variance of r is (1 + phi^2) / (1 - phi^2) = 9.5
    // times the i.i.d. one, so its interval about 3 times as wide.
    const random = createRandom(11);
    let a = 0;
    let b = 0;
    const xs: number[] = [];
    const ys: number[] = [];
    for (let i = 0; i < 2_000; i++) {
      a = 0.9 * a + (random() - 0.5);
      b = 0.9 * b + (random() - 0.5);
      xs.push(a);
      ys.push(b);
    }
    const cx = Float64Array.from(averageRanks(xs), (r) => r - 1000.5);
    const cy = Float64Array.from(averageRanks(ys), (r) => r - 1000.5);
    const width = (length: number) => {
      const i = percentileInterval(one(cx, cy, 800, length, 12), 0.95)!;
      return i.high - i.low;
    };
    expect(width(48)).toBeGreaterThan(width(1) * 2);
  });

  it('sizes blocks for overlapping horizons, a day, and hours^(1/3)', () => {
    expect(blockLengthFor(30_000, 1, 24)).toBe(32);
    expect(blockLengthFor(30_000, 24, 24)).toBe(48);
    expect(blockLengthFor(500, 1, 24)).toBe(24);
    expect(blockLengthFor(10, 24, 24)).toBe(10);
  });
});

describe('hit rate and quintiles', () => {
  it('counts sides of the median against the sign of the return', () => {
    const cx = Float64Array.from([-2, -1, 0, 1, 2]);
    expect(hitRate(cx, Float64Array.from([-0.1, 0.2, 0.5, 0.1, 0]))).toBe(2 / 3);
  });

  it('averages returns per quintile of the signal rank', () => {
    const n = 10;
    const cx = Float64Array.from({ length: n }, (_, i) => i + 1 - (n + 1) / 2);
    const y = Float64Array.from({ length: n }, (_, i) => i);
    expect(quantileMeans(cx, y, n, 5)).toEqual([
      { mean: 0.5, n: 2 },
      { mean: 2.5, n: 2 },
      { mean: 4.5, n: 2 },
      { mean: 6.5, n: 2 },
      { mean: 8.5, n: 2 },
    ]);
  });
});
