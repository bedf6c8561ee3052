/**
 * Moving-block bootstrap of correlations (Künsch 1989) over a common time axis: a resample glues
 * together blocks of `blockLength` consecutive hours, each starting at a uniformly drawn hour, until
 * it spans as many hours as the sample. Blocks keep the dependence inside them — overlapping forward
 * returns (a 24 h return shares 23 hours with the next one) and autocorrelated signals — which an
 * i.i.d. bootstrap would break, giving intervals that are too narrow. Hours a series does not use
 * (NaN) contribute nothing to it. Several series on the same axis share the draws, so their intervals
 * come from the same resampled periods; the sums of every possible block are computed once, so a
 * resample costs one step per block.
 *
 * For Spearman's rho the pairs are the ranks of the whole sample (centered); each resample's
 * statistic is Pearson's r of those ranks, not of ranks recomputed inside the resample. The two
 * differ by O(1/n) and the test checks the intervals agree; re-ranking would cost a sort per resample.
 */
import { addPair, correlationOf, emptySums } from './correlation.js';

export interface BootstrapOptions {
  readonly resamples: number;
  readonly blockLength: number;
  /** Uniform [0, 1) generator; seeded by the caller, so results are reproducible. */
  readonly random: () => number;
}

/** Pairs on a time axis: x[t] with y[t], NaN where the hour is not used. */
export interface TimedPairs {
  readonly x: Float64Array;
  readonly y: Float64Array;
}

/** Per series, the bootstrap distribution of Pearson's r, sorted; resamples without variation are left out. */
export function blockBootstrapCorrelations(
  series: readonly TimedPairs[],
  { resamples, blockLength, random }: BootstrapOptions,
): Float64Array[] {
  const hours = series[0]?.x.length ?? 0;
  if (hours === 0) return series.map(() => new Float64Array(0));
  const length = Math.max(1, Math.min(hours, Math.floor(blockLength)));
  const blocks = Math.ceil(hours / length);
  const tailLength = hours - length * (blocks - 1);
  // Every block start of every resample, drawn once (resample after resample) for all series.
  const starts = new Int32Array(resamples * blocks);
  for (let i = 0; i < starts.length; i++) starts[i] = Math.floor(random() * (hours - length + 1));
  const full = new Float32Array((hours - length + 1) * SUMS);
  const tail = tailLength === length ? full : new Float32Array((hours - tailLength + 1) * SUMS);
  return series.map((pairs) => {
    blockSums(pairs, length, full);
    if (tail !== full) blockSums(pairs, tailLength, tail);
    const out = new Float64Array(resamples);
    let kept = 0;
    for (let r = 0; r < resamples; r++) {
      // Plain locals: this loop is the analysis's hot spot, and fields of an object cost twice as much.
      let n = 0;
      let sx = 0;
      let sy = 0;
      let sxx = 0;
      let syy = 0;
      let sxy = 0;
      const first = r * blocks;
      for (let b = 0; b < blocks; b++) {
        const sums = b === blocks - 1 ? tail : full;
        const at = starts[first + b]! * SUMS;
        n += sums[at]!;
        sx += sums[at + 1]!;
        sy += sums[at + 2]!;
        sxx += sums[at + 3]!;
        syy += sums[at + 4]!;
        sxy += sums[at + 5]!;
      }
      const value = correlationOf({ n, x: sx, y: sy, xx: sxx, yy: syy, xy: sxy });
      if (value !== null) out[kept++] = value;
    }
    return out.slice(0, kept).sort();
  });
}

/** Per block: pairs, sum x, sum y, sum xx, sum yy, sum xy. */
const SUMS = 6;

/**
 * Writes the sums of the `length` hours starting at each hour into `out`, SUMS numbers per start. Single
 * precision, which halves the memory a resample reads at random; a resample's r moves by about 1e-8.
 */
function blockSums({ x, y }: TimedPairs, length: number, out: Float32Array): void {
  const s = emptySums();
  for (let i = 0; i < x.length; i++) {
    if (!Number.isNaN(x[i]!) && !Number.isNaN(y[i]!)) addPair(s, x[i]!, y[i]!);
    const gone = i - length;
    if (gone >= 0 && !Number.isNaN(x[gone]!) && !Number.isNaN(y[gone]!)) addPair(s, x[gone]!, y[gone]!, -1);
    const at = (i - length + 1) * SUMS;
    if (at >= 0) {
      out[at] = s.n;
      out[at + 1] = s.x;
      out[at + 2] = s.y;
      out[at + 3] = s.xx;
      out[at + 4] = s.yy;
      out[at + 5] = s.xy;
    }
  }
}

/** The (1 - level) / 2 and (1 + level) / 2 quantiles of sorted samples (linear interpolation). */
export function percentileInterval(
  sorted: Float64Array,
  level: number,
): { low: number; high: number } | null {
  if (sorted.length === 0) return null;
  return { low: quantile(sorted, (1 - level) / 2), high: quantile(sorted, (1 + level) / 2) };
}

export function quantile(sorted: Float64Array, p: number): number {
  const at = Math.max(0, Math.min(1, p)) * (sorted.length - 1);
  const below = Math.floor(at);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (at - below);
}

/**
 * Block length for a sample spanning `hours` hours of h-hour forward returns: at least twice the
 * overlap of the returns, a day (the trailing signals use 24 h windows and volume has a daily cycle),
 * and hours^(1/3), the usual rate for estimating a variance (Hall, Horowitz and Jing 1995).
 */
export function blockLengthFor(hours: number, horizonHours: number, minimumHours: number): number {
  return Math.max(1, Math.min(hours, Math.max(2 * horizonHours, minimumHours, Math.ceil(Math.cbrt(hours)))));
}

/** Standard deviation of the bootstrap samples (n - 1): the bootstrap's standard error. */
export function standardError(samples: Float64Array): number | null {
  if (samples.length < 2) return null;
  let mean = 0;
  for (const v of samples) mean += v;
  mean /= samples.length;
  let squares = 0;
  for (const v of samples) squares += (v - mean) ** 2;
  return Math.sqrt(squares / (samples.length - 1));
}

/**
 * The standard normal quantile (Acklam's rational approximation, relative error below 1.2e-9), for
 * normal intervals at levels too extreme for percentiles of a thousand resamples.
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile: p must be in (0, 1), got ${p}`);
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const tail = (q: number): number =>
    (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
    ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  if (p < 0.02425) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - 0.02425) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}
