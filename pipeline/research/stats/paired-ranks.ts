/**
 * Spearman's rho of a signal against a return series shifted by some hours, over the hours where both
 * exist, without sorting again: both series are sorted once (ranks.ts) and each pairing is ranked in
 * O(length). Scratch arrays are allocated once per ranker and reused across pairings. Pure.
 */
import { addPair, correlationOf, emptySums } from './correlation.js';
import { rankMasked } from './ranks.js';

export interface Pairing {
  readonly x: Float64Array;
  readonly xOrder: Int32Array;
  readonly y: Float64Array;
  readonly yOrder: Int32Array;
  /** x[t] pairs with y[t + shift]. */
  readonly shift: number;
  /** The x indices considered: [from, to). */
  readonly from: number;
  readonly to: number;
}

export interface PairedRanks {
  /** Pairs where both values are finite. */
  readonly n: number;
  /** Spearman's rho, or null with fewer than 3 pairs or a constant side. */
  readonly ic: number | null;
  /**
   * On the axis of x's hours [from, to): the centered ranks of x and y ((n + 1) / 2 subtracted) and
   * y's values, NaN where the hour is not used (only when kept).
   */
  readonly cx: Float64Array;
  readonly cy: Float64Array;
  readonly yValues: Float64Array;
}

const EMPTY = new Float64Array(0);

export function createPairRanker(length: number) {
  const maskX = new Uint8Array(length);
  const maskY = new Uint8Array(length);
  const rx = new Float64Array(length);
  const ry = new Float64Array(length);

  /** Ranks the pairing; with `keep`, also returns the centered ranks and y values on x's axis. */
  function rank(p: Pairing, keep: boolean): PairedRanks {
    maskX.fill(0);
    maskY.fill(0);
    const from = Math.max(p.from, 0, -p.shift);
    const to = Math.min(p.to, length, length - p.shift);
    for (let t = from; t < to; t++) {
      if (Number.isFinite(p.x[t]!) && Number.isFinite(p.y[t + p.shift]!)) {
        maskX[t] = 1;
        maskY[t + p.shift] = 1;
      }
    }
    const n = rankMasked(p.x, p.xOrder, maskX, rx);
    rankMasked(p.y, p.yOrder, maskY, ry);
    const middle = (n + 1) / 2;
    const axis = keep ? Math.max(0, p.to - p.from) : 0;
    const cx = keep ? new Float64Array(axis).fill(Number.NaN) : EMPTY;
    const cy = keep ? new Float64Array(axis).fill(Number.NaN) : EMPTY;
    const yValues = keep ? new Float64Array(axis).fill(Number.NaN) : EMPTY;
    const s = emptySums();
    for (let t = from; t < to; t++) {
      if (maskX[t] !== 1) continue;
      const a = rx[t]! - middle;
      const b = ry[t + p.shift]! - middle;
      addPair(s, a, b);
      if (keep) {
        cx[t - p.from] = a;
        cy[t - p.from] = b;
        yValues[t - p.from] = p.y[t + p.shift]!;
      }
    }
    return { n, ic: correlationOf(s), cx, cy, yValues };
  }
  return { rank };
}

/** Share of used hours where the signal's side of its median matches the sign of the return (ties and zero returns left out). */
export function hitRate(cx: Float64Array, yValues: Float64Array): number | null {
  let hits = 0;
  let counted = 0;
  for (let i = 0; i < cx.length; i++) {
    const x = cx[i]!;
    const y = yValues[i]!;
    if (!(x !== 0 && y !== 0 && Number.isFinite(x) && Number.isFinite(y))) continue;
    counted++;
    if (x > 0 === y > 0) hits++;
  }
  return counted === 0 ? null : hits / counted;
}

/** Mean of y per quantile of x (by rank: cx centered ranks of n used hours), `buckets` of them, lowest first. */
export function quantileMeans(
  cx: Float64Array,
  yValues: Float64Array,
  n: number,
  buckets: number,
): { readonly mean: number | null; readonly n: number }[] {
  const sums = new Float64Array(buckets);
  const counts = new Int32Array(buckets);
  for (let i = 0; i < cx.length; i++) {
    if (!Number.isFinite(cx[i]!)) continue;
    const rank = cx[i]! + (n + 1) / 2;
    const q = Math.min(buckets - 1, Math.max(0, Math.floor(((rank - 1) * buckets) / n)));
    sums[q]! += yValues[i]!;
    counts[q]!++;
  }
  return Array.from(counts, (count, q) => ({ mean: count === 0 ? null : sums[q]! / count, n: count }));
}
